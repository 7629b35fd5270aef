"""Office stage, criteria import: sheet rows → criteria YAML, checked as `validate`
would check it, with every problem pointed back at the sheet's row (see criteria_sheet.py)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from builder.load.parse_config import SLUG, parse_criteria
from builder.load.reader import Reader
from builder.load.yamlfile import read_yaml
from builder.model import CycleData, Loc, Problem
from builder.office.criteria_sheet import (
    KINDS,
    LEAF_ONLY,
    NO,
    SOURCES,
    YES,
    Row,
    Sheet,
    blank,
    cell_text,
    fmt,
    parse_rule,
    read_sheet,
    split_list,
    to_decimal,
)
from builder.problems import problem
from builder.rules.criteria import levels_and_bands, max_total
from builder.rules.registry import Context


def _q(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


class _Emitter:
    """Writes the YAML text and remembers which sheet row each line came from."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.lines: list[str] = []
        self.line_rows: dict[int, int] = {}  # YAML line (1-based) → sheet row

    def emit(self, text: str, row: int | None = None) -> None:
        self.lines.append(text)
        if row is not None:
            self.line_rows[len(self.lines)] = row

    def node(self, row: Row, indent: str) -> None:
        s = self.sheet
        c = row.cells
        self.emit(f"{indent}- id: {_q(row.id)}", row.row)
        pad = indent + "  "
        self.emit(f"{pad}name: {_q(cell_text(c.get('name')))}", row.row)
        if not cell_text(c.get("name")):
            s.report("sheet-bad-cell", row.row, "name", column="name", detail="thiếu tên tiêu chí")
        number = self.number(row, "max")
        if row.children:
            for key in LEAF_ONLY:
                if not blank(c.get(key)):
                    s.report(
                        "sheet-bad-cell",
                        row.row,
                        key,
                        column=key,
                        detail="chỉ dùng cho tiêu chí không có tiêu chí con",
                    )
            self.common(row, pad)
            self.emit(f"{pad}criteria:", row.row)
            for child in row.children:
                self.node(child, pad + "  ")
            self.check_sum(row, number)
        else:
            self.leaf(row, pad, number)
            self.common(row, pad)

    def number(self, row: Row, key: str) -> Decimal | None:
        try:
            return to_decimal(row.cells.get(key))
        except ValueError as err:
            self.sheet.report(
                "sheet-bad-cell",
                row.row,
                key,
                column=key,
                detail=f"'{err}' không phải là số (ví dụ 1 hoặc 0,5)",
            )
            return None

    def check_sum(self, row: Row, given: Decimal | None) -> None:
        total = Decimal(0)
        for child in row.children:
            if KINDS.get(cell_text(child.cells.get("kind")).lower(), "normal") == "normal":
                total += _subtree_max(child)
        if given is not None and given != total:
            self.sheet.report("sheet-max-sum", row.row, "max", id=row.id, max=fmt(given), sum=fmt(total))

    def leaf(self, row: Row, pad: str, number: Decimal | None) -> None:
        s, c = self.sheet, row.cells
        if number is None:
            if blank(c.get("max")):
                s.report("sheet-bad-cell", row.row, "max", column="max", detail="thiếu điểm tối đa")
        else:
            self.emit(f"{pad}max: {fmt(number)}", row.row)
        rule = cell_text(c.get("rule"))
        if rule:
            try:
                kind, entries = parse_rule(rule)
            except ValueError as err:
                s.report("sheet-bad-rule", row.row, "rule", text=rule[:60], detail=str(err))
            else:
                self.emit(f"{pad}{kind}:", row.row)
                for first, second in entries:
                    if isinstance(second, Decimal):
                        item = f"{{min: {fmt(first)}, points: {fmt(second)}}}"
                    else:
                        item = f"{{points: {fmt(first)}, when: {_q(second)}}}"
                    self.emit(f"{pad}  - {item}", row.row)
        measure, unit = cell_text(c.get("measure")), cell_text(c.get("measure_unit"))
        if measure or unit:
            inner = f"name: {_q(measure)}" + (f", unit: {_q(unit)}" if unit else "")
            self.emit(f"{pad}measure: {{{inner}}}", row.row)
        kind_text = cell_text(c.get("kind")).lower()
        if kind_text not in KINDS:
            s.report(
                "sheet-bad-cell",
                row.row,
                "kind",
                column="kind",
                detail=f"'{kind_text}' phải là bonus (điểm thưởng), deduction (điểm trừ) hoặc để trống",
            )
        elif KINDS[kind_text] != "normal":
            self.emit(f"{pad}kind: {KINDS[kind_text]}", row.row)
        source_text = cell_text(c.get("source")).lower()
        if source_text not in SOURCES:
            s.report(
                "sheet-bad-cell",
                row.row,
                "source",
                column="source",
                detail=f"'{source_text}' phải là survey (điều tra xã hội học) hoặc để trống",
            )
        elif SOURCES[source_text] != "self":
            self.emit(f"{pad}source: {SOURCES[source_text]}", row.row)
        if self.flag(row, "na_allowed"):
            self.emit(f"{pad}na_allowed: true", row.row)
        kinds = [k.strip() for k in re.split(r"[,;\n]", cell_text(c.get("applies_to"))) if k.strip()]
        for k in kinds:
            if not SLUG.match(k):
                s.report(
                    "sheet-bad-cell",
                    row.row,
                    "applies_to",
                    column="applies_to",
                    detail=f"'{k}' không phải mã loại đơn vị (ví dụ xa, thi-tran, phuong)",
                )
        if kinds:
            self.emit(f"{pad}applies_to: [{', '.join(kinds)}]", row.row)

    def common(self, row: Row, pad: str) -> None:
        c = row.cells
        evidence = split_list(cell_text(c.get("evidence")))
        if evidence:
            self.emit(f"{pad}evidence: [{', '.join(_q(e) for e in evidence)}]", row.row)
        if not blank(c.get("evidence_required")) and not self.flag(row, "evidence_required"):
            self.emit(f"{pad}evidence_required: false", row.row)
        if description := cell_text(c.get("description")):
            self.emit(f"{pad}description: {_q(description)}", row.row)

    def flag(self, row: Row, key: str) -> bool:
        value = row.cells.get(key)
        text = "1" if value is True else "0" if value is False else cell_text(value).lower()
        if text in YES:
            return True
        if text not in NO:
            self.sheet.report(
                "sheet-bad-cell",
                row.row,
                key,
                column=key,
                detail=f"'{text}' phải là x/có hoặc để trống/không",
            )
        return False


