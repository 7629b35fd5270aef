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
from builder.results import CycleResult, UnitResult, appraised_sum
from builder.rules.evidence_files import FileFacts, unit_files
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
    return files_record(unit_files(Context(data, tree), card)) if card is not None else []


def files_record(files: list[FileFacts]) -> list[dict[str, Any]]:
    """The `evidence_files` of a unit's record, from facts gathered once."""
    return [{"criterion": f.criterion, "file": f.file, "size": f.size, "sha256": f.sha256} for f in files]


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


# --- the summary for people: opens in Excel on a Vietnamese Windows --------------------------

STATUS_VI = {"submitted": "Đã nộp", "draft": "Bản nháp", "missing": "Chưa nộp"}
NOT_APPRAISED = "—"
# One meaning per column, the same in this CSV, the workbook and the site.
COLUMN_NOTES = {
    "Tự chấm": "tổng điểm đơn vị tự đánh giá (không gồm điểm điều tra xã hội học, do Hội đồng ghi)",
    "Thẩm định": "tổng điểm Hội đồng thẩm định, chỉ ghi khi Hội đồng đã thẩm định hết các tiêu chí "
    f"áp dụng (để so sánh được với điểm tối đa và điểm tự chấm), “{NOT_APPRAISED}” khi chưa thẩm định hết",
    "Điểm cuối cùng": "điểm dùng để tính chỉ số: điểm thẩm định nếu có, nếu không thì điểm tự chấm",
    "Chỉ số": "điểm cuối cùng / điểm tối đa × 100, làm tròn 2 chữ số thập phân",
}
SUMMARY_VI_COLUMNS = [
    "Xếp hạng",
    "Đơn vị",
    "Mã",
    "Cấp",
    "Nhóm",
    "Trạng thái",
    "Tự chấm",
    "Thẩm định",
    "Điểm cuối cùng",
    "Điểm tối đa",
    "Chỉ số",
    "Xếp loại",
    "Nộp muộn",
]


def appraised_total(r: UnitResult) -> Decimal | None:
    """A unit's "Thẩm định" total, as on the site: `results.appraised_sum` of its leaves."""
    return appraised_sum(r.leaves.values())


def summary_csv_vi(result: CycleResult, tier_names: dict[str, str] | None = None) -> str:
    """The ranking with Vietnamese headers for Excel: UTF-8 with BOM, ';' between columns and a
    decimal comma (the list and decimal separators of Windows set to Vietnamese), notes below."""
    from builder.score import shown  # the index is shown rounded, as on the site

    names = tier_names or {}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(SUMMARY_VI_COLUMNS)
    for r in result.units:
        appraised = appraised_total(r)
        late = {True: "Có", False: "Không", None: ""}[r.late]
        writer.writerow(
            [
                "" if r.rank is None else str(r.rank),
                r.name,
                r.unit,
                names.get(r.tier, r.tier),
                r.group or "",
                STATUS_VI.get(r.status, r.status),
                _vi(r.self_total),
                NOT_APPRAISED if appraised is None and r.status != "missing" else _vi(appraised),
                _vi(r.final_total),
                _vi(r.max),
                "" if r.index is None else _vi(shown(r.index)),
                r.classification or "",
                late,
            ]
        )
    writer.writerow([])
    writer.writerow(["Ghi chú"])
    for column, note in COLUMN_NOTES.items():
        writer.writerow([f"{column}: {note}"])
    return "\ufeff" + out.getvalue()


def _vi(value: Decimal | None) -> str:
    """A number the Vietnamese way for a spreadsheet: decimal comma, no thousands separator."""
    return "" if value is None else format(value, "f").replace(".", ",")
