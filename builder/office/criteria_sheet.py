"""Office stage: read a criteria sheet (the rows, cells and rules that `criteria import` turns into YAML).

Districts receive the criteria annexes as tables. `criteria import` reads such a sheet into
`criteria/<cycle>/<tier>.yaml`; `criteria export` (criteria_workbook.py) writes a set back
as a sheet. The sheet:

    id | name | max | rule | measure | measure_unit | kind | source | evidence |
    evidence_required | na_allowed | applies_to | description

Only id, name and max are required (Vietnamese headers such as "Mã", "Tên tiêu chí",
"Điểm tối đa", "Cách chấm" are accepted too). Rows are read top-down as a tree: "1.2" needs
the row "1" above it. `rule` holds levels (`1: Ban hành đúng hạn; 0: Ban hành muộn`) or bands
(`>=100: 2; >=80: 1; >=0: 0`), entries separated by ";" or new lines. A second sheet
"Thông tin" may hold title, source, max_total and precision. Every problem points at the
sheet's cell as PATH:ROW:COL. Export → import → export gives the same cells.
`criteria_import.py` turns the rows read here into the criteria YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from builder.load.parse_config import CRITERION_ID
from builder.model import Loc, Problem
from builder.problems import did_you_mean, problem
from builder.rules.criteria import decimals

COLUMNS = [
    "id",
    "name",
    "max",
    "rule",
    "measure",
    "measure_unit",
    "kind",
    "source",
    "evidence",
    "evidence_required",
    "na_allowed",
    "applies_to",
    "description",
]
ALIASES = {
    "id": ["mã", "mã tiêu chí", "mã số"],
    "name": ["tên", "tên tiêu chí", "nội dung", "lĩnh vực/tiêu chí/tiêu chí thành phần"],
    "max": ["điểm tối đa", "điểm"],
    "rule": ["cách chấm", "cách tính điểm", "thang điểm"],
    "measure": ["chỉ số đo", "giá trị đo"],
    "measure_unit": ["đơn vị đo"],
    "kind": ["loại", "loại điểm"],
    "source": ["nguồn điểm"],
    "evidence": ["tài liệu kiểm chứng"],
    "evidence_required": ["bắt buộc tài liệu kiểm chứng"],
    "na_allowed": ["được không áp dụng"],
    "applies_to": ["áp dụng cho"],
    "description": ["mô tả", "hướng dẫn chấm"],
}
META_KEYS = ["title", "source", "max_total", "precision"]
SHEET, META_SHEET, HELP_SHEET = "Tiêu chí", "Thông tin", "Hướng dẫn"
HEADER_SEARCH = 20  # the header may sit below a title block
LEAF_ONLY = ["rule", "measure", "measure_unit", "kind", "source", "na_allowed", "applies_to"]
KINDS = {
    "": "normal",
    "normal": "normal",
    "thường": "normal",
    "bonus": "bonus",
    "thưởng": "bonus",
    "điểm thưởng": "bonus",
    "deduction": "deduction",
    "trừ": "deduction",
    "điểm trừ": "deduction",
}
SOURCES = {
    "": "self",
    "self": "self",
    "tự chấm": "self",
    "survey": "survey",
    "điều tra": "survey",
    "đtxhh": "survey",
    "điều tra xã hội học": "survey",
}
YES = {"x", "có", "co", "yes", "true", "1", "✓"}
NO = {"", "không", "khong", "no", "false", "0"}
_NUM = r"[-+]?\d+(?:[.,]\d+)?"
_BAND = re.compile(rf"^(?:>=|≥)\s*({_NUM})\s*%?\s*:\s*({_NUM})\s*(?:điểm)?$")
_LEVEL = re.compile(rf"^({_NUM})\s*(?:điểm)?\s*:\s*(.*)$", re.S)


@dataclass
class Row:
    """One criteria row of the sheet, with the sheet row and the column of each key."""

    row: int
    cells: dict[str, Any]
    id: str = ""
    children: list[Row] = field(default_factory=list)


@dataclass
class Sheet:
    """What was read: rows in order (a tree under `fields`), metadata and problems."""

    path: str
    fields: list[Row] = field(default_factory=list)
    rows: dict[str, Row] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    meta_rows: dict[str, int] = field(default_factory=dict)
    columns: dict[str, int] = field(default_factory=dict)
    header_row: int = 1
    problems: list[Problem] = field(default_factory=list)

    def report(self, code: str, at_row: int, where: str | int, **fields: object) -> None:
        """A problem at the sheet's row, in the column `where` (a key or a number)."""
        col = where if isinstance(where, int) else self.columns.get(where, 1)
        self.problems.append(problem(code, Loc(self.path, at_row, col), None, **fields))


# --- reading the sheet ---------------------------------------------------------------------


def _header_key(value: object) -> str | None:
    text = str(value or "").strip().lower()
    if not text:
        return None
    inner = re.search(r"\(([a-z_]+)\)\s*$", text)  # "Điểm tối đa (max)"
    if inner and inner.group(1) in COLUMNS:
        return inner.group(1)
    if text in COLUMNS:
        return text
    return next((key for key, names in ALIASES.items() if text in names), None)


