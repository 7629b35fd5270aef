"""Command line: an environment fault (disk full, no permission, a read-only folder, a path
under a file) is a Vietnamese message naming the path and the cause, exit 2, no traceback."""

from __future__ import annotations

import errno

CAUSES = {
    errno.ENOSPC: "ổ đĩa đầy",
    errno.EDQUOT: "đã hết hạn mức dung lượng",
    errno.EACCES: "không có quyền ghi",
    errno.EPERM: "không có quyền ghi",
    errno.EROFS: "ổ đĩa hoặc thư mục chỉ đọc",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EISDIR: "đây là thư mục, không phải tệp",
    errno.ENOENT: "không tồn tại",
    errno.EEXIST: "đã có tệp hoặc thư mục trùng tên",
    errno.ENAMETOOLONG: "tên quá dài",
    errno.EIO: "lỗi đọc/ghi của ổ đĩa",
}


def describe(e: OSError) -> str:
    """`Lỗi: không ghi hoặc đọc được 'PATH': CAUSE`."""
    cause = CAUSES.get(e.errno or 0) or e.strerror or str(e)
    paths = [str(p) for p in (e.filename, e.filename2) if p is not None]
    where = f" '{' → '.join(paths)}'" if paths else ""
    return f"Lỗi: không ghi hoặc đọc được{where}: {cause}"
