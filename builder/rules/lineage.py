"""Rules on units' lineage across cycles: `merged_from` and `renamed_from` name earlier units."""

from __future__ import annotations

from collections.abc import Iterator

from builder.load import cycle as loader
from builder.model import Problem
from builder.problems import did_you_mean, problem
from builder.rules.registry import Context, rule


def earlier_unit_ids(ctx: Context) -> set[str]:
    """Every unit id of the cycles before this one (their assessments only)."""
    found: set[str] = set()
    for cycle in loader.cycles(ctx.tree):
        if cycle >= ctx.data.cycle:
            break
        a = loader.load_assessment(ctx.tree, cycle)
        if a is not None:
            found.update(a.units)
    return found


@rule
def lineage(ctx: Context) -> Iterator[Problem]:
    """lineage-unknown: `merged_from` / `renamed_from` name units of an earlier cycle."""
    a = ctx.data.assessment
    if a is None or not any(u.merged_from or u.renamed_from for u in a.units.values()):
        return
    known = earlier_unit_ids(ctx)
    for unit in a.units.values():
        named = [("merged_from", m) for m in unit.merged_from]
        if unit.renamed_from:
            named.append(("renamed_from", unit.renamed_from))
        for key, uid in named:
            if uid not in known:
                loc = unit.lineage_loc or unit.loc
                hint = did_you_mean(uid, known)
                yield problem("lineage-unknown", loc, key=key, id=uid, cycle=ctx.data.cycle, hint=hint)
