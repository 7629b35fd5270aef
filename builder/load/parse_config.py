"""Load stage, part 3a: assessment.yaml and criteria sets → model objects."""

from __future__ import annotations

import re
from decimal import Decimal

from builder.load import parse_trust as trust
from builder.load.reader import Reader
from builder.load.yamlfile import YNode
from builder.model import (
    Assessment,
    Band,
    ClassBand,
    CriteriaSet,
    Criterion,
    LegalDocument,
    Reviewer,
    ScoreLevel,
    Tier,
    Unit,
)

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
CRITERION_ID = re.compile(r"^\d+(\.\d+)*\Z")

ASSESSMENT_KEYS = [
    "cycle",
    "title",
    "authority",
    "demo",
    "legal_basis",
    "deadline",
    "timezone",
    "late_changes",
    "classification",
    "tiers",
    "units",
    "reviewers",
    "note",
    "admins",
    "history",
    "trusted_committers",
    "verify_signatures",
    "closed",
    "corrections",
    "evidence_max_mb",
]
UNIT_KEYS = ["id", "name", "tier", "kind", "group", "code", "owners", "merged_from", "renamed_from", "note"]
REVIEWER_KEYS = ["id", "name", "criteria", "owners", "note"]
SET_KEYS = ["title", "source", "max_total", "precision", "fields", "note"]
NODE_KEYS = [
    "id",
    "name",
    "criteria",
    "max",
    "levels",
    "bands",
    "measure",
    "kind",
    "source",
    "na_allowed",
    "applies_to",
    "evidence",
    "evidence_required",
    "description",
    "note",
]


def _slug(r: Reader, node: YNode | None, what: str) -> str | None:
    value = r.text(node, what)
    if value is not None and not SLUG.match(value):
        assert node is not None
        r.report("bad-id", node.loc, text=value, rule="chỉ dùng chữ thường không dấu, số và dấu '-'")
    return value