def _subtree_max(row: Row) -> Decimal:
    if not row.children:
        try:
            return to_decimal(row.cells.get("max")) or Decimal(0)
        except ValueError:
            return Decimal(0)
    return sum(
        (
            _subtree_max(ch)
            for ch in row.children
            if KINDS.get(cell_text(ch.cells.get("kind")).lower(), "normal") == "normal"
        ),
        Decimal(0),
    )


def sheet_yaml(sheet: Sheet, default_title: str, origin: str) -> tuple[str, dict[int, int]]:
    """The criteria YAML for a read sheet and the map YAML line → sheet row."""
    e = _Emitter(sheet)
    meta = sheet.meta
    e.emit(f"# Nhập từ {origin} bằng `python -m builder criteria import`; sửa bảng tính rồi nhập lại.")
    e.emit(f"title: {_q(cell_text(meta.get('title')) or default_title)}")
    if source := cell_text(meta.get("source")):
        e.emit(f"source: {_q(source)}")
    for key in ("max_total", "precision"):
        if blank(meta.get(key)):
            continue
        try:
            value = to_decimal(meta[key])
        except ValueError:
            sheet.problems.append(
                problem(
                    "sheet-bad-cell",
                    Loc(sheet.path, sheet.meta_rows[key], 2),
                    column=key,
                    detail="phải là một số",
                )
            )
            continue
        e.emit(f"{key}: {fmt(value)}" if value is not None else f"{key}:", None)
    e.emit("fields:")
    for row in sheet.fields:
        e.node(row, "  ")
    return "\n".join(e.lines) + "\n", e.line_rows


def check_yaml(text: str, tier: str, sheet: Sheet, line_rows: dict[int, int]) -> list[Problem]:
    """Load the YAML as `validate` would and point its problems back at the sheet's rows."""
    from builder.load.cycle import FolderTree

    loaded = read_yaml(Path("."), "criteria.yaml", text.encode("utf-8"))
    found = list(loaded.problems)
    if loaded.root is not None:
        reader = Reader("criteria.yaml")
        s = parse_criteria(reader, loaded.root, tier)
        found += reader.problems
        if s is not None:
            ctx = Context(CycleData("", None, {tier: s}, {}, {}, {}, []), FolderTree(Path(".")))
            found += list(max_total(ctx)) + list(levels_and_bands(ctx))
    mapped = []
    for p in found:
        rows = [r for line, r in sorted(line_rows.items()) if line <= p.line]
        if p.code == "max-total-mismatch" and "max_total" in sheet.meta_rows:
            loc = Loc(sheet.path, sheet.meta_rows["max_total"], 2)
        else:
            loc = Loc(sheet.path, rows[-1] if rows else sheet.header_row, sheet.columns.get("id", 1))
        mapped.append(Problem(loc.path, loc.line, loc.col, p.level, p.code, p.message))
    return mapped


def import_sheet(
    xlsx: Path, relpath: str, tier: str, default_title: str, sheet_name: str | None = None
) -> tuple[str | None, list[Problem]]:
    """The criteria YAML of a sheet, or None, and every problem found (sorted)."""
    return to_yaml(read_sheet(xlsx, relpath, sheet_name), tier, default_title, xlsx.name)


def to_yaml(sheet: Sheet, tier: str, default_title: str, origin: str) -> tuple[str | None, list[Problem]]:
    if any(p.level == "error" for p in sheet.problems):
        return None, sorted(sheet.problems, key=Problem.sort_key)
    text, line_rows = sheet_yaml(sheet, default_title, origin)
    problems = list(sheet.problems)
    if not any(p.level == "error" for p in problems):
        problems += check_yaml(text, tier, sheet, line_rows)
    problems = sorted(set(problems), key=Problem.sort_key)
    return (None if any(p.level == "error" for p in problems) else text), problems
