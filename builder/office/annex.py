"""Office stage: an annex table laid out as offices lay it out, read into the criteria sheet's rows.

The layout of "Phụ lục 03" and its kin: a title block ("PHỤ LỤC 03", the set's title,
"(Kèm theo Quyết định số …)") above a one- or two-row header with the columns "STT",
"Lĩnh vực/Tiêu chí/Tiêu chí thành phần" (or "Nội dung"), "Điểm tối đa", "Điểm tự đánh giá",
"Điểm thẩm định", "Tài liệu kiểm chứng", "Ghi chú", often a numbering row "(1) (2) (3)".
Fields are numbered I, II, … or 1, 2, …; criteria "1.1", "1.1.2" (under a Roman field
the numbering may restart: "1", "1.1" under II are 2.1 and 2.1.1). Rows without a number
under a leaf are its scoring rule ("- Đúng hạn: 1 điểm", "Từ 80% đến dưới 100%" with the
points in the max column): thresholds in % become `bands`, other lines `levels`. Names
carry the kind ("điểm thưởng", "điểm trừ") and the source ("điều tra xã hội học"). A
"Tổng cộng" row is checked against the sum and never imported. The result is a `Sheet` of
`criteria_sheet`, so `criteria_import` emits and checks the YAML as for the plain sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from builder.office.annex_header import (
    HEADER_SEARCH,
    WANTED,
    find_header,
    looks_like_id,
    norm,
    numbering_row,
    title_block,
)
from builder.office.criteria_sheet import Row, Sheet, _add_row, cell_text, fmt, to_decimal
from builder.office.documents import Table, Value

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_NUM = r"[-+−]?\d+(?:[.,]\d+)?"
_POINTS_END = re.compile(rf"[:(–-]?\s*(?:được\s+)?({_NUM})\s*điểm\s*\)?\s*[.;,]?$", re.I)
_POINTS_ANY = re.compile(rf"\(\s*({_NUM})\s*điểm\s*\)", re.I)
_POINTS_COLON = re.compile(rf":\s*({_NUM})\s*[.;,]?$")  # a rule line's "Đúng hạn: 0,5"
_PERCENT = re.compile(rf"(?:(từ|trên|đạt|dưới|>=|≥|>|<)\s*)?({_NUM})\s*%", re.I)
_MAX_IN_TEXT = re.compile(rf"tối đa\s+(?:là\s+)?({_NUM})\s*điểm", re.I)
_BULLET = re.compile(r"^(?:[-+•*–]|[a-zđ][).]|\d+[)])\s*", re.I)
_BONUS = re.compile(r"điểm thưởng|được thưởng|cộng điểm")
_DEDUCTION = re.compile(r"điểm trừ|bị trừ|trừ điểm|trừ tối đa")
_SURVEY = re.compile(r"điều tra xã hội học|đtxhh")


@dataclass
class Annex:
    """What was read from one table: the rows as a criteria `Sheet`, the headers found."""

    table: Table
    sheet: Sheet
    headers: dict[str, str] = field(default_factory=dict)  # key → the header's own text
    total: tuple[int, Decimal] | None = None  # the "Tổng cộng" row and its points
    found: bool = False  # a header row was found, complete or not


def _roman(text: str) -> int | None:
    values = [_ROMAN[ch] for ch in text] if re.fullmatch(r"[IVXLC]+", text) else []
    return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=False)) or None


def interpret(table: Table, relpath: str) -> Annex:
    """Read one annex table; every doubt is a Problem at the table's row and column."""
    sheet = Sheet(relpath)
    annex = Annex(table, sheet)
    found = find_header(table)
    annex.found = found is not None
    if found is None or not set(WANTED) <= set(found[2]):
        at, cols = (found[0], found[2]) if found else (1, {})
        missing = ", ".join(f"'{WANTED[k]}'" for k in WANTED if k not in cols)
        wanted = ", ".join(f"'{v}'" for v in WANTED.values())
        sheet.report("sheet-header-incomplete", at, 1, missing=missing, wanted=wanted, rows=HEADER_SEARCH)
        return annex
    number, span, cols = found
    sheet.header_row, sheet.columns = number + span - 1, dict(cols)
    for key in ("rule", "kind", "source", "measure"):  # read from the names and the rule lines
        sheet.columns[key] = cols["name"]
    for key, col in cols.items():
        parts = [cell_text(table.cell(r, col)) for r in range(number, number + span)]
        annex.headers[key] = " / ".join(p for p in parts if p) or WANTED.get(key, key)
    above = [" ".join(cell_text(v) for v in row if cell_text(v)) for row in table.rows[: number - 1]]
    sheet.meta.update(title_block(table.before + above))
    _Reader(annex).read(sheet.header_row + 1)
    if not sheet.rows and not sheet.problems:
        sheet.report("sheet-empty", sheet.header_row, 1)
    for row in sheet.rows.values():
        _finish(sheet, row)
    _check_total(annex)
    return annex


