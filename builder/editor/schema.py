"""Editor stage: JSON Schemas for editors, generated from a cycle's criteria (into schemas/).

A scorecard that starts with `# yaml-language-server: $schema=../../../schemas/<cycle>/<tier>
.schema.json` gets completion of criterion ids, hover text (name, max, scoring rule) and
diagnostics in VS Code (the YAML extension) and any editor that runs yaml-language-server.
The schema is a helper, not the judge: `validate` stays the authority. It rejects only what
the validator reports too, and it expresses the per-entry checks listed in `SCHEMA_CODES`.
What needs more than one file or the unit's status (a criterion scored twice, leaves missing
from a submitted scorecard, evidence missing) or exact decimals (`precision`) is left to
`validate`. Draft 07 is used: every editor's YAML support understands it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from builder.editor.schema_hints import DATE_ERROR, FILE_ERROR, URL_ERROR, plain_number, scored_snippet
from builder.load.parse import APPROVAL_KEYS, SCORECARD_KEYS
from builder.model import Assessment, CriteriaSet, Criterion
from builder.rules.criteria import point_range

DRAFT = "http://json-schema.org/draft-07/schema#"

# Error codes of `validate` that the schema reports too (for one scorecard file on its own).
SCHEMA_CODES = frozenset(
    {
        "unknown-key",
        "missing-key",
        "wrong-type",
        "not-a-number",
        "yaml-boolean",
        "decimal-comma",
        "bad-enum",
        "bad-date",
        "cycle-mismatch",
        "criterion-unknown",
        "criterion-not-leaf",
        "criterion-not-for-unit",
        "survey-self-scored",
        "score-above-max",
        "score-below-min",
        "score-not-in-levels",
        "value-missing",
        "band-mismatch",
        "na-not-allowed",
        "na-no-reason",
        "na-with-points",
        "evidence-no-link",
        "evidence-bad-url",
        "approval-missing",
    }
)

# A relative path inside the unit's folder: not absolute, no drive letter, not starting with '..'.
FILE_PATTERN = r"^(?![/\\])(?!\.\.(?:[/\\]|$))[^/\\:]*(?:[/\\].*)?$"
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


# --- pieces --------------------------------------------------------------------------------


def _num(value: Decimal) -> int | float:
    """A JSON number; the schema's numbers are doubles anyway (max 1.675 stays 1.675)."""
    return int(value) if value == value.to_integral_value() else float(value)


