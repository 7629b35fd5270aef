"""`codeowners`: write `.github/CODEOWNERS` from the owners in assessment.yaml, or check it."""

from __future__ import annotations

import argparse
import difflib

from builder.cli.session import EXIT_DATA, EXIT_OK, EXIT_USAGE, Session
from builder.git.ownership import CODEOWNERS, ownership, render
from builder.git.repo import open_tree

HELP = "sinh tệp .github/CODEOWNERS từ người phụ trách (owners, admins) trong assessment.yaml"


def options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--check", action="store_true", help="không ghi; mã thoát 1 nếu tệp đã cũ so với assessment.yaml"
    )
    p.add_argument(
        "--output",
        default=CODEOWNERS,
        help=f"đường dẫn tệp, tương đối với --root (mặc định: {CODEOWNERS}; "
        "GitLab đọc cả .gitlab/CODEOWNERS)",
    )
    p.add_argument("--rev", help="với --check: đọc dữ liệu tại phiên bản REV mà không checkout")


def run(s: Session) -> int:
    if s.args.rev and not s.args.check:
        s.err.write("Lỗi: --rev chỉ dùng cùng --check (không ghi vào một phiên bản đã commit).\n")
        return EXIT_USAGE
    if s.args.rev:
        s.tree = open_tree(s.root, s.args.rev)
    s.cycles()  # a repository without cycles is a usage error
    own = ownership(s.tree)
    for warning in own.warnings:
        s.err.write(f"Cảnh báo: {warning}\n")
    text = render(own)
    target = s.root / s.args.output
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if s.args.rev:
        found = s.tree.read_bytes(s.args.output)
        current = found.decode("utf-8", "replace") if found is not None else None
    if s.args.check:
        if current == text:
            s.err.write(f"{s.args.output} khớp với assessment.yaml.\n")
            return EXIT_OK
        diff = difflib.unified_diff(
            (current or "").splitlines(keepends=True),
            text.splitlines(keepends=True),
            f"{s.args.output} (hiện tại)",
            f"{s.args.output} (cần có)",
        )
        s.out.write("".join(diff))
        state = "chưa có" if current is None else "đã cũ so với assessment.yaml"
        s.err.write(f"Lỗi: {s.args.output} {state}. Chạy '{s.command} codeowners' rồi commit tệp này.\n")
        return EXIT_DATA
    if current != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        s.err.write(f"Đã ghi {s.args.output} ({len(own.rules)} dòng quy tắc).\n")
    else:
        s.err.write(f"{s.args.output} đã đúng, không thay đổi.\n")
    return EXIT_OK