class _Reader:
    """Walks the data rows: ids resolved from the numbering and the row order."""

    def __init__(self, annex: Annex) -> None:
        self.annex, self.sheet, self.table = annex, annex.sheet, annex.table
        self.field: str | None = None  # the Roman field being read, as its number
        self.relative: bool | None = None  # under a Roman field: "1", "1.1" are numbered within it
        self.last: Row | None = None

    def get(self, number: int, key: str) -> Value:
        col = self.sheet.columns.get(key)
        return self.table.cell(number, col) if col else None

    def read(self, start: int) -> None:
        first = True
        for number in range(start, len(self.table.rows) + 1):
            values = [self.get(number, k) for k in ("id", "name", "max", "evidence", "description")]
            if all(cell_text(v) == "" for v in values):
                continue
            if first and numbering_row(self.table.rows[number - 1]):
                continue
            first = False
            raw, name = values[0], cell_text(values[1])
            label = norm(name) if not looks_like_id(norm(raw)) else ""
            if re.match(r"^(tổng|cộng)\b", label or norm(raw)):
                self.total(number)
                if self.sheet.rows:
                    break  # the table ends here; notes and signatures may follow
                continue
            cid = self.resolve(number, raw)
            head, rules = _split_cell(name)
            if cid == "":  # a rule line, or a cell of them ("- Đúng hạn: 1 điểm\n- Chậm: 0,5 điểm")
                lines = [" ".join(head)] * bool(head) + rules
                for line in lines or [""]:
                    self.sub_row(number, line, values[2] if len(lines) <= 1 else None)
            elif cid is not None:
                cells = {"id": cid, "name": " ".join(head), "max": values[2], "evidence": values[3]}
                cells["description"] = values[4]
                row = Row(number, cells)
                before = len(self.sheet.rows)
                _add_row(self.sheet, row)
                if len(self.sheet.rows) > before:
                    row.cells["_subrows"] = [(number, line, None) for line in rules]
                    self.last = row

    def total(self, number: int) -> None:
        try:
            value = to_decimal(str(self.get(number, "max") or "").replace("điểm", "").strip())
        except ValueError:
            value = None
        if value is not None:
            self.annex.total = (number, value)

    def resolve(self, number: int, raw: Value) -> str | None:
        """The dotted id of a row, "" for a row without a number, None when refused."""
        if isinstance(raw, float) and not raw.is_integer():
            return self.from_float(number, raw)
        text = cell_text(raw).rstrip(".)").strip()
        if text == "" or text in "-+•*–" or re.fullmatch(r"[a-zđ]", text):
            return ""  # a rule line: "-", "a)", or nothing
        if (n := _roman(text)) is not None:
            self.field, self.relative = str(n), None
            return str(n)
        if not re.fullmatch(r"\d+(\.\d+)*", text):
            self.sheet.report(
                "sheet-bad-id", number, "id", text=text, rule="STT phải là I, II, … hoặc 1, 1.1, 1.1.2"
            )
            return None
        if self.field is None:
            return text
        if self.relative is None:
            self.relative = "." not in text  # "1" under II is 2.1; "2.1" is itself
        return f"{self.field}.{text}" if self.relative else text

    def from_float(self, number: int, raw: float) -> str | None:
        """1.1 typed as a number: 1.1, 1.10 or 1.100, whichever the row order expects."""
        whole, digits = repr(raw).split(".")
        parent = f"{self.field}.{whole}" if self.field and self.relative else whole
        depth = parent.count(".") + 1
        siblings = [
            int(k.rsplit(".", 1)[1])
            for k in self.sheet.rows
            if k.startswith(f"{parent}.") and k.count(".") == depth
        ]
        expected = str(max(siblings, default=0) + 1)
        if expected.rstrip("0") != digits.rstrip("0") or len(expected) < len(digits):
            self.sheet.report(
                "sheet-bad-id",
                number,
                "id",
                text=repr(raw),
                rule=f"ô dạng số (Excel đã bỏ số 0 ở cuối) không khớp thứ tự các dòng: dòng này phải là "
                f"{whole}.{expected}; hãy định dạng cột STT là Văn bản (Text) và gõ lại",
            )
            return None
        cid = f"{parent}.{expected}"
        if expected != digits:
            self.sheet.report("sheet-float-id", number, "id", number=repr(raw), id=f"{whole}.{expected}")
        if self.field and self.relative is None:
            self.relative = False
        return cid

    def sub_row(self, number: int, name: str, points: Value) -> None:
        if self.last is None:
            self.sheet.report(
                "sheet-bad-id", number, "id", text="", rule="dòng không có STT nằm trước tiêu chí đầu tiên"
            )
            return
        self.last.cells["_subrows"].append((number, name, points))


