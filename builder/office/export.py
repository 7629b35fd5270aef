"""Office stage: results as rows, CSV and JSON with exact decimal literals."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

from builder.load.cycle import Tree
from builder.model import CycleData
from builder.results import CycleResult, UnitResult
from builder.rules.evidence_files import unit_files
from builder.rules.registry import Context
from builder.score import index_decimal


def number(value: Decimal | Fraction | None) -> Decimal | None:
    """The exact value for export (a Fraction index as a decimal, see `index_decimal`)."""
    if value is None:
        return None
    return index_decimal(value) if isinstance(value, Fraction) else value


def unit_record(r: UnitResult) -> dict[str, Any]:
    """A unit's result in the shape of `score --format json` (DESIGN.md)."""
    return {
        "unit": r.unit,
        "name": r.name,
        "tier": r.tier,
        "group": r.group,
        "self_total": r.self_total,
        "final_total": r.final_total,
        "max": r.max,
        "index": number(r.index),
        "classification": r.classification,
        "rank": r.rank,
        "status": r.status,
        "late": r.late,
        "fields": {fid: {"self": f.self, "final": f.final, "max": f.max} for fid, f in r.fields.items()},
    }


def evidence_files_record(data: CycleData, tree: Tree, unit: str) -> list[dict[str, Any]]:
    """A unit's evidence files with size and SHA-256, so a published copy can be verified."""
    card = data.scorecards.get(unit)
    if card is None:
        return []
    return [
        {"criterion": f.criterion, "file": f.file, "size": f.size, "sha256": f.sha256}
        for f in unit_files(Context(data, tree), card)
    ]


def cycle_record(
    result: CycleResult, data: CycleData | None = None, tree: Tree | None = None
) -> dict[str, Any]:
    """The cycle's results; with the data and its tree, each unit also lists `evidence_files`."""
    units = [unit_record(r) for r in result.units]
    if data is not None and tree is not None:
        for rec in units:
            rec["evidence_files"] = evidence_files_record(data, tree, rec["unit"])
    return {"cycle": result.cycle, "units": units}


def dumps(value: Any, indent: int = 2, _level: int = 0) -> str:
    """JSON where Decimals are written as exact number literals (never through float)."""
    pad, inner = " " * (indent * _level), " " * (indent * (_level + 1))
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {dumps(v, indent, _level + 1)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [f"{inner}{dumps(v, indent, _level + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


CSV_COLUMNS = [
    "cycle",
    "unit",
    "name",
    "tier",
    "group",
    "status",
    "late",
    "self_total",
    "final_total",
    "max",
    "index",
    "classification",
    "rank",
]


def units_csv(result: CycleResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in result.units:
        rec = unit_record(r)
        rec["cycle"] = result.cycle
        writer.writerow(["" if rec[c] is None else _csv_value(rec[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def criteria_csv(result: CycleResult) -> str:
    """One row per unit and leaf: max, self, appraised and final points (exact)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["cycle", "unit", "criterion", "max", "applicable", "self", "appraised", "final", "appraised_by"]
    )
    for r in result.units:
        for cid, leaf in r.leaves.items():
            writer.writerow(
                [
                    result.cycle,
                    r.unit,
                    cid,
                    _csv_value(leaf.max),
                    "true" if leaf.applicable else "false",
                    _csv_value(leaf.self_points),
                    _csv_value(leaf.appraised_points),
                    _csv_value(leaf.final_points),
                    " ".join(leaf.appraised_by),
                ]
            )
    return out.getvalue()


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
