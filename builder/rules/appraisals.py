"""Rules on appraisal files: assignments, units, points, conflicts and supplement requests."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from builder.model import Problem
from builder.problems import did_you_mean, problem
from builder.rules.registry import Context, rule
from builder.rules.scorecards import check_points, leaf_for, set_name


@rule
def appraised_scores(ctx: Context) -> Iterator[Problem]:
    """appraisal-unit-unknown, appraisal-outside-assignment, appraisal-conflict,
    appraisal-unit-missing, appraisal-no-comment, and the point checks of scorecards."""
    a = ctx.data.assessment
    if a is None:
        return
    given: dict[tuple[str, str], tuple[str, Decimal]] = {}
    warned: set[tuple[str, str]] = set()  # (reviewer, unit) already reported once
    for reviewer_id, appraisal in ctx.data.appraisals.items():
        reviewer = a.reviewers[reviewer_id]
        for score in appraisal.scores:
            unit = a.units.get(score.unit)
            if unit is None:
                if (reviewer_id, score.unit) not in warned:
                    warned.add((reviewer_id, score.unit))
                    yield problem(
                        "appraisal-unit-unknown",
                        score.loc,
                        unit=score.unit,
                        hint=did_you_mean(score.unit, a.units),
                    )
                continue
            s = ctx.data.criteria.get(unit.tier)
            if s is None:
                continue
            leaf, found = leaf_for(s, unit, score.criterion_id, score.loc, survey_ok=True)
            yield from found
            if leaf is None:
                continue
            if not reviewer.covers(leaf.id):
                yield problem(
                    "appraisal-outside-assignment",
                    score.loc,
                    id=leaf.id,
                    reviewer=reviewer.name,
                    assigned=", ".join(reviewer.criteria),
                )
                continue
            if score.points is None:
                if score.points_loc is None:  # an unreadable value was reported already
                    yield problem("points-missing", score.loc, id=leaf.id)
                continue
            yield from check_points(s, leaf, score.points, score.loc)
            key = (unit.id, leaf.id)
            if key in given and given[key][1] != score.points:
                other, other_points = given[key]
                yield problem(
                    "appraisal-conflict",
                    score.loc,
                    id=leaf.id,
                    unit=unit.id,
                    other=a.reviewers[other].name,
                    other_points=other_points,
                )
            given.setdefault(key, (reviewer_id, score.points))
            card = ctx.data.scorecards.get(unit.id)
            if card is None:
                # a folder whose files could not be read was reported already
                if unit.id not in ctx.data.unit_folders and (reviewer_id, unit.id) not in warned:
                    warned.add((reviewer_id, unit.id))
                    yield problem("appraisal-unit-missing", score.loc, unit=unit.id)
                continue
            own = card.scores.get(leaf.id)
            self_points = own.points if own is not None else None
            if leaf.source != "survey" and self_points != score.points and not score.comment:
                yield problem(
                    "appraisal-no-comment",
                    score.loc,
                    points=score.points,
                    self=self_points if self_points is not None else "(chưa chấm)",
                )


@rule
def requests(ctx: Context) -> Iterator[Problem]:
    """request-dates and the unit/criterion/assignment checks for supplement requests."""
    a = ctx.data.assessment
    if a is None:
        return
    for reviewer_id, appraisal in ctx.data.appraisals.items():
        reviewer = a.reviewers[reviewer_id]
        for req in appraisal.requests:
            unit = a.units.get(req.unit)
            if unit is None:
                yield problem(
                    "appraisal-unit-unknown", req.loc, unit=req.unit, hint=did_you_mean(req.unit, a.units)
                )
                continue
            s = ctx.data.criteria.get(unit.tier)
            for cid in req.criteria:
                if s is not None and cid not in s.nodes:
                    yield problem(
                        "criterion-unknown",
                        req.loc,
                        id=cid,
                        tier=set_name(s),
                        hint=did_you_mean(cid, s.nodes),
                    )
                elif not reviewer.covers(cid):
                    yield problem(
                        "appraisal-outside-assignment",
                        req.loc,
                        id=cid,
                        reviewer=reviewer.name,
                        assigned=", ".join(reviewer.criteria),
                    )
            if req.date and req.due and req.due < req.date:
                yield problem("request-dates", req.loc, due=req.due.isoformat(), date=req.date.isoformat())
