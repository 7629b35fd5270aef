"""A closed cycle stays closed: after `closed` (the decision that published its results) in
assessment.yaml, `check` refuses any change under the cycle's submissions/ or appraisals/,
except an administrator's correction recorded in `corrections` with its old and new points."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from builder.git.ownership import Ownership, normalize, read_assessment
from builder.load.cycle import Tree
from builder.model import Assessment, Correction, Loc, Problem
from builder.numbers import vn_number
from builder.problems import problem


def closed_cycles(tree: Tree, cycles: set[str]) -> dict[str, Assessment]:
    """The cycles among `cycles` that are closed in `tree` (the base: the rules in force)."""
    found = {}
    for cycle in sorted(cycles):
        a = read_assessment(tree, cycle)
        if a is not None and a.closed is not None:
            found[cycle] = a
    return found


def _matches(c: Correction, unit: str, cid: str, old: object, new: object) -> bool:
    return (
        c.unit == unit
        and c.criterion == cid
        and (c.old is None or old is None or c.old == old)
        and (c.new is None or new is None or c.new == new)
    )


def _points(value: Decimal | Fraction | None) -> str:
    return "trống" if value is None else vn_number(value, 3).rstrip("0").rstrip(",")


def closed_problems(
    closed: dict[str, Assessment],
    head: Tree,
    touched: list[str],
    diffs: list,  # check.UnitDiff (not imported: check imports this module)
    actor: str | None,
    own: Ownership,
) -> list[Problem]:
    """cycle-closed on each touched file of a closed cycle unless `actor` is an admin; for an
    admin, correction-missing on each changed final score without a matching correction."""
    admin = actor is not None and normalize(actor).lower() in {a.lower() for a in own.admins}
    found: list[Problem] = []
    for cycle, a in closed.items():
        assert a.closed is not None
        paths = [p for p in touched if p.split("/")[:2] in (["submissions", cycle], ["appraisals", cycle])]
        if not paths:
            continue
        if not admin:
            number, day = a.closed.number, a.closed.date.strftime("%d/%m/%Y")
            found += [problem("cycle-closed", Loc(p), cycle=cycle, number=number, date=day) for p in paths]
            continue
        now = read_assessment(head, cycle)  # the admin records the correction in the same change
        corrections = now.corrections if now is not None else ()
        for d in (d for d in diffs if d.cycle == cycle):
            mine = [p for p in paths if p.startswith(f"submissions/{cycle}/{d.unit}/")]
            where = Loc(mine[0] if mine else f"criteria/{cycle}/assessment.yaml")
            for leaf in d.leaves:
                old, new = leaf.final_before, leaf.final_after
                if old == new or any(_matches(c, d.unit, leaf.criterion, old, new) for c in corrections):
                    continue
                found.append(
                    problem(
                        "correction-missing",
                        where,
                        id=leaf.criterion,
                        unit=d.unit,
                        old=_points(old),
                        new=_points(new),
                    )
                )
    return found