def vn(value: Decimal) -> str:
    """0.5 → '0,5' for Vietnamese hover text."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def text_field(description: str) -> dict[str, Any]:
    # the validator reads any scalar as text (`number: 12` is "12"); null means "not given"
    return {"type": ["string", "number", "null"], "description": description}


def date_field(description: str) -> dict[str, Any]:
    return {
        "type": ["string", "null"],
        "pattern": DATE_PATTERN,
        "format": "date",
        "description": description,
        "errorMessage": DATE_ERROR,
    }


def cycle_field(cycle: str) -> dict[str, Any]:
    allowed: list[Any] = [cycle]
    if cycle.isdigit():
        allowed.append(int(cycle))  # `cycle: 2019` without quotes is read as "2019" too
    return {
        "description": f'Kỳ đánh giá: "{cycle}"',
        "enum": allowed,
        "errorMessage": f'Kỳ đánh giá phải là "{cycle}", trùng tên thư mục của kỳ',
    }


def approval_field(who: str) -> dict[str, Any]:
    return {
        "type": ["object", "null"],
        "description": who,
        "additionalProperties": False,
        "required": list(APPROVAL_KEYS),
        "properties": {
            "name": text_field("Họ và tên"),
            "title": text_field("Chức vụ, ví dụ: Chủ tịch UBND xã"),
            "date": date_field("Ngày, dạng YYYY-MM-DD"),
        },
    }


def _evidence_item() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "Tài liệu kiểm chứng: cần url (https://…) hoặc file (evidence/ten-tep.pdf)",
        "errorMessage": "Mỗi tài liệu kiểm chứng là một mục {title, number, date, issuer, url hoặc file}",
        "additionalProperties": False,
        "anyOf": [{"required": ["url"]}, {"required": ["file"]}],
        "properties": {
            "title": text_field("Tên (trích yếu) tài liệu"),
            "number": text_field("Số hiệu văn bản, ví dụ 12/KH-UBND"),
            "date": date_field("Ngày ban hành, dạng YYYY-MM-DD"),
            "issuer": text_field("Cơ quan ban hành"),
            "url": {
                "type": "string",
                "pattern": URL_PATTERN,
                "description": "Đường dẫn bắt đầu bằng http:// hoặc https://",
                "errorMessage": URL_ERROR,
            },
            "file": {
                "type": "string",
                "pattern": FILE_PATTERN,
                "description": "Tệp trong thư mục của đơn vị, ví dụ evidence/bc-cchc.pdf",
                "errorMessage": FILE_ERROR,
            },
            "note": text_field("Ghi chú"),
        },
    }


def rule_lines(leaf: Criterion) -> tuple[str, list[str]]:
    """The leaf's scoring rule in Vietnamese: an intro ('' for levels) and one line per option."""
    if leaf.bands:
        measure = leaf.measure_name or "giá trị đo"
        unit = f" ({leaf.measure_unit})" if leaf.measure_unit else ""
        intro = f"Ghi {measure}{unit} vào value; điểm theo khoảng:"
        return intro, [f"từ {vn(b.min)} trở lên: {vn(b.points)} điểm" for b in leaf.bands]
    return "", [f"{vn(lv.points)} điểm: {lv.when}" for lv in leaf.levels]


def hover_text(leaf: Criterion) -> tuple[str, str]:
    """Plain and Markdown hover text: name, max, rule, expected evidence."""
    low, high = point_range(leaf)
    kind = {"bonus": " (điểm thưởng)", "deduction": " (điểm trừ)"}.get(leaf.kind, "")
    span = f"từ {vn(low)} đến {vn(high)}" if leaf.kind == "deduction" else f"tối đa {vn(high)}"
    head = f"{leaf.id}. {leaf.name}{kind}"
    intro, options = rule_lines(leaf)
    plain, md = [f"{head}: {span} điểm."], [f"**{head}**", "", f"Điểm {span}."]
    if intro:
        plain.append(intro)
        md += ["", intro]
    if options:
        plain += options
        md += ["", *[f"- {line}" for line in options]]
    elif leaf.source != "survey":
        plain.append(f"Chấm điểm bất kỳ từ 0 đến {vn(high)}.")
    for extra in _notes(leaf):
        plain.append(extra)
        md += ["", extra]
    if leaf.evidence:
        plain.append("Tài liệu kiểm chứng: " + "; ".join(leaf.evidence))
        md += ["", "Tài liệu kiểm chứng:", *[f"- {e}" for e in leaf.evidence]]
    return "\n".join(plain), "\n".join(md)


def _notes(leaf: Criterion) -> list[str]:
    notes = [leaf.description] if leaf.description else []
    if leaf.source == "survey":
        notes.append("Điểm điều tra xã hội học: do Hội đồng ghi, đơn vị không tự chấm.")
    if leaf.na_allowed:
        notes.append('Được đánh dấu không áp dụng: not_applicable: true và reason: "…".')
    if leaf.applies_to:
        notes.append("Chỉ áp dụng cho: " + ", ".join(leaf.applies_to) + ".")
    return notes