def _split_cell(text: str) -> tuple[list[str], list[str]]:
    """A cell's lines: the name, then its rule lines ("- Đúng hạn: 1 điểm") written in the cell."""
    head: list[str] = []
    rules: list[str] = []
    for line in (part.strip() for part in text.split("\n")):
        if line and (rules or (head and (_BULLET.match(line) or _POINTS_END.search(line)))):
            rules.append(line)
        elif line:
            head.append(line)
    return head, rules


def _points(text: str, colon: bool = False) -> tuple[Decimal | None, str]:
    """The points written in a rule line ("…: 1 điểm", "(0,5 điểm)", "…: 0,5") and the line without them."""
    for pattern in (_POINTS_END, _POINTS_ANY, *([_POINTS_COLON] if colon else [])):
        if (m := pattern.search(text)) is not None:
            rest = (text[: m.start()] + text[m.end() :]).strip(" :;,.-–")
            return _decimal(m.group(1)), rest
    return None, text


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace("−", "-").replace(",", ".")).normalize() + 0


def _number(sheet: Sheet, row: int, value: Value) -> Decimal | None:
    """A points cell: a number, or text such as "1,5" or "2 điểm"; a bad one is reported."""
    text = cell_text(value).lower().replace("điểm", "").replace("−", "-").strip()
    try:
        return to_decimal(value if isinstance(value, (int, float)) else text)
    except ValueError:
        sheet.report(
            "sheet-bad-cell", row, "max", column="max", detail=f"'{cell_text(value)}' không phải là số"
        )
        return None


def _lineage(sheet: Sheet, row: Row) -> str:
    """The names of the row and its ancestors, lower case: where kind and source are written."""
    parts = row.id.split(".")
    names = [cell_text(sheet.rows[".".join(parts[:i])].cells.get("name")) for i in range(1, len(parts))]
    return " ".join([*names, cell_text(row.cells.get("name"))]).lower()