def read_sheet(xlsx: Path, relpath: str, sheet_name: str | None = None) -> Sheet:
    """Read a criteria sheet; every defect becomes a Problem at PATH:ROW:COL."""
    from openpyxl import load_workbook

    sheet = Sheet(relpath)
    try:
        wb = load_workbook(xlsx, data_only=True, read_only=True)
    except Exception as err:  # a zip, XML or format error: the file is not a workbook
        sheet.report("sheet-unreadable", 1, 1, reason=f"{type(err).__name__}: {err}"[:200])
        return sheet
    try:
        names = wb.sheetnames
        wanted = sheet_name or (SHEET if SHEET in names else names[0])
        if wanted not in names:
            sheet.report("sheet-not-found", 1, 1, sheet=wanted, sheets=", ".join(names))
            return sheet
        rows = [list(r) for r in wb[wanted].iter_rows(values_only=True)]
        meta = [list(r) for r in wb[META_SHEET].iter_rows(values_only=True)] if META_SHEET in names else []
    finally:
        wb.close()
    _read_rows(sheet, rows)
    _read_meta(sheet, meta)
    return sheet


def _read_rows(sheet: Sheet, rows: list[list[Any]]) -> None:
    for number, cells in enumerate(rows[:HEADER_SEARCH], start=1):
        keys = {_header_key(v): col for col, v in enumerate(cells, start=1)}
        if {"id", "name", "max"} <= set(keys):
            sheet.header_row = number
            sheet.columns = {k: c for k, c in keys.items() if k is not None}
            for col, value in enumerate(cells, start=1):
                if value not in (None, "") and _header_key(value) is None:
                    sheet.report(
                        "sheet-unknown-column",
                        number,
                        col,
                        column=value,
                        hint=did_you_mean(str(value).strip().lower(), COLUMNS),
                    )
            break
    else:
        sheet.report("sheet-no-header", 1, 1, rows=HEADER_SEARCH)
        return
    for number, cells in enumerate(rows[sheet.header_row :], start=sheet.header_row + 1):
        values = {key: cells[col - 1] if col - 1 < len(cells) else None for key, col in sheet.columns.items()}
        if all(blank(v) for v in values.values()):
            continue
        _add_row(sheet, Row(number, values))
    if not sheet.rows and not sheet.problems:
        sheet.report("sheet-empty", sheet.header_row, 1)


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _add_row(sheet: Sheet, row: Row) -> None:
    raw = row.cells.get("id")
    cid = _id(sheet, row.row, raw)
    if cid is None:
        return
    row.id = cid
    if cid in sheet.rows:
        sheet.report("sheet-duplicate-id", row.row, "id", id=cid, row=sheet.rows[cid].row)
        return
    parent_id = cid.rsplit(".", 1)[0] if "." in cid else None
    if parent_id is None:
        sheet.fields.append(row)
    elif parent_id in sheet.rows:
        sheet.rows[parent_id].children.append(row)
    else:
        sheet.report("sheet-no-parent", row.row, "id", id=cid, parent=parent_id)
        return
    sheet.rows[cid] = row


def _id(sheet: Sheet, row: int, raw: object) -> str | None:
    if isinstance(raw, bool) or blank(raw):
        sheet.report("sheet-bad-id", row, "id", text="", rule="thiếu mã tiêu chí")
        return None
    if isinstance(raw, float) and not raw.is_integer():
        sheet.report(
            "sheet-bad-id",
            row,
            "id",
            text=repr(raw),
            rule="ô đang ở dạng số (1.10 sẽ thành 1.1); hãy định dạng cột id là Văn bản (Text)",
        )
        return None
    text = str(int(raw)) if isinstance(raw, (int, float)) else str(raw).strip().rstrip(".")
    if not CRITERION_ID.match(text):
        sheet.report("sheet-bad-id", row, "id", text=text, rule="các số nối bằng dấu chấm, ví dụ 7.1.2")
        return None
    return text


def _read_meta(sheet: Sheet, rows: list[list[Any]]) -> None:
    for number, cells in enumerate(rows, start=1):
        key = str(cells[0] or "").strip().lower() if cells else ""
        if key in META_KEYS and len(cells) > 1:
            sheet.meta[key] = cells[1]
            sheet.meta_rows[key] = number


# --- cells → values ------------------------------------------------------------------------


def to_decimal(value: object) -> Decimal | None:
    """A cell as an exact decimal: numbers as the decimal they were typed as, text with . or ,"""
    if isinstance(value, bool) or blank(value):
        return None
    if isinstance(value, (int, float)):
        number = Decimal(repr(value))
        if decimals(number) > 9:  # a formula's float noise (0.30000000000000004)
            number = round(number, 9)
        return number.normalize() + 0
    text = str(value).strip().replace(",", ".")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
        raise ValueError(text)
    try:
        return Decimal(text).normalize() + 0
    except InvalidOperation as err:  # pragma: no cover - the pattern above rules it out
        raise ValueError(text) from err


def cell_text(value: object) -> str:
    if blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def split_list(text: str, separators: str = ";") -> list[str]:
    parts = text.split("\n") if "\n" in text else re.split(f"[{separators}]", text)
    return [p.strip() for p in parts if p.strip()]


def parse_rule(text: str) -> tuple[str, list[tuple[Decimal, Decimal | str]]]:
    """('levels', [(points, when)]) or ('bands', [(min, points)]); raises ValueError(detail)."""
    entries = split_list(text)
    levels: list[tuple[Decimal, Decimal | str]] = []
    bands: list[tuple[Decimal, Decimal | str]] = []
    for entry in entries:
        if (band := _BAND.match(entry)) is not None:
            bands.append((_dec(band.group(1)), _dec(band.group(2))))
        elif (level := _LEVEL.match(entry)) is not None:
            levels.append((_dec(level.group(1)), level.group(2).strip()))
        else:
            raise ValueError(f"'{entry}' không phải 'điểm: điều kiện' hay '>=mức: điểm'")
    if levels and bands:
        raise ValueError("không trộn mức điểm (1: …) với khoảng giá trị (>=100: …)")
    return ("bands", bands) if bands else ("levels", levels)


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ".")).normalize() + 0


def fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")