def points_field(leaf: Criterion, nullable: bool) -> dict[str, Any]:
    low, high = point_range(leaf)
    points: dict[str, Any] = {
        "type": ["number", "null"] if nullable else "number",
        "minimum": _num(low),
        "maximum": _num(high),
        "description": f"Điểm tiêu chí {leaf.id}: từ {vn(low)} đến {vn(high)}",
        "errorMessage": f"Điểm tiêu chí {leaf.id} là một số từ {vn(low)} đến {vn(high)}, "
        "viết dấu chấm thập phân (0.5), không đặt trong ngoặc kép",
    }
    if leaf.levels:
        points["enum"] = [_num(lv.points) for lv in leaf.levels] + ([None] if nullable else [])
        levels = "; ".join(vn(lv.points) for lv in leaf.levels)
        points["errorMessage"] = f"Điểm tiêu chí {leaf.id} chỉ nhận một trong các mức: {levels}"
    return points


def _band_conditions(leaf: Criterion) -> list[dict[str, Any]]:
    """value → the only points allowed: the first band (in list order) whose min the value
    reaches, as `validate` reads them; below every band, 0."""
    conditions = []
    upper: Decimal | None = None  # the value is below every earlier band's min
    for low, points in [*((b.min, b.points) for b in leaf.bands), (None, Decimal(0))]:
        if low is not None and upper is not None and low >= upper:
            continue  # an unreachable band (band-order): never the first match
        value: dict[str, Any] = {"type": "number"}
        if low is not None:
            value["minimum"] = _num(low)
        if upper is not None:
            value["exclusiveMaximum"] = _num(upper)
        conditions.append(
            {
                "if": {"required": ["value"], "properties": {"value": value}},
                "then": {"properties": {"points": {"enum": [_num(points), None]}}},
            }
        )
        if low is None:
            break
        upper = low
    return conditions


SHARED = {
    "evidence-list": {
        "type": ["array", "null"],
        "description": "Tài liệu kiểm chứng: mỗi mục có title, number, date, issuer và url hoặc file",
        "items": {"$ref": "#/definitions/evidence"},
    },
    "explanation": {
        "type": ["string", "number", "null"],
        "description": "Giải trình (bắt buộc khi thiếu tài liệu kiểm chứng)",
    },
    "reason": {"type": ["string", "number", "null"], "description": "Lý do không áp dụng"},
    "note": {"type": ["string", "number", "null"], "description": "Ghi chú"},
    "na-allowed": {
        "type": ["boolean", "null"],
        "description": "true: tiêu chí không áp dụng cho đơn vị (ghi reason, không ghi points)",
    },
    "na-forbidden": {"enum": [False, None], "description": "Tiêu chí này không được đánh dấu không áp dụng"},
    "na-rule": {
        "if": {"required": ["not_applicable"], "properties": {"not_applicable": {"const": True}}},
        "then": {"required": ["reason"], "properties": {"points": False}},
    },
}


def _entry(leaf: Criterion) -> dict[str, Any]:
    """The long form of a scored entry: {points, value, evidence, explanation, …}."""
    props: dict[str, Any] = {
        "points": points_field(leaf, nullable=True),
        "value": {"type": ["number", "null"], "description": _value_text(leaf)},
        "evidence": {"$ref": "#/definitions/evidence-list"},
        "explanation": {"$ref": "#/definitions/explanation"},
        "not_applicable": {"$ref": "#/definitions/na-" + ("allowed" if leaf.na_allowed else "forbidden")},
        "reason": {"$ref": "#/definitions/reason"},
        "note": {"$ref": "#/definitions/note"},
    }
    checks: list[dict[str, Any]] = [{"$ref": "#/definitions/na-rule"}]
    if leaf.bands:
        checks.append(
            {
                "if": {"required": ["points"], "properties": {"points": {"type": "number"}}},
                "then": {"required": ["value"], "properties": {"value": {"type": "number"}}},
            }
        )
        checks += _band_conditions(leaf)
    return {"type": "object", "additionalProperties": False, "properties": props, "allOf": checks}


def _value_text(leaf: Criterion) -> str:
    if not leaf.bands:
        return "Tiêu chí này không tính theo giá trị đo; value bị bỏ qua"
    unit = f" ({leaf.measure_unit})" if leaf.measure_unit else ""
    return f"{leaf.measure_name or 'Giá trị đo'}{unit}"


