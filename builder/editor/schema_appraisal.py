"""Editor stage: the JSON Schema of appraisals/<cycle>/<reviewer>.yaml (pieces from schema.py)."""

from __future__ import annotations

from typing import Any

from builder.editor.schema import (
    DRAFT,
    SHARED,
    approval_field,
    cycle_field,
    date_field,
    hover_text,
    points_field,
    text_field,
)
from builder.load.parse import APPRAISAL_KEYS
from builder.model import Assessment, CriteriaSet, Criterion


def _appraised(leaf: Criterion) -> dict[str, Any]:
    plain, markdown = hover_text(leaf)
    bare = points_field(leaf, nullable=True)
    bare.update(description=plain, markdownDescription=markdown)
    return {
        "description": plain,
        "markdownDescription": markdown,
        "anyOf": [
            bare,
            {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "points": points_field(leaf, nullable=True),
                    "comment": {
                        "type": ["string", "number", "null"],
                        "description": "Nhận xét của Hội đồng (cần khi khác điểm tự chấm)",
                    },
                    "note": {"$ref": "#/definitions/note"},
                },
            },
        ],
    }


def appraisal_schema(cycle: str, a: Assessment, sets: dict[str, CriteriaSet]) -> dict[str, Any]:
    """The schema of appraisals/<cycle>/<reviewer>.yaml: appraised points per unit and leaf."""
    definitions: dict[str, Any] = {"note": SHARED["note"]}
    for tier, s in sets.items():
        for leaf in s.leaves.values():
            definitions[f"{tier}:{leaf.id}"] = _appraised(leaf)
    unit_props: dict[str, Any] = {}
    for unit in a.units.values():
        tier_set = sets.get(unit.tier)
        if tier_set is None:
            unit_props[unit.id] = {}  # tier-unknown is reported on the config; accept anything
            continue
        name = f"units:{unit.tier}:{unit.kind or ''}"
        definitions.setdefault(
            name,
            {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    leaf.id: {"$ref": f"#/definitions/{unit.tier}:{leaf.id}"}
                    for leaf in tier_set.leaves.values()
                    if leaf.applies(unit.kind)
                },
            },
        )
        unit_props[unit.id] = {"$ref": f"#/definitions/{name}"}
    node_ids = sorted({cid for s in sets.values() for cid in s.nodes}, key=_id_key)
    request = {
        "type": "object",
        "description": "Yêu cầu bổ sung tài liệu kiểm chứng",
        "additionalProperties": False,
        "required": ["unit", "criteria"],
        "properties": {
            "unit": {"enum": list(a.units), "description": "Đơn vị được yêu cầu bổ sung"},
            "criteria": {
                "description": "Các tiêu chí cần bổ sung",
                "anyOf": [{"enum": node_ids}, {"type": "array", "items": {"enum": node_ids}}],
            },
            "document": text_field("Văn bản yêu cầu, ví dụ Công văn 30/NV"),
            "date": date_field("Ngày yêu cầu"),
            "due": date_field("Hạn bổ sung"),
            "note": {"$ref": "#/definitions/note"},
        },
    }
    properties: dict[str, Any] = {
        "reviewer": {"enum": list(a.reviewers), "description": "Mã thành viên Hội đồng (tên tệp)"},
        "cycle": cycle_field(cycle),
        "appraised_by": approval_field("Người thẩm định: name, title, date"),
        "units": {
            "type": ["object", "null"],
            "description": "Điểm thẩm định theo đơn vị, rồi theo mã tiêu chí",
            "additionalProperties": False,
            "properties": unit_props,
        },
        "requests": {"type": ["array", "null"], "items": request},
        "note": {"$ref": "#/definitions/note"},
    }
    return {
        "$schema": DRAFT,
        "title": f"Tệp thẩm định Chỉ số CCHC kỳ {cycle}",
        "description": "Sinh tự động bởi `python -m builder schema`; không sửa tay.",
        "type": "object",
        "additionalProperties": False,
        "required": ["reviewer"],
        "properties": {key: properties[key] for key in APPRAISAL_KEYS},
        "definitions": definitions,
    }


def _id_key(cid: str) -> list[int]:
    return [int(p) for p in cid.split(".")]
