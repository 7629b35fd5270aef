"""A unit's line in the previous cycle: itself, the unit it was renamed from, or the units merged into it."""

from __future__ import annotations

from dataclasses import dataclass

from builder.model import Unit
from builder.results import CycleResult, UnitResult


@dataclass(frozen=True)
class Lineage:
    """What a unit was in the previous cycle.

    `same` is the unit's own result (under its id, or the id it was renamed from: `renamed`);
    `merged` lists the results of the other units merged into it. A merged unit's index
    compares with no single earlier index, so no year-over-year change is computed for it:
    the parts are shown instead.
    """

    same: UnitResult | None
    merged: tuple[UnitResult, ...] = ()
    renamed: bool = False

    @property
    def known(self) -> bool:
        return self.same is not None or bool(self.merged)


def lineage(unit: Unit, previous: CycleResult | None) -> Lineage:
    """Follow `renamed_from` and `merged_from` into the previous cycle's results."""
    if previous is None:
        return Lineage(None)
    by_id = {r.unit: r for r in previous.units}
    same, renamed = by_id.get(unit.id), False
    if same is None and unit.renamed_from in by_id:
        same, renamed = by_id[unit.renamed_from], True
    merged = tuple(by_id[m] for m in unit.merged_from if m in by_id and m != unit.id)
    return Lineage(same, merged, renamed)
