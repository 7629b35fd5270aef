"""Office stage: the XLSX workbook in the layout of the official self-assessment table.

One sheet per unit (STT, lĩnh vực/tiêu chí/tiêu chí thành phần, điểm tối đa, điểm tự đánh giá,
điểm thẩm định, tài liệu kiểm chứng, giải trình/ghi chú) and a first sheet "Tổng hợp" with the
ranking. Points are written as exact decimal text (`1.675`); Excel and openpyxl read each cell
as the nearest double. Subtotals are formulas (`=C9+C10+C14`) over the rows below them, so the
table checks itself when someone edits it, and the summary's totals are formulas over the unit
sheets. Computed by Excel in doubles they equal our exact totals once rounded to the set's
precision (3 decimals); the index is written as a value, rounded half-up to 2 decimals from
the exact fraction, never recomputed in floating point. Text from units and reviewers is
always written as text: a title starting with "=" stays a string, never a formula.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from builder.model import CriteriaSet, Criterion, CycleData, Evidence, Score
from builder.results import CycleResult, UnitResult
from builder.score import shown

HEADERS = [
    "STT",
    "Lĩnh vực/tiêu chí/tiêu chí thành phần",
    "Điểm tối đa",
    "Điểm tự đánh giá",
    "Điểm thẩm định",
    "Tài liệu kiểm chứng",
    "Giải trình/ghi chú",
]
WIDTHS = [9, 58, 11, 12, 12, 50, 40]
SUMMARY_HEADERS = [
    "Xếp hạng",
    "Đơn vị",
    "Cấp",
    "Nhóm",
    "Trạng thái",
    "Điểm tự đánh giá",
    "Điểm thẩm định",
    "Điểm tối đa",
    "Chỉ số (%)",
    "Xếp loại",
    "Nộp muộn",
]
SUMMARY_WIDTHS = [9, 34, 16, 12, 12, 12, 12, 11, 11, 12, 10]
STATUS_VI = {"submitted": "Đã nộp", "draft": "Bản nháp", "missing": "Chưa nộp"}
SUMMARY = "Tổng hợp"
HEADER_ROW = 5  # the table header; row 6 numbers the columns (1)…(7) as the official forms do
MAX_COL, SELF_COL, FINAL_COL = 3, 4, 5

BOLD = Font(bold=True)
ITALIC = Font(italic=True, color="555555")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDE7F0")
FIELD_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_workbook(path: Path, data: CycleData, result: CycleResult) -> None:
    """Write the cycle's workbook to `path` (the folder must exist)."""
    build_workbook(data, result).save(path)


def build_workbook(data: CycleData, result: CycleResult) -> Workbook:
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = SUMMARY
    names = sheet_names(result)
    totals: dict[str, int] = {}  # unit → row of its TỔNG ĐIỂM line
    comments = _comments(data)  # once for the cycle: scanning per unit was quadratic
    for r in result.units:
        s = data.criteria.get(r.tier)
        if r.status == "missing" or s is None:
            continue
        ws = wb.create_sheet(names[r.unit])
        totals[r.unit] = _unit_sheet(ws, data, s, r, comments.get(r.unit, {}))
    _summary_sheet(summary, data, result, names, totals)
    wb.calculation.fullCalcOnLoad = True  # Excel computes the formulas when the file opens
    wb.properties.creator = "par-index-builder"
    wb.properties.title = _title(data)
    return wb


def sheet_names(result: CycleResult) -> dict[str, str]:
    """A unique Excel sheet name (at most 31 characters, no []:*?/\\) per unit."""
    used = {SUMMARY.lower()}
    names = {}
    for r in result.units:
        base = re.sub(r"[\[\]:*?/\\']", " ", r.name).strip()[:31] or r.unit[:31]
        name, n = base, 2
        while name.lower() in used:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        used.add(name.lower())
        names[r.unit] = name
    return names


def _title(data: CycleData) -> str:
    a = data.assessment
    return a.title if a and a.title else f"Chỉ số CCHC kỳ {data.cycle}"


