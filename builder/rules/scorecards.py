"""Rules on scorecards: ids, applicability, points, bands, N/A and completeness."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from builder.model import CriteriaSet, Criterion, Level, Loc, Problem, Scorecard, Unit
from builder.problems import did_you_mean, problem
from builder.rules.criteria import decimals, point_range
from builder.rules.registry import Context, rule


def set_name(s: CriteriaSet) -> str:
    """The criteria set as a message names it: its title ("bộ tiêu chí cấp xã"), never the tier's
    key, which means nothing to an officer."""
    return s.title[:1].lower() + s.title[1:] if s.title else "bộ tiêu chí áp dụng cho đơn vị"


def leaf_for(
    s: CriteriaSet, unit: Unit, cid: str, loc: Loc, survey_ok: bool = False
) -> tuple[Criterion | None, list[Problem]]:
    """The leaf a unit (or its reviewer) may score under this id, or the problem with it."""
    node = s.nodes.get(cid)
    if node is None:
        hint = did_you_mean(cid, [c for c in s.leaves if s.leaves[c].applies(unit.kind)])
        return None, [problem("criterion-unknown", loc, id=cid, tier=set_name(s), hint=hint)]
    if not node.is_leaf:
        leaves = [c for c in s.leaves if c.startswith(cid + ".")]
        shown = ", ".join(leaves[:6]) + (", …" if len(leaves) > 6 else "")
        return None, [problem("criterion-not-leaf", loc, id=cid, children=shown)]
    if not node.applies(unit.kind):
        return None, [problem("criterion-not-for-unit", loc, id=cid, kinds=", ".join(node.applies_to or ()))]
    if node.source == "survey" and not survey_ok:
        return None, [problem("survey-self-scored", loc, id=cid)]
    return node, []


def band_points(leaf: Criterion, value: Decimal) -> Decimal:
    """Points of the first band whose min the value reaches (0 below every band)."""
    return next((b.points for b in leaf.bands if value >= b.min), Decimal(0))


def check_points(s: CriteriaSet, leaf: Criterion, points: Decimal, loc: Loc) -> Iterator[Problem]:
    """score-above-max, score-below-min, score-not-in-levels, score-precision."""
    low, high = point_range(leaf)
    if points > high:
        yield problem("score-above-max", loc, points=points, max=high, id=leaf.id)
    elif points < low:
        yield problem("score-below-min", loc, points=points, min=low, id=leaf.id)
    elif leaf.levels and points not in {lv.points for lv in leaf.levels}:
        allowed = ", ".join(str(lv.points) for lv in leaf.levels)
        yield problem("score-not-in-levels", loc, points=points, id=leaf.id, levels=allowed)
    if decimals(points) > s.precision:
        yield problem("score-precision", loc, points=points, precision=s.precision)


def _scorecard_units(ctx: Context) -> Iterator[tuple[Scorecard, Unit, CriteriaSet]]:
    a = ctx.data.assessment
    if a is None:
        return
    for card in ctx.data.scorecards.values():
        unit = a.units.get(card.unit)
        s = ctx.data.criteria.get(unit.tier) if unit else None
        if unit is not None and s is not None:
            yield card, unit, s


@rule
def scores(ctx: Context) -> Iterator[Problem]:
    """criterion-unknown, criterion-not-leaf, criterion-not-for-unit, survey-self-scored,
    points-missing, score-*, value-missing, band-mismatch, value-not-expected, na-*,
    evidence-missing: each scored entry is a leaf the unit may score, with valid points."""
    for card, unit, s in _scorecard_units(ctx):
        # a draft may be incomplete: what is merely missing is a warning there
        missing_level: Level = "error" if card.status == "submitted" else "warning"
        for score in card.scores.values():
            leaf, found = leaf_for(s, unit, score.criterion_id, score.loc)
            yield from found
            if leaf is None:
                continue
            if score.not_applicable:
                if not leaf.na_allowed:
                    yield problem("na-not-allowed", score.loc, id=leaf.id)
                if not score.reason:
                    yield problem("na-no-reason", score.loc, id=leaf.id)
                if score.points is not None:
                    yield problem("na-with-points", score.points_loc or score.loc, id=leaf.id)
                continue
            if score.points is None:
                if score.points_loc is None:  # an unreadable value was reported already
                    yield problem("points-missing", score.loc, level=missing_level, id=leaf.id)
                continue
            points_loc = score.points_loc or score.loc
            yield from check_points(s, leaf, score.points, points_loc)
            if leaf.bands:
                if score.value is None:
                    measure = leaf.measure_name or "giá trị đo"
                    yield problem("value-missing", score.loc, id=leaf.id, measure=measure)
                elif (expected := band_points(leaf, score.value)) != score.points:
                    yield problem(
                        "band-mismatch",
                        points_loc,
                        value=score.value,
                        id=leaf.id,
                        expected=expected,
                        points=score.points,
                    )
            elif score.value is not None:
                yield problem("value-not-expected", score.value_loc or score.loc, id=leaf.id)
            if leaf.evidence_required and score.points != 0 and not score.evidence and not score.explanation:
                yield problem("evidence-missing", score.loc, level=missing_level, id=leaf.id)


@rule
def completeness(ctx: Context) -> Iterator[Problem]:
    """leaf-missing: a submitted scorecard scores every applicable leaf (a draft: warnings)."""
    for card, unit, s in _scorecard_units(ctx):
        level: Level = "error" if card.status == "submitted" else "warning"
        for leaf in s.applicable_leaves(unit.kind):
            if leaf.source != "survey" and leaf.id not in card.scores:
                yield problem("leaf-missing", card.loc, level=level, id=leaf.id, name=leaf.name)
