"""Office stage: the XLSX workbook in the layout of the official self-assessment table.

One sheet per unit, laid out as the report a unit signs: quốc hiệu and tiêu ngữ, the unit, place
and date, the title, the table (STT, lĩnh vực/tiêu chí/tiêu chí thành phần, điểm tối đa, điểm
tự đánh giá, điểm thẩm định, điểm cuối cùng, tài liệu kiểm chứng, giải trình/ghi chú), the
difficulties and recommendations, and the approval block (chức vụ, họ tên); a first sheet
"Tổng hợp" with the ranking. Times New Roman throughout; row heights are set from the text so
nothing is clipped. Points are written as exact decimal text (`1.675`); Excel and openpyxl read
each cell as the nearest double. Subtotals are formulas (`=C9+C10+C14`) over the rows below
them, so the table checks itself when someone edits it, and the summary's totals are formulas
over the unit sheets; the index is written as a value, rounded half-up to 2 decimals from the
exact fraction. Text from units and reviewers is always text: a title starting with "=" stays
a string, never a formula. Each unit's sheet is built as rows in memory (`sheet.Sheet`), then
streamed by XlsxWriter in constant-memory mode before the next is built, so memory holds one
sheet, not the workbook (issue 11: openpyxl's objects per cell were 45 % of a build and 1.2 GB).
The file's bytes depend only on the data: fixed document dates, fixed zip entry times.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from builder.model import CriteriaSet, CycleData
from builder.office.export import COLUMN_NOTES, NOT_APPRAISED, STATUS_VI, appraised_total
from builder.office.letter import (
    BOX,
    BOX_BOLD,
    INDEX,
    NOTE,
    NUMBERING,
    PARAGRAPH,
    date_line,
    letterhead,
    paragraphs,
    signature,
    table_head,
)
from builder.office.sheet import (
    Formats,
    Sheet,
    Style,
    Styles,
    column_letter,
    fill,
    formula,
    quote_sheetname,
    text,
    utf16_len,
    workbook,
    write,
)
from builder.office.unit_rows import (
    APPRAISED_COL,
    FINAL_COL,
    HEADER_ROW,
    HEADERS,
    MAX_COL,
    SELF_COL,
    WIDTHS,
    Rows,
    number,
    sum_of,
)
from builder.results import CycleResult, UnitResult
from builder.score import shown

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = ["build_workbook", "sheet_names", "text", "write_workbook"]

SUMMARY_HEADERS = [
    "Xếp hạng",
    "Đơn vị",
    "Cấp",
    "Nhóm",
    "Trạng thái",
    "Tự chấm",
    "Thẩm định",
    "Điểm cuối cùng",
    "Điểm tối đa",
    "Chỉ số (%)",
    "Xếp loại",
    "Nộp muộn",
]
SUMMARY_WIDTHS = [9, 34, 16, 12, 12, 11, 11, 12, 11, 11, 12, 10]
SUMMARY = "Tổng hợp"
SUMMARY_HEADER_ROW = 5
CREATED = datetime(2000, 1, 1)  # the document date when the cycle has no deadline: same bytes each run
OPTIONS = {
    "constant_memory": True,  # each row goes to a temp file as the next begins
    "strings_to_formulas": False,  # a unit's "=HYPERLINK(…)" is text (we call write_string anyway)
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
Totals = dict[str, tuple[int, dict[int, Decimal | None]]]  # unit → row of TỔNG ĐIỂM, its sums by column


def write_workbook(path: Path, data: CycleData, result: CycleResult) -> None:
    """Write the cycle's workbook to `path` (the folder must exist), one sheet at a time. The
    temp files and the file being written stay in a hidden folder next to `path` and go with
    it on any failure; `path` is replaced only by a complete workbook. An OSError (disk full,
    no permission) is raised as itself for the command line to name."""
    from xlsxwriter.exceptions import FileCreateError

    with tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.name}.") as tmp:
        partial = Path(tmp) / path.name
        wb = workbook(str(partial), {**OPTIONS, "tmpdir": tmp})
        try:
            formats = Formats(wb)
            summary_ws = wb.add_worksheet(SUMMARY)  # first, though written last: it needs the totals
            names, totals = sheet_names(result), {}  # type: ignore[var-annotated]
            for sheet, unit, total in _unit_sheets(data, result, names):
                ws = wb.add_worksheet(sheet.title)
                write(ws, formats, sheet)
                ws._opt_close()  # a sheet's temp file open until the end would be 3,321 at once
                totals[unit] = total
            write(summary_ws, formats, _summary_sheet(data, result, names, totals))
            wb.set_properties(_properties(data))
            wb.close()
        except FileCreateError as e:
            raise e.args[0] from None  # the OSError inside: "ổ đĩa đầy", "không có quyền ghi"
        finally:
            for ws in wb.worksheets():
                ws._opt_close()  # after a failure too, before the folder is removed
        partial.replace(path)


def build_workbook(data: CycleData, result: CycleResult) -> Workbook:
    """The same workbook in memory (a normal openpyxl Workbook), cell for cell: the reference."""
    from openpyxl import Workbook

    wb = Workbook()
    styles = Styles(wb)
    names, totals = sheet_names(result), {}
    first = wb.active
    assert first is not None
    first.title = SUMMARY
    for sheet, unit, total in _unit_sheets(data, result, names):
        fill(wb.create_sheet(sheet.title), styles, sheet)
        totals[unit] = total
    fill(first, styles, _summary_sheet(data, result, names, totals))
    wb.calculation.fullCalcOnLoad = True  # Excel computes the formulas when the file opens
    props = _properties(data)
    wb.properties.creator, wb.properties.title = str(props["author"]), str(props["title"])
    wb.properties.created = wb.properties.modified = props["created"]  # type: ignore[assignment]
    return wb


def _properties(data: CycleData) -> dict[str, object]:
    a = data.assessment
    day = a.deadline if a and a.deadline else None
    created = datetime(day.year, day.month, day.day) if day else CREATED
    return {"author": "par-index-builder", "title": _title(data), "created": created}


def _unit_sheets(
    data: CycleData, result: CycleResult, names: dict[str, str]
) -> Iterator[tuple[Sheet, str, tuple[int, dict[int, Decimal | None]]]]:
    """Each unit's sheet in turn, with the row of its total and the total's sums."""
    comments = _comments(data)  # once for the cycle: scanning per unit was quadratic
    for r in result.units:
        s = data.criteria.get(r.tier)
        if r.status == "missing" or s is None:
            continue
        sheet, row = _unit_sheet(names[r.unit], data, s, r, comments.get(r.unit, {}))
        yield sheet, r.unit, (row, {col: sheet.evaluate(row, col) for col in (SELF_COL, FINAL_COL, MAX_COL)})


def sheet_names(result: CycleResult) -> dict[str, str]:
    """A unique Excel sheet name (at most 31 characters, no []:*?/\\) per unit."""
    used = {SUMMARY.lower()}
    names = {}
    for r in result.units:
        base = _cut(re.sub(r"[\[\]:*?/\\']", " ", r.name).strip(), 31) or _cut(r.unit, 31)
        name, n = base, 2
        while name.lower() in used:
            suffix = f" ({n})"
            name, n = _cut(base, 31 - len(suffix)) + suffix, n + 1
        used.add(name.lower())
        names[r.unit] = name
    return names


def _cut(value: str, limit: int) -> str:
    """At most `limit` UTF-16 units, as Excel counts a sheet name (an emoji is two)."""
    value = value[:limit]
    while utf16_len(value) > limit:
        value = value[:-1]
    return value


def _title(data: CycleData) -> str:
    a = data.assessment
    return a.title if a and a.title else f"Chỉ số CCHC kỳ {data.cycle}"


# --- a unit's sheet: the report a unit signs -----------------------------------------------


def _unit_sheet(
    name: str, data: CycleData, s: CriteriaSet, r: UnitResult, comments: dict[str, list[str]]
) -> tuple[Sheet, int]:
    """A unit's sheet and the row of its total."""
    a = data.assessment
    card = data.scorecards.get(r.unit)
    approval = card.approved_by if card else None
    tier = a.tiers[r.tier].name if a and r.tier in a.tiers else r.tier
    group = f" — {r.group}" if r.group else ""
    demo = " — DỮ LIỆU MINH HỌA" if a and a.demo else ""
    sh = Sheet(name, WIDTHS)
    letterhead(sh, [a.authority if a else "", r.name], date_line(r.name, approval.date if approval else None))
    lines = [
        f"{r.name} ({tier}{group})",
        f"Trạng thái: {STATUS_VI[r.status]}{demo}",
        f"Bộ tiêu chí: {s.title}" + (f" ({s.source})" if s.source else ""),
    ]
    table_head(sh, HEADER_ROW, HEADERS, f"Bảng tự đánh giá, chấm điểm {_title(data)}", lines)
    for col in range(1, len(HEADERS) + 1):
        sh.put(HEADER_ROW + 1, col, f"({col})", NUMBERING)
    rows = Rows(sh, r, card.scores if card else {}, comments)
    field_rows = [row for field in s.fields if (row := rows.node(field, 0)) is not None]
    total = rows.next
    sh.put(total, 2, "TỔNG ĐIỂM", BOX_BOLD)
    for col in (MAX_COL, SELF_COL, FINAL_COL):
        letter = column_letter(col)
        sh.put(total, col, sum_of([f"{letter}{row}" for row in field_rows]), BOX_BOLD)
    appraised = appraised_total(r)
    sh.put(total, APPRAISED_COL, NOT_APPRAISED if appraised is None else number(appraised), BOX_BOLD)
    index_row = total + 1
    sh.put(index_row, 2, "Chỉ số CCHC (%) = điểm cuối cùng / điểm tối đa × 100", BOX_BOLD)
    sh.put(index_row, FINAL_COL, shown(r.index) if r.index is not None else None, INDEX)
    sh.put(index_row + 1, 2, "Xếp loại", BOX_BOLD)
    sh.put(index_row + 1, FINAL_COL, r.classification or "", BOX)
    sh.put(index_row + 2, 2, "Xếp hạng", BOX_BOLD)
    sh.put(index_row + 2, FINAL_COL, r.rank if r.rank is not None else "—", BOX)
    for row in range(total, index_row + 3):
        for col in range(1, len(HEADERS) + 1):
            if col not in sh.cells.get(row, {}):
                sh.put(row, col, None, BOX)
        sh.fit(row)
    notes = [
        *(f"{column}: {note}." for column, note in _sheet_notes().items()),
        "Điểm cuối cùng in nghiêng: tiêu chí chưa có điểm thẩm định, lấy điểm tự đánh giá.",
        "Số liệu tính từ phiếu YAML; các dòng tổng là công thức cộng các dòng con.",
    ]
    row = paragraphs(sh, index_row + 4, [("Ghi chú", notes)], NOTE)
    if card:
        parts = [("Khó khăn, vướng mắc", card.difficulties), ("Kiến nghị, đề xuất", card.recommendations)]
        row = paragraphs(sh, row + 1, [(head, [body]) for head, body in parts if body], PARAGRAPH)
    signature(sh, row + 1, approval)
    return sh, total