def parse_assessment(r: Reader, root: YNode) -> Assessment | None:
    entries = r.mapping(root, "assessment.yaml", ASSESSMENT_KEYS, ["cycle", "tiers", "units"])
    if entries is None:
        return None
    legal = []
    for item in r.sequence(entries.get("legal_basis"), "legal_basis"):
        doc = r.mapping(item, "legal_basis", ["number", "date", "issuer", "title"], ["number"])
        if doc is not None:
            legal.append(
                LegalDocument(
                    r.text(doc.get("number"), "number") or "",
                    r.date(doc.get("date"), "date"),
                    r.text(doc.get("issuer"), "issuer") or "",
                    r.text(doc.get("title"), "title"),
                )
            )
    classes = []
    for item in r.sequence(entries.get("classification"), "classification"):
        band = r.mapping(item, "classification", ["label", "min"], ["label", "min"])
        if band is not None:
            low = r.number(band.get("min"), "min")
            label = r.text(band.get("label"), "label")
            if low is not None and label:
                classes.append(ClassBand(label, low, item.loc))
    tiers = {}
    tiers_node = entries.get("tiers")
    if tiers_node is not None and tiers_node.kind == "map":
        for tier_id, tier_node in tiers_node.value.items():
            t = r.mapping(tier_node, tier_id, ["name", "criteria"], ["criteria"])
            if t is not None:
                tiers[tier_id] = Tier(
                    tier_id,
                    r.text(t.get("name"), "name") or tier_id,
                    r.text(t.get("criteria"), "criteria") or f"{tier_id}.yaml",
                    tiers_node.key_loc(tier_id),
                )
    else:
        r.mapping(tiers_node, "tiers", [])
    units: dict[str, Unit] = {}
    for item in r.sequence(entries.get("units"), "units"):
        u = r.mapping(item, "units", UNIT_KEYS, ["id", "name", "tier"])
        if u is None:
            continue
        unit_id = _slug(r, u.get("id"), "id")
        if not unit_id:
            continue
        unit = Unit(
            unit_id,
            r.text(u.get("name"), "name") or unit_id,
            r.text(u.get("tier"), "tier") or "",
            item.loc,
            kind=_slug(r, u.get("kind"), "kind"),
            group=r.text(u.get("group"), "group"),
            code=r.text(u.get("code"), "code"),
            owners=r.texts(u.get("owners"), "owners"),
            merged_from=r.texts(u.get("merged_from"), "merged_from"),
            renamed_from=_slug(r, u.get("renamed_from"), "renamed_from"),
            lineage_loc=(u.get("merged_from") or u.get("renamed_from") or item).loc,
        )
        if unit_id in units:
            r.report("duplicate-id", item.loc, id=unit_id, line=units[unit_id].loc.line)
        else:
            units[unit_id] = unit
    reviewers: dict[str, Reviewer] = {}
    for item in r.sequence(entries.get("reviewers"), "reviewers"):
        v = r.mapping(item, "reviewers", REVIEWER_KEYS, ["id", "name", "criteria"])
        if v is None:
            continue
        reviewer_id = _slug(r, v.get("id"), "id")
        if not reviewer_id:
            continue
        reviewer = Reviewer(
            reviewer_id,
            r.text(v.get("name"), "name") or reviewer_id,
            r.texts(v.get("criteria"), "criteria"),
            item.loc,
            owners=r.texts(v.get("owners"), "owners"),
        )
        if reviewer_id in reviewers or reviewer_id in units:
            first = reviewers.get(reviewer_id) or units[reviewer_id]
            r.report("duplicate-id", item.loc, id=reviewer_id, line=first.loc.line)
        else:
            reviewers[reviewer_id] = reviewer
    late = r.enum(entries.get("late_changes"), "late_changes", ["flag", "freeze"]) or "flag"
    return Assessment(
        cycle=r.text(entries.get("cycle"), "cycle") or "",
        path=r.path,
        title=r.text(entries.get("title"), "title") or "",
        authority=r.text(entries.get("authority"), "authority") or "",
        demo=bool(r.boolean(entries.get("demo"), "demo")),
        legal_basis=tuple(legal),
        deadline=r.date(entries.get("deadline"), "deadline"),
        timezone=r.text(entries.get("timezone"), "timezone") or "Asia/Ho_Chi_Minh",
        classification=tuple(classes),
        tiers=tiers,
        units=units,
        reviewers=reviewers,
        late_changes=late,  # type: ignore[arg-type]
        admins=r.texts(entries.get("admins"), "admins"),
        history=r.boolean(entries.get("history"), "history") is not False,
        trusted_committers=trust.trusted_committers(r, entries.get("trusted_committers")),
        verify_signatures=bool(r.boolean(entries.get("verify_signatures"), "verify_signatures")),
        closed=trust.closed(r, entries.get("closed")),
        corrections=trust.corrections(r, entries.get("corrections")),
        evidence_max_mb=r.number(entries.get("evidence_max_mb"), "evidence_max_mb") or Decimal(50),
    )


# --- criteria ------------------------------------------------------------------------------


def parse_criteria(r: Reader, root: YNode, tier: str) -> CriteriaSet | None:
    entries = r.mapping(root, f"{tier}.yaml", SET_KEYS, ["fields"])
    if entries is None:
        return None
    precision_value = r.number(entries.get("precision"), "precision")
    precision = int(precision_value) if precision_value is not None else 3
    nodes: dict[str, Criterion] = {}
    fields = []
    for item in r.sequence(entries.get("fields"), "fields"):
        parsed = _criterion(r, item, None, nodes)
        if parsed is not None:
            fields.append(parsed)
    leaves = {cid: c for cid, c in nodes.items() if c.is_leaf}
    return CriteriaSet(
        tier=tier,
        path=r.path,
        title=r.text(entries.get("title"), "title") or tier,
        source=r.text(entries.get("source"), "source") or "",
        max_total=r.number(entries.get("max_total"), "max_total"),
        precision=min(max(precision, 0), 6),
        fields=tuple(fields),
        nodes=nodes,
        leaves=leaves,
    )


