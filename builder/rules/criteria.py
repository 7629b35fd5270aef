"""Rules on criteria sets: totals, levels and bands within range, decimals."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from builder.model import Criterion, Loc, Problem
from builder.problems import problem
from builder.rules.registry import Context, rule


def point_range(leaf: Criterion) -> tuple[Decimal, Decimal]:
    """The points a leaf may take: [0, max], or [-max, 0] for a deduction."""
    return (-leaf.max, Decimal(0)) if leaf.kind == "deduction" else (Decimal(0), leaf.max)


def decimals(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@rule
def max_total(ctx: Context) -> Iterator[Problem]:
    """max-total-mismatch: `max_total` equals the sum of the leaves' maxima (no bonus/deduction)."""
    for s in ctx.data.criteria.values():
        total = sum((c.max for c in s.leaves.values() if c.kind == "normal"), Decimal(0))
        if s.max_total is not None and total != s.max_total:
            yield problem("max-total-mismatch", Loc(s.path), sum=total, max_total=s.max_total)


@rule
def levels_and_bands(ctx: Context) -> Iterator[Problem]:
    """level-out-of-range, band-order, score-precision: a leaf's own options are consistent."""
    for s in ctx.data.criteria.values():
        for leaf in s.leaves.values():
            low, high = point_range(leaf)
            options = [lv.points for lv in leaf.levels] + [b.points for b in leaf.bands]
            for points in options:
                if not low <= points <= high:
                    yield problem(
                        "level-out-of-range", leaf.loc, id=leaf.id, points=points, low=low, high=high
                    )
                if decimals(points) > s.precision:
                    yield problem("score-precision", leaf.loc, points=points, precision=s.precision)
            mins = [b.min for b in leaf.bands]
            if any(a <= b for a, b in zip(mins, mins[1:], strict=False)):
                yield problem("band-order", leaf.loc, id=leaf.id)
