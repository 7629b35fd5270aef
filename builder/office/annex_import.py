"""Office stage: `criteria import` of any file: which layout (the plain sheet or an annex), which
table, the problems in the annex's words, and the tree `--dry-run` shows (see annex.py)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from builder.load.parse_config import parse_criteria
from builder.load.reader import Reader
from builder.load.yamlfile import read_yaml
from builder.model import CriteriaSet, Criterion, Loc, Problem
from builder.office.annex import Annex, interpret
from builder.office.criteria_import import to_yaml
from builder.office.criteria_sheet import META_SHEET, SHEET, Sheet, _read_meta, _read_rows, fmt, read_sheet
from builder.office.documents import DocumentError, read_tables
from builder.problems import problem


def import_file(
    path: Path, relpath: str, tier: str, default_title: str, sheet_name: str | None = None
) -> tuple[str | None, list[Problem]]:
    """The criteria YAML of a file, or None, and its problems: the plain criteria sheet (id, name,
    max …) when its header is there and it reads, else the annex layout of a workbook or document."""
    suffix, at = path.suffix.lower(), Loc(relpath, 1, 1)
    plain: Sheet | None = None
    if suffix in (".xlsx", ".xlsm"):
        plain = read_sheet(path, relpath, sheet_name)
        if any(p.code in ("sheet-unreadable", "sheet-not-found") for p in plain.problems):
            return to_yaml(plain, tier, default_title, path.name)
    try:
        tables = read_tables(path)
    except DocumentError as err:
        return None, [problem("sheet-unreadable", at, reason=str(err))]
    if sheet_name is not None:
        wanted = sheet_name.strip().casefold()
        tables = [t for t in tables if wanted in (t.name.casefold(), t.name.casefold().removeprefix("bảng "))]
        if not tables:
            names = ", ".join(t.name for t in read_tables(path)) or "không có"
            return None, [problem("sheet-not-found", at, sheet=sheet_name, sheets=names)]
    if not tables:
        return None, [problem("sheet-unreadable", at, reason="tệp không có bảng nào")]
    if suffix in (".xls", ".ods"):
        plain = Sheet(relpath)
        _read_rows(plain, next((t for t in tables if t.name == SHEET), tables[0]).rows)
        meta = [t.rows for t in tables if t.name == META_SHEET]
        _read_meta(plain, meta[0] if meta else [])
    headed = plain is not None and not any(
        p.code in ("sheet-no-header", "sheet-empty") for p in plain.problems
    )
    first = to_yaml(plain, tier, default_title, path.name) if plain is not None and headed else None
    if first is not None and first[0] is not None:
        return first  # the plain sheet, read without an error
    annexes = [interpret(t, relpath) for t in tables]
    read = next((a for a in annexes if a.headers), None)
    if read is None and plain is not None and (headed or not any(a.found for a in annexes)):
        return to_yaml(plain, tier, default_title, path.name)  # its own header, or no header at all
    read = read or annexes[0]
    text, problems = to_yaml(read.sheet, tier, default_title, path.name)
    if text is None and first is not None:
        return first  # neither reads: the problems of the layout its header names
    return text, [_placed(p, read) for p in problems]


def _placed(p: Problem, read: Annex) -> Problem:
    """The problem in the annex's words: its column headers, its sheet or table and cell."""
    if p.path != read.sheet.path or not p.line:
        return p
    message = p.message
    for key, header in read.headers.items():
        if message.startswith(f"Cột {key}:"):
            message = f"Cột '{header}':" + message[len(f"Cột {key}:") :]
    return replace(p, message=f"{message} ({read.table.where(p.line, p.col)})")


def tree_lines(text: str, tier: str) -> list[str]:
    """The criteria tree of an imported YAML as `--dry-run` shows it, to compare with the paper."""
    loaded = read_yaml(Path("."), "criteria.yaml", text.encode("utf-8"))
    s = parse_criteria(Reader("criteria.yaml"), loaded.root, tier) if loaded.root is not None else None
    if s is None:
        return []

    def vn(number: Decimal) -> str:
        return fmt(number).replace(".", ",")

    leaves = list(s.leaves.values())
    lines = [
        f"Bộ tiêu chí: {s.title}",
        *([f"Nguồn: {s.source}"] if s.source else []),
        f"Điểm tối đa: {vn(s.max_total if s.max_total is not None else sum_max(s))}; "
        f"{len(s.fields)} lĩnh vực, {len(s.nodes) - len(s.fields)} tiêu chí, {len(leaves)} dòng chấm điểm, "
        f"{sum(len(c.levels) + len(c.bands) for c in leaves)} mức điểm",
        "",
    ]

    def walk(c: Criterion, depth: int) -> None:
        notes = [f"tối đa {vn(c.max)}"]
        notes += {"bonus": ["điểm thưởng"], "deduction": ["điểm trừ"]}.get(c.kind, [])
        notes += ["điều tra xã hội học"] if c.source == "survey" else []
        lines.append(f"{'  ' * depth}{c.id}  {c.name}  [{', '.join(notes)}]")
        pad = "  " * (depth + 2)
        lines.extend(f"{pad}{vn(lv.points)} điểm: {lv.when}" for lv in c.levels)
        unit = c.measure_unit or ""
        for n, b in enumerate(c.bands):
            low = f"dưới {vn(c.bands[n - 1].min)}" if n and b.min == 0 else f"từ {vn(b.min)}"
            lines.append(f"{pad}{low}{unit}{'' if low[0] == 'd' else ' trở lên'}: {vn(b.points)} điểm")
        for child in c.children:
            walk(child, depth + 1)

    for f in s.fields:
        walk(f, 0)
    return lines


def sum_max(s: CriteriaSet) -> Decimal:
    return sum((c.max for c in s.leaves.values() if c.kind == "normal"), Decimal(0))
