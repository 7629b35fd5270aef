"""Rules on criteria/<cycle>/assessment.yaml: tiers, classes, time zone, reviewers' criteria."""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from builder.model import Loc, Problem
from builder.problems import did_you_mean, problem
from builder.rules.registry import Context, rule


@rule
def unit_tiers(ctx: Context) -> Iterator[Problem]:
    """tier-unknown: every unit's tier is declared under `tiers`."""
    a = ctx.data.assessment
    if a is None:
        return
    for unit in a.units.values():
        if unit.tier not in a.tiers:
            yield problem("tier-unknown", unit.loc, tier=unit.tier, hint=did_you_mean(unit.tier, a.tiers))


@rule
def classification(ctx: Context) -> Iterator[Problem]:
    """classification-order, classification-floor: classes listed highest first, down to 0."""
    a = ctx.data.assessment
    if a is None or not a.classification:
        return
    previous = None
    for band in a.classification:
        if previous is not None and band.min >= previous:
            yield problem("classification-order", band.loc, label=band.label, min=band.min)
        previous = band.min if previous is None else min(previous, band.min)
    lowest = a.classification[-1]
    if lowest.min > 0:
        yield problem("classification-floor", lowest.loc, min=lowest.min)


@rule
def timezone(ctx: Context) -> Iterator[Problem]:
    """timezone-unknown: `timezone` is an IANA zone, so deadlines are exact."""
    a = ctx.data.assessment
    if a is None:
        return
    try:
        ZoneInfo(a.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        yield problem("timezone-unknown", Loc(a.path), tz=a.timezone)


@rule
def reviewer_criteria(ctx: Context) -> Iterator[Problem]:
    """reviewer-criterion-unknown: reviewers are assigned criteria that exist."""
    a = ctx.data.assessment
    if a is None or not ctx.data.criteria:
        return
    known = {cid for s in ctx.data.criteria.values() for cid in s.nodes}
    for reviewer in a.reviewers.values():
        for cid in reviewer.criteria:
            if cid not in known:
                yield problem(
                    "reviewer-criterion-unknown", reviewer.loc, id=cid, hint=did_you_mean(cid, known)
                )
