"""Office stage: the rows of a unit's table: the criteria tree, subtotals as formulas, points."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from builder.model import Criterion, Evidence, Score
from builder.office.export import NOT_APPRAISED
from builder.office.letter import BOX
from builder.office.sheet import Formula, Sheet, Style, column_letter
from builder.results import UnitResult, appraised_sum, results_under

HEADERS = [
    "STT",
    "Lĩnh vực/tiêu chí/tiêu chí thành phần",
    "Điểm tối đa",
    "Điểm tự đánh giá",
    "Điểm thẩm định",
    "Điểm cuối cùng",
    "Tài liệu kiểm chứng",
    "Giải trình/ghi chú",
]
WIDTHS = [8, 52, 10, 11, 11, 11, 46, 38]
HEADER_ROW = 9  # a unit sheet's table header; the next row numbers the columns (1)…(8)
MAX_COL, SELF_COL, APPRAISED_COL, FINAL_COL, EVIDENCE_COL, NOTES_COL = 3, 4, 5, 6, 7, 8


def sum_of(refs: list[str]) -> Formula:
    return Formula("=" + ("+".join(refs) if refs else "0"))


def number(value: Decimal | None) -> Decimal | int | None:
    """Exact decimal text in the file; integers as integers."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def vn(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


FIELD_ROW = Style(bold=True, box=True, fill="F2F2F2")
GROUP_ROW = Style(bold=True, italic=True, box=True)
ITALIC_POINTS = Style(box=True, italic=True, color="555555")


class Rows:
    """Writes the criteria tree top-down; each parent's subtotals are formulas over its rows."""

    def __init__(self, sh: Sheet, r: UnitResult, scores: dict[str, Score], comments: dict[str, list[str]]):
        self.sh, self.r, self.scores, self.comments = sh, r, scores, comments
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
        base = FIELD_ROW if depth == 0 else GROUP_ROW if depth == 1 else BOX
        for col in range(1, len(HEADERS) + 1):
            self.sh.put(row, col, None, base)
        self._label(row, c, depth, base)
        for col, refs in ((MAX_COL, counted), (SELF_COL, children), (FINAL_COL, children)):
            letter = column_letter(col)
            self.sh.put(row, col, sum_of([f"{letter}{r}" for r in refs]), base)
        # the council's points of the row, as on the site: a sum only when it appraised every
        # applicable leaf under it (results.appraised_sum), else "—"; a value, not a formula
        council = appraised_sum(results_under(c, self.r.leaves))
        self.sh.put(row, APPRAISED_COL, NOT_APPRAISED if council is None else number(council), base)
        self.sh.fit(row)
        return row

    def _counts(self, leaf: Criterion) -> bool:
        result = self.r.leaves[leaf.id]
        return leaf.kind == "normal" and result.applicable

    def _label(self, row: int, c: Criterion, depth: int, base: Style) -> None:
        self.sh.put(row, 1, c.id, Style(bold=base.bold, italic=base.italic, fill=base.fill, box=True))
        name = c.name.upper() if depth == 0 else c.name
        look = Style(bold=base.bold, italic=base.italic, fill=base.fill, box=True, wrap=True, indent=depth)
        self.sh.put(row, 2, name, look)

    def leaf(self, c: Criterion, depth: int) -> int:
        row = self.next
        self.next += 1
        result = self.r.leaves[c.id]
        self._label(row, c, depth, BOX)
        self.sh.put(row, MAX_COL, number(c.max), BOX)
        self.sh.put(row, SELF_COL, number(result.self_points), BOX)
        self.sh.put(row, APPRAISED_COL, number(result.appraised_points), BOX)
        not_appraised = result.appraised_points is None and result.final_points is not None
        self.sh.put(row, FINAL_COL, number(result.final_points), ITALIC_POINTS if not_appraised else BOX)
        score = self.scores.get(c.id)
        evidence = [evidence_line(e) for e in score.evidence] if score else []
        wrapped = Style(box=True, wrap=True)
        self.sh.put(row, EVIDENCE_COL, "\n".join(evidence), wrapped)
        self.sh.put(row, NOTES_COL, "\n".join(self._notes(c, score)), wrapped)
        self.sh.fit(row)
        return row

    def _notes(self, c: Criterion, score: Score | None) -> list[str]:
        notes = []
        if c.kind == "bonus":
            notes.append("Điểm thưởng: không tính vào điểm tối đa.")
        elif c.kind == "deduction":
            notes.append(f"Điểm trừ: từ −{vn(c.max)} đến 0; không tính vào điểm tối đa.")
        if c.source == "survey":
            notes.append("Điểm điều tra xã hội học (do Hội đồng ghi).")
        if score is not None:
            if score.not_applicable:
                notes.append(f"Không áp dụng: {score.reason or ''}".rstrip(": "))
            if score.value is not None:
                unit = f" {c.measure_unit}" if c.measure_unit else ""
                notes.append(f"{c.measure_name or 'Giá trị đo'}: {vn(score.value)}{unit}")
            if score.explanation:
                notes.append(f"Giải trình: {score.explanation}")
        notes += self.comments.get(c.id, [])
        return notes


def evidence_line(e: Evidence) -> str:
    parts = []
    if e.number:
        parts.append(f"Số {e.number}")
    if e.date:
        parts.append(f"ngày {day(e.date)}")
    if e.issuer:
        parts.append(f"của {e.issuer}")
    head = " ".join(parts)
    body = ": ".join(p for p in (head, e.title or "") if p)
    link = e.url or e.file or ""
    return f"{body} ({link})" if link and body else body or link