def _sheet_notes() -> dict[str, str]:
    """The meaning of the unit sheet's point columns, in the words of the summary's notes."""
    return {
        "Điểm tự đánh giá": COLUMN_NOTES["Tự chấm"],
        "Điểm thẩm định": "điểm Hội đồng thẩm định cho tiêu chí; để trống khi chưa thẩm định "
        f"(dòng tổng: {COLUMN_NOTES['Thẩm định']})",
        "Điểm cuối cùng": COLUMN_NOTES["Điểm cuối cùng"],
    }


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


# --- the summary ---------------------------------------------------------------------------


def _summary_sheet(data: CycleData, result: CycleResult, names: dict[str, str], totals: Totals) -> Sheet:
    a = data.assessment
    sh = Sheet(SUMMARY, SUMMARY_WIDTHS, freeze=f"A{SUMMARY_HEADER_ROW + 1}")
    lines = [line for line in (a.authority if a else "", "DỮ LIỆU MINH HỌA" if a and a.demo else "") if line]
    table_head(sh, SUMMARY_HEADER_ROW, SUMMARY_HEADERS, f"Kết quả {_title(data)}", lines)
    tiers = a.tiers if a else {}
    for i, r in enumerate(result.units, start=SUMMARY_HEADER_ROW + 1):
        late = {True: "Có", False: "Không", None: ""}[r.late]
        tier = tiers[r.tier].name if r.tier in tiers else r.tier
        values: list[object] = [r.rank, r.name, tier, r.group or "", STATUS_VI[r.status]]
        values += [None] * 7
        if r.unit in totals:
            sheet = quote_sheetname(names[r.unit])
            row, sums = totals[r.unit]
            for col, source in ((6, SELF_COL), (8, FINAL_COL), (9, MAX_COL)):
                values[col - 1] = formula(f"={sheet}!{column_letter(source)}{row}", sums[source])
            appraised = appraised_total(r)
            values[6] = NOT_APPRAISED if appraised is None else number(appraised)
        values[9] = shown(r.index) if r.index is not None else None
        values[10], values[11] = r.classification or "", late
        for col, value in enumerate(values, start=1):
            sh.put(i, col, value, INDEX if col == 10 else Style(box=True, wrap=col == 2))
        sh.fit(i)
    notes = [
        *(f"{column}: {note}." for column, note in COLUMN_NOTES.items()),
        "Xếp hạng trong cùng cấp và cùng nhóm; chỉ xếp hạng đơn vị đã nộp; đồng hạng khi bằng chỉ số.",
        "Chỉ số làm tròn 2 chữ số thập phân (làm tròn lên từ 5) từ giá trị chính xác.",
    ]
    paragraphs(sh, SUMMARY_HEADER_ROW + len(result.units) + 2, [("Ghi chú", notes)], NOTE)
    return sh
