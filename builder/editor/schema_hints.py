"""Editor stage: Vietnamese diagnostics (`errorMessage`) and snippets for the JSON Schemas."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# Vietnamese diagnostics: yaml-language-server shows `errorMessage` instead of its English text
# for type, enum and pattern errors of that property (other validators ignore the keyword).
DATE_ERROR = "Ngày phải viết dạng năm-tháng-ngày YYYY-MM-DD, ví dụ 2020-01-15 (không viết 15/01/2020)"
URL_ERROR = "Đường dẫn phải bắt đầu bằng http:// hoặc https://; tài liệu trên máy thì dùng file"
FILE_ERROR = (
    "Tệp phải nằm trong thư mục của đơn vị, viết đường dẫn tương đối như evidence/ten-tep.pdf "
    "(không bắt đầu bằng /, .. hay ổ đĩa C:)"
)


def plain_number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def scored_snippet(criterion: str | None, points: str) -> dict[str, Any]:
    """A scored criterion with one evidence item, as the editor inserts it (a "^" value is
    inserted unquoted: the points stay a number)."""
    entry = {
        "points": "^" + points,
        "evidence": [
            {
                "title": "${3:Tên (trích yếu) tài liệu}",
                "number": "${4:12/KH-UBND}",
                "date": "^${5:2020-01-15}",
                "issuer": "${6:UBND xã …}",
                "url": "${7:https://}",
            }
        ],
    }
    return {
        "label": "tiêu chí có điểm và tài liệu kiểm chứng",
        "description": "Một tiêu chí: points, và một tài liệu kiểm chứng (title, number, date, issuer, url)",
        "body": {criterion: entry} if criterion else entry,
    }