def _criterion(
    r: Reader, node: YNode, parent: Criterion | None, nodes: dict[str, Criterion]
) -> Criterion | None:
    c = r.mapping(node, "criteria", NODE_KEYS, ["id", "name"])
    if c is None:
        return None
    cid = r.text(c.get("id"), "id")
    if not cid:
        return None
    id_node = c["id"]
    if not CRITERION_ID.match(cid):
        r.report("bad-id", id_node.loc, text=cid, rule="mã tiêu chí là các số nối bằng dấu chấm, ví dụ 7.1.2")
        return None
    parent_id = parent.id if parent else None
    if parent_id and not (cid.startswith(parent_id + ".") and cid.count(".") == parent_id.count(".") + 1):
        r.report("criterion-id-nesting", id_node.loc, id=cid, parent=parent_id)
    if parent_id is None and "." in cid:
        r.report("criterion-id-nesting", id_node.loc, id=cid, parent="(lĩnh vực)")
    if cid in nodes:
        r.report("duplicate-id", id_node.loc, id=cid, line=nodes[cid].loc.line)
        return None
    field_id = parent.field_id if parent else cid
    name = r.text(c.get("name"), "name") or cid
    children_node = c.get("criteria")
    has_max = "max" in c
    loc = id_node.loc
    if children_node is not None:
        if has_max:
            r.report(
                "criterion-shape",
                loc,
                id=cid,
                detail="có tiêu chí con thì không ghi max (max là tổng của các tiêu chí con)",
            )
        leaf_only = [k for k in ("levels", "bands", "measure", "na_allowed", "applies_to") if k in c]
        if leaf_only:
            r.report(
                "criterion-shape",
                loc,
                id=cid,
                detail=f"{', '.join(leaf_only)} chỉ dùng cho tiêu chí không có tiêu chí con",
            )
        placeholder = Criterion(cid, name, loc, field_id, Decimal(0))
        nodes[cid] = placeholder  # reserve the id in tree order
        children = []
        for item in r.sequence(children_node, "criteria"):
            child = _criterion(r, item, placeholder, nodes)
            if child is not None:
                children.append(child)
        if not children:
            r.report("criterion-shape", loc, id=cid, detail="danh sách tiêu chí con rỗng")
        total = sum((ch.max for ch in children if ch.kind == "normal"), Decimal(0))
        built = Criterion(
            cid,
            name,
            loc,
            field_id,
            total,
            tuple(children),
            evidence=r.texts(c.get("evidence"), "evidence"),
            description=r.text(c.get("description"), "description"),
        )
        nodes[cid] = built
        return built
    max_points = r.number(c.get("max"), "max")
    if max_points is None:
        if not has_max:
            r.report(
                "criterion-shape",
                loc,
                id=cid,
                detail="cần 'max' (điểm tối đa) hoặc 'criteria' (tiêu chí con)",
            )
        max_points = Decimal(0)
    elif max_points < 0:
        r.report("criterion-shape", loc, id=cid, detail="max không được âm")
        max_points = Decimal(0)
    kind = r.enum(c.get("kind"), "kind", ["normal", "bonus", "deduction"]) or "normal"
    source = r.enum(c.get("source"), "source", ["self", "survey"]) or "self"
    levels = []
    for item in r.sequence(c.get("levels"), "levels"):
        lv = r.mapping(item, "levels", ["points", "when"], ["points"])
        if lv is not None and (pts := r.number(lv.get("points"), "points")) is not None:
            levels.append(ScoreLevel(pts, r.text(lv.get("when"), "when") or ""))
    bands = []
    for item in r.sequence(c.get("bands"), "bands"):
        b = r.mapping(item, "bands", ["min", "points"], ["min", "points"])
        if b is None:
            continue
        low, pts = r.number(b.get("min"), "min"), r.number(b.get("points"), "points")
        if low is not None and pts is not None:
            bands.append(Band(low, pts))
    if levels and bands:
        r.report("criterion-shape", loc, id=cid, detail="chỉ dùng một trong hai: levels hoặc bands")
    measure = r.mapping(c.get("measure"), "measure", ["name", "unit"], ["name"]) or {}
    built = Criterion(
        cid,
        name,
        loc,
        field_id,
        max_points,
        kind=kind,  # type: ignore[arg-type]
        source=source,  # type: ignore[arg-type]
        levels=tuple(levels),
        bands=tuple(bands),
        measure_name=r.text(measure.get("name"), "name"),
        measure_unit=r.text(measure.get("unit"), "unit"),
        na_allowed=bool(r.boolean(c.get("na_allowed"), "na_allowed")),
        applies_to=r.texts(c.get("applies_to"), "applies_to") if "applies_to" in c else None,
        evidence=r.texts(c.get("evidence"), "evidence"),
        evidence_required=r.boolean(c.get("evidence_required"), "evidence_required") is not False
        and source != "survey",
        description=r.text(c.get("description"), "description"),
    )
    nodes[cid] = built
    return built


# --- scorecards ----------------------------------------------------------------------------