def text(value: str) -> str:
    """Text from a file, safe for a cell (control characters removed)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _put(ws: Worksheet, row: int, col: int, value: object) -> Cell:
    """Write a value; strings are always text (a leading '=' never becomes a formula)."""
    cell: Cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def _formula(ws: Worksheet, row: int, col: int, refs: list[str]) -> Cell:
    cell: Cell = ws.cell(row=row, column=col)
    cell.value = "=" + ("+".join(refs) if refs else "0")
    return cell


def _number(value: Decimal | None) -> Decimal | int | None:
    """Exact decimal text in the file; integers as integers."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def fit_height(ws: Worksheet, row: int, widths: list[int]) -> None:
    """Set the row's height from its wrapped text: LibreOffice does not grow rows by itself."""
    lines = 1
    for col, width in enumerate(widths, start=1):
        value = ws.cell(row=row, column=col).value
        if isinstance(value, str) and not value.startswith("="):
            per_line = max(int(width * 1.15) - 1, 1)
            count = sum(max(1, -(-len(part) // per_line)) for part in value.split("\n"))
            lines = max(lines, count)
    ws.row_dimensions[row].height = 15 * lines + 2


def _vn(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def _date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


# --- a unit's sheet ------------------------------------------------------------------------


def _head(ws: Worksheet, title: str, lines: list[str], headers: list[str], widths: list[int]) -> None:
    last = get_column_letter(len(headers))
    ws.merge_cells(f"A1:{last}1")
    _put(ws, 1, 1, title.upper()).font = Font(bold=True, size=13)
    ws.cell(row=1, column=1).alignment = CENTER
    for i, line in enumerate(lines[:3], start=2):
        ws.merge_cells(f"A{i}:{last}{i}")
        _put(ws, i, 1, line).alignment = Alignment(horizontal="center")
    for col, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = _put(ws, HEADER_ROW, col, header)
        cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEAD_FILL, CENTER, BOX
        ws.column_dimensions[get_column_letter(col)].width = width
    fit_height(ws, HEADER_ROW, widths)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "Trang &P/&N"


def _unit_sheet(
    ws: Worksheet, data: CycleData, s: CriteriaSet, r: UnitResult, comments: dict[str, list[str]]
) -> int:
    """Fill a unit's sheet; returns the row of its total."""
    a = data.assessment
    tier = a.tiers[r.tier].name if a and r.tier in a.tiers else r.tier
    group = f" — {r.group}" if r.group else ""
    demo = " — DỮ LIỆU MINH HỌA" if a and a.demo else ""
    lines = [
        f"{r.name} ({tier}{group})",
        f"Trạng thái: {STATUS_VI[r.status]}{demo}",
        f"Bộ tiêu chí: {s.title}" + (f" ({s.source})" if s.source else ""),
    ]
    _head(ws, f"Bảng tự đánh giá, chấm điểm {_title(data)}", lines, HEADERS, WIDTHS)
    for col in range(1, len(HEADERS) + 1):
        cell = _put(ws, HEADER_ROW + 1, col, f"({col})")
        cell.alignment, cell.border, cell.font = CENTER, BOX, ITALIC
    card = data.scorecards.get(r.unit)
    rows = _Rows(ws, r, card.scores if card else {}, comments)
    field_rows = [row for field in s.fields if (row := rows.node(field, 0)) is not None]
    total = rows.next
    _put(ws, total, 2, "TỔNG ĐIỂM").font = BOLD
    for col in (MAX_COL, SELF_COL, FINAL_COL):
        letter = get_column_letter(col)
        _formula(ws, total, col, [f"{letter}{row}" for row in field_rows]).font = BOLD
    index_row = total + 1
    _put(ws, index_row, 2, "Chỉ số CCHC (%) = điểm thẩm định / điểm tối đa × 100").font = BOLD
    index = _put(ws, index_row, FINAL_COL, shown(r.index) if r.index is not None else None)
    index.number_format, index.font = "0.00", BOLD
    _put(ws, index_row + 1, 2, "Xếp loại").font = BOLD
    _put(ws, index_row + 1, FINAL_COL, r.classification or "")
    _put(ws, index_row + 2, 2, "Xếp hạng").font = BOLD
    _put(ws, index_row + 2, FINAL_COL, r.rank if r.rank is not None else "—")
    for row in range(total, index_row + 3):
        for col in range(1, len(HEADERS) + 1):
            ws.cell(row=row, column=col).border = BOX
    notes = [
        "Điểm thẩm định in nghiêng: tiêu chí chưa có điểm thẩm định, lấy điểm tự đánh giá.",
        "Số liệu tính từ phiếu YAML; các dòng tổng là công thức cộng các dòng con.",
    ]
    for i, note in enumerate(notes, start=index_row + 4):
        _put(ws, i, 1, note).font = ITALIC
    return total


def _comments(data: CycleData) -> dict[str, dict[str, list[str]]]:
    """Reviewers' comments by unit, then criterion, in one pass over every appraisal."""
    a = data.assessment
    found: dict[str, dict[str, list[str]]] = {}
    for appraisal in data.appraisals.values():
        reviewer = a.reviewers.get(appraisal.reviewer) if a else None
        who = reviewer.name if reviewer else appraisal.reviewer
        for score in appraisal.scores:
            if score.comment:
                by_criterion = found.setdefault(score.unit, {})
                by_criterion.setdefault(score.criterion_id, []).append(f"Thẩm định ({who}): {score.comment}")
    return found


class _Rows:
    """Writes the criteria tree top-down; each parent's subtotals are formulas over its rows."""

    def __init__(
        self, ws: Worksheet, r: UnitResult, scores: dict[str, Score], comments: dict[str, list[str]]
    ):
        self.ws, self.r, self.scores, self.comments = ws, r, scores, comments
        self.next = HEADER_ROW + 2

    def node(self, c: Criterion, depth: int) -> int | None:
        """Write `c` and its subtree; returns its row, or None when nothing applies to the unit."""
        if c.is_leaf:
            return self.leaf(c, depth) if c.id in self.r.leaves else None
        row = self.next
        self.next += 1
        counted: list[int] = []  # children rows that count toward the max
        children: list[int] = []
        for child in c.children:
            child_row = self.node(child, depth + 1)
            if child_row is None:
                continue
            children.append(child_row)
            if not child.is_leaf or self._counts(child):
                counted.append(child_row)
        if not children:
            self.next = row
            return None
        self._label(row, c, depth)
        font = BOLD if depth == 0 else Font(bold=True, italic=True) if depth == 1 else Font()
        for col, refs in ((MAX_COL, counted), (SELF_COL, children), (FINAL_COL, children)):
            letter = get_column_letter(col)
            _formula(self.ws, row, col, [f"{letter}{r}" for r in refs]).font = font
        for col in range(1, len(HEADERS) + 1):
            cell = self.ws.cell(row=row, column=col)
            cell.font, cell.border = font, BOX
            if depth == 0:
                cell.fill = FIELD_FILL
        fit_height(self.ws, row, WIDTHS)
        return row

    def _counts(self, leaf: Criterion) -> bool:
        result = self.r.leaves[leaf.id]
        return leaf.kind == "normal" and result.applicable

    def _label(self, row: int, c: Criterion, depth: int) -> None:
        _put(self.ws, row, 1, c.id).alignment = Alignment(horizontal="left", vertical="top")
        name = c.name.upper() if depth == 0 else c.name
        _put(self.ws, row, 2, name).alignment = Alignment(wrap_text=True, vertical="top", indent=depth)

    def leaf(self, c: Criterion, depth: int) -> int:
        row = self.next
        self.next += 1
        result = self.r.leaves[c.id]
        self._label(row, c, depth)
        _put(self.ws, row, MAX_COL, _number(c.max))
        _put(self.ws, row, SELF_COL, _number(result.self_points))
        final = _put(self.ws, row, FINAL_COL, _number(result.final_points))
        if result.appraised_points is None and result.final_points is not None:
            final.font = ITALIC
        score = self.scores.get(c.id)
        evidence = [_evidence_line(e) for e in score.evidence] if score else []
        _put(self.ws, row, 6, "\n".join(evidence))
        _put(self.ws, row, 7, "\n".join(self._notes(c, score)))
        for col in range(1, len(HEADERS) + 1):
            cell = self.ws.cell(row=row, column=col)
            cell.border = BOX
            indent = depth if col == 2 else 0
            cell.alignment = Alignment(wrap_text=col in (2, 6, 7), vertical="top", indent=indent)
        fit_height(self.ws, row, WIDTHS)
        return row

    def _notes(self, c: Criterion, score: Score | None) -> list[str]:
        notes = []
        if c.kind == "bonus":
            notes.append("Điểm thưởng: không tính vào điểm tối đa.")
        elif c.kind == "deduction":
            notes.append(f"Điểm trừ: từ -{_vn(c.max)} đến 0; không tính vào điểm tối đa.")
        if c.source == "survey":
            notes.append("Điểm điều tra xã hội học (do Hội đồng ghi).")
        if score is not None:
            if score.not_applicable:
                notes.append(f"Không áp dụng: {score.reason or ''}".rstrip(": "))
            if score.value is not None:
                unit = f" {c.measure_unit}" if c.measure_unit else ""
                notes.append(f"{c.measure_name or 'Giá trị đo'}: {_vn(score.value)}{unit}")
            if score.explanation:
                notes.append(f"Giải trình: {score.explanation}")
        notes += self.comments.get(c.id, [])
        return notes


def _evidence_line(e: Evidence) -> str:
    parts = []
    if e.number:
        parts.append(f"Số {e.number}")
    if e.date:
        parts.append(f"ngày {_date(e.date)}")
    if e.issuer:
        parts.append(f"của {e.issuer}")
    head = " ".join(parts)
    body = ": ".join(p for p in (head, e.title or "") if p)
    link = e.url or e.file or ""
    return f"{body} ({link})" if link and body else body or link


# --- the summary ---------------------------------------------------------------------------


def _summary_sheet(
    ws: Worksheet, data: CycleData, result: CycleResult, names: dict[str, str], totals: dict[str, int]
) -> None:
    a = data.assessment
    lines = [a.authority if a else "", "DỮ LIỆU MINH HỌA" if a and a.demo else ""]
    _head(ws, f"Kết quả {_title(data)}", [line for line in lines if line], SUMMARY_HEADERS, SUMMARY_WIDTHS)
    tiers = a.tiers if a else {}
    for i, r in enumerate(result.units, start=HEADER_ROW + 1):
        late = {True: "Có", False: "Không", None: ""}[r.late]
        tier = tiers[r.tier].name if r.tier in tiers else r.tier
        values: list[object] = [r.rank, r.name, tier, r.group or "", STATUS_VI[r.status]]
        for col, value in enumerate(values, start=1):
            _put(ws, i, col, value)
        if r.unit in totals:
            sheet = quote_sheetname(names[r.unit])
            for col, source in ((6, SELF_COL), (7, FINAL_COL), (8, MAX_COL)):
                _formula(ws, i, col, [f"{sheet}!{get_column_letter(source)}{totals[r.unit]}"])
        index = _put(ws, i, 9, shown(r.index) if r.index is not None else None)
        index.number_format = "0.00"
        _put(ws, i, 10, r.classification or "")
        _put(ws, i, 11, late)
        for col in range(1, len(SUMMARY_HEADERS) + 1):
            ws.cell(row=i, column=col).border = BOX
    note_row = HEADER_ROW + len(result.units) + 2
    notes = [
        "Xếp hạng trong cùng cấp và cùng nhóm; chỉ xếp hạng đơn vị đã nộp; đồng hạng khi bằng chỉ số.",
        "Chỉ số làm tròn 2 chữ số thập phân (làm tròn lên từ 5) từ giá trị chính xác.",
    ]
    for offset, note in enumerate(notes):
        _put(ws, note_row + offset, 1, note).font = ITALIC
