"""Score stage (pure, no I/O): scorecards + appraisals → exact totals, index, class and rank.

Points are Decimals from the text as written; sums run in pandas on fixed-point integers;
the index is an exact Fraction, so no binary float ever decides a class or a rank.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from builder.model import Assessment, CriteriaSet, CycleData, Unit
from builder.results import CycleResult, FieldResult, LeafResult, UnitResult
from builder.rules.criteria import decimals

ZERO = Decimal(0)


def score_cycle(data: CycleData, late: Mapping[str, bool | None] | None = None) -> CycleResult:
    """Score every registered unit of the cycle; `late` comes from history (None: unknown)."""
    a = data.assessment
    if a is None:
        return CycleResult(data.cycle, ())
    late = late or {}
    appraised = _appraised_index(data)
    leaves = {uid: _leaf_results(data, unit, appraised) for uid, unit in a.units.items()}
    totals = _totals(leaves)
    results = []
    for uid, unit in a.units.items():
        card = data.scorecards.get(uid)
        status = card.status if card else "missing"
        s = data.criteria.get(unit.tier)
        if status == "missing" or s is None or uid not in totals:
            results.append(_missing(unit, status, late.get(uid), s, leaves.get(uid, {})))
            continue
        self_total, final_total, maximum, fields = totals[uid]
        index = Fraction(final_total) * 100 / Fraction(maximum) if maximum > 0 else None
        unit_leaves = leaves[uid]
        results.append(
            UnitResult(
                unit=uid,
                name=unit.name,
                tier=unit.tier,
                group=unit.group,
                status=status,
                self_total=self_total,
                final_total=final_total,
                max=maximum,
                index=index,
                classification=classify(a, index),
                rank=None,
                late=late.get(uid),
                fields=fields,
                leaves=unit_leaves,
                appraised_leaves=sum(
                    1 for r in unit_leaves.values() if r.applicable and r.appraised_points is not None
                ),
                appraisable_leaves=sum(1 for r in unit_leaves.values() if r.applicable),
            )
        )
    return CycleResult(data.cycle, tuple(rank_units(results)))


def _appraised_index(data: CycleData) -> dict[tuple[str, str], tuple[Decimal, tuple[str, ...]]]:
    """(unit, leaf) → the appraised points and who gave them; one pass over every appraisal."""
    a = data.assessment
    index: dict[tuple[str, str], tuple[Decimal, tuple[str, ...]]] = {}
    for reviewer_id, appraisal in data.appraisals.items():  # keyed by file name
        reviewer = a.reviewers.get(reviewer_id) if a else None
        for score in appraisal.scores:
            if score.points is None or reviewer is None or not reviewer.covers(score.criterion_id):
                continue  # outside the assignment: reported by a rule, never counted
            key = (score.unit, score.criterion_id)
            points, who = index.get(key, (score.points, ()))
            index[key] = (points, (*who, reviewer_id))  # the first reviewer's points count
    return index


def _leaf_results(
    data: CycleData, unit: Unit, appraised: dict[tuple[str, str], tuple[Decimal, tuple[str, ...]]]
) -> dict[str, LeafResult]:
    s = data.criteria.get(unit.tier)
    if s is None:
        return {}
    card = data.scorecards.get(unit.id)
    results = {}
    for leaf in s.applicable_leaves(unit.kind):
        own = card.scores.get(leaf.id) if card else None
        not_applicable = bool(own and own.not_applicable and leaf.na_allowed)
        self_points = None if (own is None or not_applicable or leaf.source == "survey") else own.points
        appraised_points, by = appraised.get((unit.id, leaf.id), (None, ()))
        if not_applicable:
            appraised_points = None
        final = appraised_points if appraised_points is not None else self_points
        counts = not not_applicable and leaf.kind == "normal"
        results[leaf.id] = LeafResult(
            leaf.id,
            leaf.max if counts else ZERO,
            not not_applicable,
            self_points,
            appraised_points,
            final,
            tuple(by),
        )
    return results


def _totals(
    leaves: Mapping[str, Mapping[str, LeafResult]],
) -> dict[str, tuple[Decimal, Decimal, Decimal, dict[str, FieldResult]]]:
    """Per unit: self total, final total, max and per-field sums, exact (fixed-point ints)."""
    rows = [
        (uid, cid.split(".")[0], r.max, r.self_points or ZERO, r.final_points or ZERO)
        for uid, unit_leaves in leaves.items()
        for cid, r in unit_leaves.items()
    ]
    if not rows:
        return {}
    places = max(3, *(decimals(v) for row in rows for v in row[2:]))
    scale = 10**places
    dtype: object = "int64" if places <= 9 else object  # int64 holds 9 places safely
    frame = pd.DataFrame(
        [(u, f, int(m * scale), int(sp * scale), int(fp * scale)) for u, f, m, sp, fp in rows],
        columns=["unit", "field", "max", "self", "final"],
    ).astype({"max": dtype, "self": dtype, "final": dtype})
    by_field = frame.groupby(["unit", "field"], sort=False)[["self", "final", "max"]].sum()
    by_unit = frame.groupby("unit", sort=False)[["self", "final", "max"]].sum()

    def exact(value: int) -> Decimal:
        return Decimal(int(value)).scaleb(-places).normalize() + ZERO

    fields: dict[str, dict[str, FieldResult]] = defaultdict(dict)
    for (uid, fid), own, final, maximum in zip(
        by_field.index, by_field["self"], by_field["final"], by_field["max"], strict=True
    ):
        fields[uid][fid] = FieldResult(exact(own), exact(final), exact(maximum))
    return {
        uid: (exact(own), exact(final), exact(maximum), dict(fields[uid]))
        for uid, own, final, maximum in zip(
            by_unit.index, by_unit["self"], by_unit["final"], by_unit["max"], strict=True
        )
    }


def _missing(
    unit: Unit, status: str, late: bool | None, s: CriteriaSet | None, leaves: dict[str, LeafResult]
) -> UnitResult:
    return UnitResult(
        unit=unit.id,
        name=unit.name,
        tier=unit.tier,
        group=unit.group,
        status=status,  # type: ignore[arg-type]
        self_total=None,
        final_total=None,
        max=None,
        index=None,
        classification=None,
        rank=None,
        late=late,
        fields={},
        leaves=leaves if status != "missing" else {},
    )


def classify(a: Assessment, index: Fraction | None) -> str | None:
    """The first class whose min the exact index reaches."""
    if index is None:
        return None
    return next((c.label for c in a.classification if Fraction(c.min) <= index), None)


def rank_units(results: list[UnitResult]) -> list[UnitResult]:
    """Competition ranking (1, 2, 2, 4) of submitted units within tier and group.

    Ranked units come first in rank order per group, then drafts, then missing units."""
    from dataclasses import replace

    groups: dict[tuple[str, str | None], list[UnitResult]] = defaultdict(list)
    for r in results:
        if r.status == "submitted" and r.index is not None:
            groups[(r.tier, r.group)].append(r)
    ranks: dict[str, int] = {}
    for members in groups.values():
        members.sort(key=lambda r: r.index, reverse=True)  # type: ignore[arg-type, return-value]
        for position, r in enumerate(members, start=1):
            previous = members[position - 2] if position > 1 else None
            same = previous is not None and previous.index == r.index
            ranks[r.unit] = ranks[previous.unit] if same and previous else position
    order = {"submitted": 0, "draft": 1, "missing": 2}
    tier_order = {t: i for i, t in enumerate(dict.fromkeys(r.tier for r in results))}
    ranked = [replace(r, rank=ranks.get(r.unit)) for r in results]
    return sorted(
        ranked,
        key=lambda r: (
            tier_order[r.tier],
            r.group or "",
            order[r.status] if r.rank is None else -1,
            r.rank or 0,
            -(r.index or 0),
        ),
    )


def round_half_up(value: Decimal | Fraction, places: int) -> Decimal:
    """Round an exact value half-up (away from zero) to `places` decimals, exactly."""
    scaled = abs(Fraction(value)) * 10**places
    whole = math.floor(scaled + Fraction(1, 2))
    return Decimal(-whole if value < 0 else whole).scaleb(-places)


def index_decimal(index: Fraction, places: int = 10) -> Decimal:
    """The index as a Decimal: exact when it terminates, else rounded half-up at `places`."""
    denominator = index.denominator
    for p in (2, 5):
        while denominator % p == 0:
            denominator //= p
    if denominator == 1:
        return Decimal(index.numerator) / Decimal(index.denominator) + ZERO
    return round_half_up(index, places).normalize() + ZERO


def shown(value: Decimal | Fraction, places: int = 2) -> Decimal:
    """A value rounded half-up for display (exact input, so 79.995 shows as 80.00)."""
    return round_half_up(value, places)
