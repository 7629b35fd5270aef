"""Git stage, for `check`: a cycle's tree narrowed to the units it needs, and the untouched units
of the touched units' ranking groups, which only rank them: from the result cache, or read and
scored once at head (untouched: the same at base)."""

from __future__ import annotations

from dataclasses import replace

from builder.git.repo import GitTree
from builder.git.result_cache import ResultCache, cache_folder
from builder.load import cycle as loader
from builder.model import CycleData, Unit
from builder.results import UnitResult
from builder.score import score_cycle


class ScopedTree(loader.NarrowedTree):
    """A Tree that lists only some unit folders of one cycle (None: all of them), optionally
    only some of its appraisal files (paths), and optionally none of its criteria folder (the
    base's configuration is the head's: a second parse of a national registry costs seconds)."""

    def __init__(
        self,
        tree: loader.Tree,
        cycle: str,
        units: set[str] | None,
        appraisals: set[str] | None = None,
        no_criteria: bool = False,
    ) -> None:
        super().__init__(tree)
        self.folder, self.units = f"submissions/{cycle}", units
        self.appraisal_folder, self.appraisals = f"appraisals/{cycle}", appraisals
        self.hidden = f"criteria/{cycle}" if no_criteria else None

    def list_dir(self, relpath: str) -> list[tuple[str, bool]]:
        if relpath == self.hidden:
            return []
        found = self.tree.list_dir(relpath)
        if relpath == self.folder and self.units is not None:
            return [e for e in found if e[0] in self.units]
        if relpath == self.appraisal_folder and self.appraisals is not None:
            return [e for e in found if f"{relpath}/{e[0]}" in self.appraisals]
        return found


def only_units(data: CycleData, units: set[str] | None) -> CycleData:
    """The cycle restricted to some registered units, so scoring costs what was read."""
    if units is None or data.assessment is None:
        return data
    kept = {uid: u for uid, u in data.assessment.units.items() if uid in units}
    return replace(data, assessment=replace(data.assessment, units=kept))


def ranked_others(
    cycle: str, others: set[str], head_data: CycleData, head: GitTree, use_cache: bool
) -> tuple[list[UnitResult], int]:
    """The results of the group's untouched units, which only rank the touched ones: the same at
    base and head (untouched), so each is taken from the cache or read and scored once, at head."""
    a = head_data.assessment
    if not others or a is None:
        return [], 0
    registry = {uid: _registered(a.units[uid]) for uid in others if uid in a.units}
    rc = ResultCache(cache_folder(head) if use_cache else None, head, cycle)
    keys: dict[str, str] = {}
    found: list[UnitResult] = []
    if rc.enabled:
        mentions = _mentions(head_data, rc.appraisal_names())
        for uid, stub in registry.items():
            key = rc.key(uid, mentions.get(uid, ()))
            hit = rc.get(key, stub) if key is not None else None
            if hit is not None:
                found.append(hit)
            elif key is not None:
                keys[uid] = key
    missing = set(registry) - {r.unit for r in found}
    if missing:
        # the configuration, criteria and appraisals are in head_data already: folders only
        read = loader.load_cycle(ScopedTree(head, cycle, missing, set(), no_criteria=True), cycle)
        head_data.unit_folders.update(read.unit_folders)  # known to the rules (appraisal-unit-missing)
        scored = score_cycle(only_units(replace(head_data, scorecards=read.scorecards), missing)).units
        for r in scored:
            if r.unit in keys:
                rc.put(keys[r.unit], r)
        found += scored
    return found, rc.hits


def _registered(unit: Unit) -> UnitResult:
    """A unit as the registry knows it, before any result: what a cached entry completes."""
    return UnitResult(
        unit.id, unit.name, unit.tier, unit.group, "missing", None, None, None, None, None, None, None, {}, {}
    )


def _mentions(data: CycleData, names: dict[str, list[str]]) -> dict[str, list[str]]:
    """Unit → the appraisal files (names in the cycle's folder) whose scores or requests name it."""
    out: dict[str, list[str]] = {}
    for reviewer, appraisal in data.appraisals.items():
        for uid in {s.unit for s in appraisal.scores} | {r.unit for r in appraisal.requests}:
            out.setdefault(uid, []).extend(names.get(reviewer, [reviewer]))
    return out


def narrowed(data: CycleData, units: set[str], touched: set[str]) -> CycleData:
    """The untouched appraisal files reduced to the scores and requests of `units`: what the
    rules report in them is out of scope, and scoring `units` reads nothing else of them (the
    order of files, which decides whose points count, is kept). A national appraisal file
    scores thousands of units; the touched ones are kept whole (their problems are in scope)."""
    kept = {
        reviewer: a
        if a.path in touched
        else replace(
            a,
            scores=tuple(x for x in a.scores if x.unit in units),
            requests=tuple(x for x in a.requests if x.unit in units),
        )
        for reviewer, a in data.appraisals.items()
    }
    return replace(data, appraisals=kept)
