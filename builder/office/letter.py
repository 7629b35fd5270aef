"""Office stage: the parts of an administrative document on a sheet: letterhead, title, signature."""

from __future__ import annotations

import re
from datetime import date

from builder.model import Approval
from builder.office.sheet import Sheet, Style

LEFT = 2  # the letterhead's left block is columns A:B, the right block C to the last column
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"

HEAD = Style(bold=True, fill="DDE7F0", box=True, horizontal="center", vertical="center", wrap=True)
NUMBERING = Style(italic=True, color="555555", box=True, horizontal="center", vertical="center")
NOTE = Style(italic=True, color="555555", wrap=True)
TITLE = Style(bold=True, size=13, horizontal="center", vertical="center", wrap=True)
CENTERED = Style(horizontal="center", wrap=True)
BOLD_CENTERED = Style(bold=True, horizontal="center", wrap=True)
ITALIC_CENTERED = Style(italic=True, horizontal="center", wrap=True)
BOX = Style(box=True)
BOX_BOLD = Style(box=True, bold=True)
INDEX = Style(box=True, bold=True, number_format="0.00")
PARAGRAPH = Style(wrap=True)


PLACE_PREFIX = re.compile(
    r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)?\s*(?:thị trấn|thị xã|thành phố|phường|xã|huyện|quận)?\s*",
    re.IGNORECASE,
)


def place(unit_name: str) -> str:
    """The place name of a report's date line: "UBND xã An Bình" → "An Bình"."""
    return PLACE_PREFIX.sub("", unit_name).strip() or unit_name


def date_line(unit_name: str, day: date | None) -> str:
    where = place(unit_name)
    if day is None:
        return f"{where}, ngày … tháng … năm …"
    return f"{where}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def letterhead(sh: Sheet, left: list[str], right_date: str) -> None:
    """Rows 1–3: the issuing body on the left; quốc hiệu, tiêu ngữ and place, date on the right."""
    last = len(sh.widths)
    right = [(QUOC_HIEU, BOLD_CENTERED), (TIEU_NGU, BOLD_CENTERED), (right_date, ITALIC_CENTERED)]
    for row, (value, style) in enumerate(right, start=1):
        sh.put(row, LEFT + 1, value, style)
        sh.merge(row, LEFT + 1, last)
    for row, (value, style) in enumerate(zip(left, (CENTERED, BOLD_CENTERED), strict=False), start=1):
        sh.put(row, 1, value.upper(), style)
        sh.merge(row, 1, LEFT)
    for row in (1, 2, 3):
        sh.fit(row)


def table_head(sh: Sheet, header_row: int, headers: list[str], title: str, lines: list[str]) -> None:
    last = len(headers)
    title_row = header_row - 1 - len(lines)
    sh.put(title_row, 1, title.upper(), TITLE)
    sh.merge(title_row, 1, last)
    sh.fit(title_row)
    for row, line in enumerate(lines, start=title_row + 1):
        sh.put(row, 1, line, CENTERED)
        sh.merge(row, 1, last)
        sh.fit(row)
    for col, header in enumerate(headers, start=1):
        sh.put(header_row, col, header, HEAD)
    sh.fit(header_row)
    sh.title_rows = f"{header_row}:{header_row}"


def paragraphs(sh: Sheet, row: int, blocks: list[tuple[str, list[str]]], style: Style) -> int:
    """Headed paragraphs across the whole width; returns the next free row."""
    last = len(sh.widths)
    for head, body in blocks:
        sh.put(row, 1, f"{head}:", Style(bold=True, italic=style.italic, color=style.color))
        row += 1
        for paragraph in body:
            sh.put(row, 1, paragraph, style)
            sh.merge(row, 1, last)
            sh.fit(row)
            row += 1
    return row


def signature(sh: Sheet, row: int, approval: Approval | None) -> None:
    """The approval block under the table, on the right: chức vụ, the signing note, họ tên."""
    first, last = len(sh.widths) - 3, len(sh.widths)
    title = approval.title if approval and approval.title else "Thủ trưởng đơn vị"
    who = approval.name if approval and approval.name else ""
    block = [(title.upper(), BOLD_CENTERED), ("(Ký, ghi rõ họ tên, đóng dấu)", ITALIC_CENTERED)]
    for offset, (value, style) in enumerate(block):
        sh.put(row + offset, first, value, style)
        sh.merge(row + offset, first, last)
        sh.fit(row + offset)
    sh.put(row + 2, first, None, CENTERED)
    sh.heights[row + 2] = 60  # room to sign and stamp
    sh.put(row + 3, first, who, BOLD_CENTERED)
    sh.merge(row + 3, first, last)
    sh.fit(row + 3)
