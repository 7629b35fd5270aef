"""Office stage: a criteria set written back as the criteria sheet (`criteria export`).

The columns are those `criteria_sheet` reads, so export → import → export gives the same cells.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from builder.model import CriteriaSet, Criterion
from builder.office.criteria_sheet import COLUMNS, HELP_SHEET, META_KEYS, META_SHEET, SHEET, fmt


def format_rule(c: Criterion) -> str:
    if c.bands:
        return "; ".join(f">={fmt(b.min)}: {fmt(b.points)}" for b in c.bands)
    items = [f"{fmt(lv.points)}: {lv.when}".strip() for lv in c.levels]
    joiner = "\n" if any(";" in lv.when for lv in c.levels) else "; "
    return joiner.join(items)


# --- criteria set → sheet ------------------------------------------------------------------


def export_rows(s: CriteriaSet) -> list[list[object]]:
    """The rows of the criteria sheet (header first), in tree order."""
    rows: list[list[object]] = [list(COLUMNS)]

    def walk(c: Criterion) -> None:
        joiner = "\n" if any(";" in e for e in c.evidence) else "; "
        leaf = c.is_leaf
        rows.append(
            [
                c.id,
                c.name,
                c.max,
                format_rule(c) if leaf else "",
                (c.measure_name or "") if leaf else "",
                (c.measure_unit or "") if leaf else "",
                {"normal": ""}.get(c.kind, c.kind) if leaf else "",
                "survey" if c.source == "survey" else "",
                joiner.join(c.evidence),
                "không" if leaf and not c.evidence_required and c.source != "survey" else "",
                "x" if c.na_allowed else "",
                ", ".join(c.applies_to or ()),
                c.description or "",
            ]
        )
        for child in c.children:
            walk(child)

    for f in s.fields:
        walk(f)
    return rows


def write_criteria_workbook(path: Path, s: CriteriaSet) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    widths = {"id": 9, "name": 55, "max": 8, "rule": 45, "measure": 25, "evidence": 40, "description": 40}
    for r, values in enumerate(export_rows(s), start=1):
        depth = str(values[0]).count(".") if r > 1 else 0
        parent = r > 1 and values[0] in s.nodes and not s.nodes[str(values[0])].is_leaf
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col)
            if isinstance(value, Decimal):
                cell.value = int(value) if value == value.to_integral_value() else value.normalize()
            elif value != "":
                cell.value = value
                cell.data_type = "s"  # ids stay text ("1.10"), and no text becomes a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top", indent=depth if col == 2 else 0)
            if r == 1 or parent:
                cell.font = Font(bold=True)
    for col, key in enumerate(COLUMNS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = widths.get(key, 12)
    ws.freeze_panes = "C2"
    meta = wb.create_sheet(META_SHEET)
    info: dict[str, object] = {
        "title": s.title,
        "source": s.source,
        "max_total": s.max_total,
        "precision": s.precision,
    }
    for r, key in enumerate(META_KEYS, start=1):
        meta.cell(row=r, column=1, value=key).font = Font(bold=True)
        value = info[key]
        cell = meta.cell(row=r, column=2)
        if isinstance(value, Decimal):
            cell.value = int(value) if value == value.to_integral_value() else value.normalize()
        elif value not in (None, ""):
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    meta.column_dimensions["A"].width, meta.column_dimensions["B"].width = 14, 90
    guide = wb.create_sheet(HELP_SHEET)
    for r, line in enumerate(HELP_LINES, start=1):
        guide.cell(row=r, column=1, value=line[0]).font = Font(bold=True)
        guide.cell(row=r, column=2, value=line[1])
    guide.column_dimensions["A"].width, guide.column_dimensions["B"].width = 20, 110
    wb.properties.creator = "par-index-builder"
    wb.save(path)


HELP_LINES = [
    ("Cột", "Ý nghĩa (trang 'Tiêu chí'; chỉ id, name, max là bắt buộc)"),
    ("id", "Mã tiêu chí dạng 1, 1.1, 1.1.2 (định dạng ô là Văn bản); dòng cha đứng trước dòng con"),
    ("name", "Tên lĩnh vực, tiêu chí hoặc tiêu chí thành phần"),
    ("max", "Điểm tối đa; ở dòng cha có thể bỏ trống (nếu ghi phải bằng tổng các dòng con)"),
    (
        "rule",
        "Cách chấm: mức điểm '1: Đúng hạn; 0,5: Chậm; 0: Không thực hiện' hoặc khoảng "
        "'>=100: 2; >=80: 1; >=0: 0' (cần cột measure); để trống: chấm bất kỳ từ 0 đến max",
    ),
    ("measure", "Tên giá trị đo khi chấm theo khoảng, ví dụ Tỷ lệ hồ sơ đúng hạn"),
    ("measure_unit", "Đơn vị của giá trị đo, ví dụ %"),
    ("kind", "bonus (điểm thưởng) hoặc deduction (điểm trừ); để trống: điểm thường"),
    ("source", "survey: điểm điều tra xã hội học, do Hội đồng ghi; để trống: đơn vị tự chấm"),
    ("evidence", "Tài liệu kiểm chứng cần nộp, cách nhau bằng dấu ;"),
    ("evidence_required", "'không' nếu tiêu chí không bắt buộc tài liệu kiểm chứng"),
    ("na_allowed", "x nếu đơn vị được đánh dấu 'không áp dụng'"),
    ("applies_to", "Chỉ áp dụng cho các loại đơn vị, ví dụ thi-tran hoặc xa, phuong"),
    ("description", "Ghi chú, hướng dẫn chấm"),
    (
        "Trang 'Thông tin'",
        "title (tên bộ tiêu chí), source (văn bản gốc), max_total (tổng điểm), "
        "precision (số chữ số thập phân)",
    ),
]