def _finish(sheet: Sheet, row: Row) -> None:
    """Kind, source, max and the scoring rule of a row, from its names and its sub-rows."""
    subrows = row.cells.pop("_subrows", [])
    lineage = _lineage(sheet, row)
    special = bool(_BONUS.search(lineage) or _DEDUCTION.search(lineage))
    max_value = row.cells.get("max")
    if row.children:
        if special:
            row.cells["max"] = None  # a bonus or deduction group does not add to its parent
        elif cell_text(max_value):
            given = _number(sheet, row.row, max_value)
            row.cells["max"] = fmt(given) if given is not None else None
        _describe(row, [text for _, text, _ in subrows if text])
        return
    kind = "bonus" if _BONUS.search(lineage) else "deduction" if _DEDUCTION.search(lineage) else ""
    row.cells["kind"] = kind
    if _SURVEY.search(lineage):
        row.cells["source"] = "survey"
    number = _number(sheet, row.row, max_value) if cell_text(max_value) else None
    if number is not None and kind == "deduction":
        number = abs(number)
    entries: list[tuple[Decimal, str, int]] = []
    notes: list[str] = []
    for at, text, points_cell in _pieces(subrows):
        line = _BULLET.sub("", text).strip()
        points = _number(sheet, at, points_cell) if cell_text(points_cell) else None
        rest = line
        if points is None:
            points, rest = _points(line, colon=True)
        if points is None or kind or row.cells.get("source"):
            notes.append(text)
        else:
            entries.append((points, rest.rstrip(":").strip(), at))
    own = " ".join([cell_text(row.cells.get("name")), *notes])  # a group's cap is not the leaf's
    if number is None and kind == "deduction" and (m := _MAX_IN_TEXT.search(own)):
        number = abs(_decimal(m.group(1)))
    if number is None:  # the points in the name ("… (1 điểm)"), else the best level
        number = _points(cell_text(row.cells.get("name")))[0] or max((p for p, _, _ in entries), default=None)
    row.cells["max"] = fmt(number) if number is not None else None
    _describe(row, notes)
    if entries:
        _rule(row, entries)


def _pieces(subrows: list[tuple[int, str, Value]]) -> list[tuple[int, str, Value]]:
    """Rule lines, one level each: "Đúng hạn: 1 điểm; chậm: 0 điểm" is two."""
    out: list[tuple[int, str, Value]] = []
    for at, text, cell in subrows:
        parts = [part.strip() for part in text.split(";") if part.strip()]
        if not cell_text(cell) and len(parts) > 1 and all(_points(p, True)[0] is not None for p in parts):
            out += [(at, part, None) for part in parts]
        else:
            out.append((at, text, cell))
    return out


def _describe(row: Row, notes: list[str]) -> None:
    if notes:
        given = cell_text(row.cells.get("description"))
        row.cells["description"] = "; ".join([given, *notes] if given else notes)


def _rule(row: Row, entries: list[tuple[Decimal, str, int]]) -> None:
    """Levels, or bands when every line states a % threshold ("Từ 80% đến dưới 100%")."""
    bands = []
    for points, text, _ in entries:
        m = _PERCENT.search(text)
        if m is None:
            break
        word = (m.group(1) or "").lower()
        bands.append((Decimal(0) if word in ("dưới", "<") else _decimal(m.group(2)), points))
    if len(bands) == len(entries) and len({low for low, _ in bands}) == len(bands):
        bands.sort(key=lambda b: b[0], reverse=True)
        row.cells["rule"] = "\n".join(f">={fmt(low)}: {fmt(points)}" for low, points in bands) + "\n"
        row.cells["measure"], row.cells["measure_unit"] = "Tỷ lệ", "%"
    else:
        lines = [f"{fmt(points)}: {' '.join(text.split()) or '(không ghi)'}" for points, text, _ in entries]
        row.cells["rule"] = "\n".join(lines) + "\n"


def _check_total(annex: Annex) -> None:
    """The "Tổng cộng" row against the sum of the fields (bonus and deduction excluded)."""
    if annex.total is None or any(p.level == "error" for p in annex.sheet.problems):
        return
    at, given = annex.total
    total = sum((_normal_max(f) for f in annex.sheet.fields), Decimal(0))
    annex.sheet.meta["max_total"] = fmt(total)
    annex.sheet.meta_rows["max_total"] = at
    if given != total:
        annex.sheet.report("sheet-total-mismatch", at, "max", given=fmt(given), sum=fmt(total))


def _normal_max(row: Row) -> Decimal:
    if not row.children:
        text = cell_text(row.cells.get("max"))
        return Decimal(text) if text and not row.cells.get("kind") else Decimal(0)
    return sum((_normal_max(child) for child in row.children), Decimal(0))