def leaf_schema(leaf: Criterion) -> dict[str, Any]:
    """A criterion id's schema: hover text, and either a bare number (points) or the long form."""
    plain, markdown = hover_text(leaf)
    forms: list[dict[str, Any]] = [{"type": "null"}, _entry(leaf)]
    if not leaf.bands:  # a bare number has no value, so a banded leaf needs the long form
        bare = points_field(leaf, nullable=False)
        bare.update(description=plain, markdownDescription=markdown)  # hover on `"1.1.1": 1`
        forms.insert(0, bare)
    low, high = point_range(leaf)
    return {
        "description": plain,
        "markdownDescription": markdown,
        "anyOf": forms,
        "defaultSnippets": [
            dict(scored_snippet(None, "${1:" + plain_number(high) + "}"), label="points + evidence")
        ],
    }


# --- scorecard -----------------------------------------------------------------------------


def scorecard_schema(cycle: str, a: Assessment, s: CriteriaSet) -> dict[str, Any]:
    """The schema of one scorecard file of a unit of tier `s.tier` in this cycle."""
    units = [u for u in a.units.values() if u.tier == s.tier]
    scored = [leaf for leaf in s.leaves.values() if leaf.source != "survey"]
    tier_name = a.tiers[s.tier].name if s.tier in a.tiers else s.tier
    unit_schema: dict[str, Any] = {
        "description": "Mã đơn vị (tên thư mục của đơn vị)",
        "errorMessage": "Mã đơn vị phải là tên thư mục của đơn vị đã đăng ký, ví dụ xa-an-binh",
    }
    if units:
        unit_schema["enum"] = [u.id for u in units]
    else:
        unit_schema["type"] = "string"
    properties: dict[str, Any] = {
        "unit": unit_schema,
        "cycle": cycle_field(cycle),
        "status": {
            "description": "draft: đang soạn; submitted: đã nộp (cần approved_by)",
            "enum": ["draft", "submitted"],
            "errorMessage": "status chỉ nhận draft (đang soạn) hoặc submitted (đã nộp)",
        },
        "approved_by": approval_field("Lãnh đạo đơn vị phê duyệt: name, title, date"),
        "scores": {
            "type": ["object", "null"],
            "description": f'Điểm tự chấm theo {s.title}: mỗi khóa là mã một tiêu chí, ví dụ "1.1.1"',
            "additionalProperties": False,
            "properties": {leaf.id: leaf_schema(leaf) for leaf in scored},
            "defaultSnippets": [scored_snippet("${1:1.1.1}", "${2:1}")],
        },
        "difficulties": text_field("Khó khăn, vướng mắc"),
        "recommendations": text_field("Kiến nghị, đề xuất"),
        "note": text_field("Ghi chú"),
    }
    checks: list[dict[str, Any]] = [
        {
            "if": {"required": ["status"], "properties": {"status": {"const": "submitted"}}},
            "then": {"required": ["approved_by"], "properties": {"approved_by": {"type": "object"}}},
        }
    ]
    for leaf in scored:
        excluded = [u.id for u in units if not leaf.applies(u.kind)]
        if excluded:
            checks.append(
                {
                    "if": {"required": ["unit"], "properties": {"unit": {"enum": excluded}}},
                    "then": {"properties": {"scores": {"properties": {leaf.id: False}}}},
                }
            )
    return {
        "$schema": DRAFT,
        "title": f"Phiếu tự đánh giá Chỉ số CCHC kỳ {cycle}: {tier_name}",
        "description": f"{s.title}. Sinh tự động bởi `python -m builder schema` từ {s.path}; không sửa tay.",
        "type": "object",
        "additionalProperties": False,
        "required": ["unit", "status"],
        "properties": {key: properties[key] for key in SCORECARD_KEYS},
        "allOf": checks,
        "definitions": {"evidence": _evidence_item(), **SHARED},
    }
