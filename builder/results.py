"""Results: frozen dataclasses for what is computed: exact scores of each unit and the history Git tells."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from builder.model import Criterion, Status

# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeafResult:
    """Self, appraised and final points of one leaf for one unit."""

    criterion_id: str
    max: Decimal  # 0 when the leaf does not count toward the max (bonus, N/A)
    applicable: bool
    self_points: Decimal | None
    appraised_points: Decimal | None
    final_points: Decimal | None
    appraised_by: tuple[str, ...] = ()


def results_under(node: Criterion, leaves: dict[str, LeafResult]) -> list[LeafResult]:
    """The results of the leaves under `node` (itself when it is a leaf) that the unit has."""
    if node.is_leaf:
        return [leaves[node.id]] if node.id in leaves else []
    return [r for child in node.children for r in results_under(child, leaves)]


def appraised_sum(leaves: Iterable[LeafResult]) -> Decimal | None:
    """The council's points of a row (a parent, a field, a unit's total): their sum when it
    appraised every applicable leaf under the row, else None (shown "—"). One meaning on the
    site, in the CSV and in the workbook, so the number always compares with the row's max and
    self points (a partial sum would read as the council cutting the points it has not seen)."""
    applicable = [r for r in leaves if r.applicable]
    if not applicable or any(r.appraised_points is None for r in applicable):
        return None
    return sum((r.appraised_points or Decimal(0) for r in applicable), Decimal(0))


@dataclass(frozen=True)
class FieldResult:
    self: Decimal
    final: Decimal
    max: Decimal


@dataclass(frozen=True)
class UnitResult:
    """A unit's exact totals, index, class and rank for a cycle."""

    unit: str
    name: str
    tier: str
    group: str | None
    status: Status
    self_total: Decimal | None
    final_total: Decimal | None
    max: Decimal | None
    index: Fraction | None
    classification: str | None
    rank: int | None
    late: bool | None
    fields: dict[str, FieldResult]
    leaves: dict[str, LeafResult]
    appraised_leaves: int = 0
    appraisable_leaves: int = 0


@dataclass(frozen=True)
class CycleResult:
    cycle: str
    units: tuple[UnitResult, ...]


# --- history (filled by history.py, the only module that knows Git) ------------------------


@dataclass(frozen=True)
class Change:
    """One commit that touched a unit's scorecard folder on the main line."""

    commit: str  # full hex sha
    date: datetime  # committer date, timezone-aware
    author: str
    files: tuple[str, ...]
    criteria: tuple[str, ...] = ()  # leaf ids whose entry changed
    event: Literal["created", "submitted", "changed"] = "changed"
    after_deadline: bool = False
    requested: bool = False  # every changed criterion was under a supplement request
    late_criteria: tuple[str, ...] = ()  # changed after the deadline with no request (late-change)
    unverified: str = ""  # why its landing time cannot be checked (not made by a trusted
    # committer, or dated before its parent) when it submitted or changed a submitted
    # scorecard and is not provably late; empty: trusted (landing-time-unverifiable)


@dataclass(frozen=True)
class UnitHistory:
    unit: str
    submitted_at: datetime | None  # first commit where the scorecard became `submitted`
    late: bool | None  # None: history cannot tell
    changes: tuple[Change, ...] = ()
    deadline_commit: str | None = None  # whose state counts: last on or before the deadline,
    # or the late submission itself; `late_changes: freeze` scores this state
    unverified: bool = False  # some change's landing time cannot be checked (never "on time")


@dataclass(frozen=True)
class CycleHistory:
    """What Git tells about a cycle; `known` is False on a plain folder (then all is unknown)."""

    cycle: str
    known: bool
    units: dict[str, UnitHistory] = field(default_factory=dict)
    commit: str | None = None  # the commit the data comes from
    commit_date: datetime | None = None
    notes: tuple[str, ...] = ()  # Vietnamese notes, e.g. "bản sao nông (shallow clone)…"
    shallow: bool = False  # history is cut at a shallow-clone boundary

    def late(self) -> dict[str, bool | None]:
        return {uid: h.late for uid, h in self.units.items()}
