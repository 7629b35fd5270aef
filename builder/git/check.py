"""Git stage, the pull-request check: validate the data at head but report only what the change touches, the
late changes it would make, files its author does not own, and each touched unit's score
before → after. Its cost follows the change: the touched units are read at head and, where
touched, at base; the other units of their ranking groups, the same at both sides, come from the
result cache or are read and scored once (builder/git/group.py); no `git log` is run.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from builder.git.closed import closed_cycles, closed_problems
from builder.git.group import ScopedTree, narrowed, ranked_others
from builder.git.group import only_units as _only
from builder.git.history import clock_for
from builder.git.lateness import LateWarnings
from builder.git.ownership import ownership, read_assessment, remember_assessment
from builder.git.repo import GitTree, changed_paths, open_tree
from builder.git.result_cache import disabled_by_env
from builder.load import cycle as loader
from builder.load.parse import parse_appraisal
from builder.load.reader import Reader
from builder.load.yamlfile import read_yaml
from builder.model import Assessment, CycleData, Loc, Problem, Score, Scorecard
from builder.problems import problem
from builder.results import UnitResult
from builder.rules.validate import validate
from builder.score import rank_units, score_cycle


@dataclass
class CycleScope:
    """What a change touches in one cycle."""

    units: set[str] = field(default_factory=set)  # unit folders with a changed file
    appraisals: set[str] = field(default_factory=set)  # appraisal files changed
    everything: bool = False  # criteria/<cycle>/ changed: every unit may be affected


@dataclass(frozen=True)
class LeafChange:
    criterion: str
    name: str
    self_before: Decimal | None
    self_after: Decimal | None
    final_before: Decimal | None
    final_after: Decimal | None


@dataclass(frozen=True)
class UnitDiff:
    cycle: str
    unit: str
    name: str
    before: UnitResult | None
    after: UnitResult | None
    leaves: tuple[LeafChange, ...]


@dataclass
class CheckResult:
    base: str
    head: str
    touched: list[str]
    problems: list[Problem]  # in touched files, most important first
    diffs: list[UnitDiff]
    loaded: int  # unit folders needed at base and head together, read or cached (the output's cost)
    notes: list[str] = field(default_factory=list)
    cached: int = 0  # of `loaded`, the results taken from the cache (never in the output)


def scopes(paths: list[str]) -> dict[str, CycleScope]:
    found: dict[str, CycleScope] = {}
    for path in paths:
        parts = path.split("/")
        if len(parts) < 3 or parts[0] not in ("criteria", "submissions", "appraisals"):
            continue
        scope = found.setdefault(parts[1], CycleScope())
        if parts[0] == "criteria":
            scope.everything = True
        elif parts[0] == "submissions" and len(parts) >= 4:
            scope.units.add(parts[2])
        elif parts[0] == "appraisals" and len(parts) == 3:
            scope.appraisals.add(path)
    return found


def in_scope(path: str, touched: set[str], found: dict[str, CycleScope]) -> bool:
    if path in touched:
        return True
    parts = path.split("/")
    if len(parts) < 3 or parts[1] not in found:
        return False
    scope = found[parts[1]]
    if scope.everything:
        return parts[0] in ("criteria", "submissions", "appraisals")
    return parts[0] == "submissions" and len(parts) >= 4 and parts[2] in scope.units


def run_check(
    root: Path,
    base_rev: str,
    head_rev: str = "HEAD",
    actor: str | None = None,
    cycle: str | None = None,
    use_cache: bool = True,
) -> CheckResult:
    """Everything `check` reports, from two commits of the repository at `root`; `use_cache`
    False (or PAR_NO_CACHE=1) reads every needed unit folder even when its result is cached."""
    use_cache = use_cache and not disabled_by_env()
    head, base = open_tree(root, head_rev), open_tree(root, base_rev)
    touched, note = changed_paths(base, head)
    found = {c: v for c, v in scopes(touched).items() if cycle is None or c == cycle}
    result = CheckResult(base.sha, head.sha, touched, [], [], 0, [note] if note else [])
    problems: list[Problem] = []
    for cycle in sorted(found):
        problems += _check_cycle(cycle, found[cycle], base, head, result, use_cache)
    touched_set = set(touched)
    orphans = loader.orphan_cycle_problems(head)
    problems += [p for p in orphans if any(t.startswith(p.path + "/") for t in touched)]
    kept = [p for p in set(problems) if in_scope(p.path, touched_set, found)]
    closed = closed_cycles(base, set(found))  # closed before the change: a PR cannot reopen
    if actor or closed:
        own = ownership(base)  # the rules in force before the change: a PR cannot grant itself
        kept += closed_problems(closed, head, touched, result.diffs, actor, own)
    if actor:
        for path in touched:
            if not own.may_change(actor, path):
                owners = ", ".join(own.owners_of(path) or own.admins) or "chưa khai báo (admins)"
                login = actor if actor.startswith("@") else f"@{actor}"
                kept.append(problem("not-owner", Loc(path), actor=login, owners=owners))
    result.problems = sorted(kept, key=importance)
    return result


def importance(p: Problem) -> tuple[int, str, int, int, str]:
    """Errors before warnings, then by path and line: the order of annotations."""
    return (0 if p.level == "error" else 1, p.path, p.line, p.col, p.code)


def _load(tree: GitTree, cycle: str, units: set[str] | None) -> CycleData:
    return loader.load_cycle(ScopedTree(tree, cycle, units), cycle)


def _appraised_units(tree: GitTree, path: str) -> set[str]:
    """Units that an appraisal file scores or asks for supplements (empty when unreadable)."""
    data = tree.read_bytes(path)
    root = read_yaml(Path("."), path, data).root if data is not None else None
    name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    appraisal = parse_appraisal(Reader(path), root, name) if root is not None else None
    if appraisal is None:
        return set()
    return {s.unit for s in appraisal.scores} | {r.unit for r in appraisal.requests}


def _wanted(cycle: str, scope: CycleScope, base: GitTree, head: GitTree) -> tuple[set[str], set[str]]:
    """The unit folders to read (touched units and their ranking groups) and the units whose
    result may change, from the configuration and the touched appraisal files only."""
    diff_units = _diff_units(scope, base, head)
    return _group(diff_units, read_assessment(head, cycle)), diff_units


def _diff_units(scope: CycleScope, base: GitTree, head: GitTree) -> set[str]:
    """The units whose result may change: touched, or named by a touched appraisal file."""
    diff_units = set(scope.units)
    for tree in (head, base):
        for path in scope.appraisals:
            diff_units |= _appraised_units(tree, path)
    return diff_units


def _group(diff_units: set[str], a: Assessment | None) -> set[str]:
    """The units and the others of their tier and group (ranks are within tier and group); the
    configuration is the same at base and head, or the scope is `everything`."""
    if a is None:
        return set(diff_units)
    groups = {(a.units[u].tier, a.units[u].group) for u in diff_units if u in a.units}
    return diff_units | {uid for uid, u in a.units.items() if (u.tier, u.group) in groups}


def _check_cycle(
    cycle: str, scope: CycleScope, base: GitTree, head: GitTree, result: CheckResult, use_cache: bool = True
) -> list[Problem]:
    if scope.everything:  # the configuration or criteria changed: every unit, at both sides
        head_data, base_data = _load(head, cycle, None), _load(base, cycle, None)
        result.loaded += len(head_data.unit_folders) + len(base_data.unit_folders)
        problems = validate(head_data, ScopedTree(head, cycle, None))
        problems += late_problems(scope, base_data, head_data, head, set(result.touched), base.date)
        result.diffs += score_diffs(cycle, base_data, head_data, None, always=scope.units)
        return problems
    diff_units = _diff_units(scope, base, head)
    head_data, cached_before = _load(head, cycle, diff_units), result.cached
    config = f"criteria/{cycle}/assessment.yaml"
    if head_data.assessment is not None and (data := head.read_bytes(config)) is not None:
        remember_assessment(config, data, head_data.assessment)  # parsed once for ownership, closing
    wanted = _group(diff_units, head_data.assessment)
    others, hits = ranked_others(cycle, wanted - diff_units, head_data, head, use_cache)
    result.cached += hits
    base_data = narrowed(_base_from_head(head_data, base, cycle, scope), diff_units, scope.appraisals)
    head_data = narrowed(head_data, diff_units, scope.appraisals)
    result.loaded += len(head_data.unit_folders) + len(scope.units) + result.cached - cached_before
    # the rules see the diff units only: the others' problems are out of scope, and were
    # never in a touched file (the rules are per unit, or per appraisal file, whose units are here)
    problems = validate(head_data, ScopedTree(head, cycle, diff_units))
    problems += late_problems(scope, base_data, head_data, head, set(result.touched), base.date)
    result.diffs += score_diffs(
        cycle, _only(base_data, diff_units), _only(head_data, diff_units), diff_units, scope.units, others
    )
    return problems


def _base_from_head(head_data: CycleData, base: GitTree, cycle: str, scope: CycleScope) -> CycleData:
    """The base as the head, except what the change touched, which is read at the base: the
    configuration and criteria are the same (else `everything`), so are the untouched unit
    folders and appraisal files of the ranking groups; reading them once serves both sides."""
    touched = loader.load_cycle(ScopedTree(base, cycle, set(scope.units), set(scope.appraisals), True), cycle)
    reviewers = {p.rsplit("/", 1)[-1].rsplit(".", 1)[0] for p in scope.appraisals}
    a = head_data.assessment  # the base's too: what the loader would have dropped without it
    cards = {k: v for k, v in touched.scorecards.items() if a is None or k in a.units}
    appraisals = {k: v for k, v in touched.appraisals.items() if a is None or k in a.reviewers}

    def merged(head: dict[str, object], at_base: dict[str, object], changed: set[str]) -> dict[str, object]:
        return {**{k: v for k, v in head.items() if k not in changed}, **at_base}

    return replace(
        head_data,
        scorecards=merged(head_data.scorecards, cards, scope.units),  # type: ignore[arg-type]
        appraisals=merged(head_data.appraisals, appraisals, reviewers),  # type: ignore[arg-type]
        unit_folders=merged(head_data.unit_folders, touched.unit_folders, scope.units),  # type: ignore[arg-type]
        problems=[p for p in touched.problems if p.code != "assessment-missing"],
    )


def _fingerprint(score: Score | None) -> object:
    if score is None:
        return None
    evidence = tuple((e.title, e.number, e.date, e.issuer, e.url, e.file) for e in score.evidence)
    return (score.points, score.value, evidence, score.explanation, score.not_applicable, score.reason)


def late_problems(
    scope: CycleScope,
    base: CycleData,
    head: CycleData,
    tree: GitTree,
    touched: set[str],
    floor: datetime | None = None,
) -> list[Problem]:
    """What the change would be once merged, dated by the head commit (never before `floor`,
    the base's date: a back-dated branch cannot land before the line it is merged into): a
    late submission, or changes after the deadline to criteria that no supplement request
    (already on the base line: a change cannot ask for itself) covers."""
    a = head.assessment
    if a is None or a.deadline is None:
        return []
    clock, _ = clock_for(a)
    when = clock.local(max(tree.date, floor) if floor is not None else tree.date)
    if not clock.after_deadline(when):
        return []
    requests = [r for ap in base.appraisals.values() for r in ap.requests]
    warn, found = LateWarnings(a), []
    for uid in sorted(scope.units):
        before, after = base.scorecards.get(uid), head.scorecards.get(uid)
        if after is None:
            continue
        if after.status == "submitted" and (before is None or before.status != "submitted"):
            found.append(warn.submitted(after.loc, when, tree.sha))
            continue
        if before is None or before.status != "submitted":
            continue
        for cid in _changed(before, after, touched):
            if not clock.requested([r for r in requests if r.unit == uid], cid, when):
                loc = after.scores[cid].loc if cid in after.scores else after.loc
                found.append(warn.changed(loc, cid, when, tree.sha))
    return found


def _changed(before: Scorecard, after: Scorecard, touched: set[str]) -> list[str]:
    """Criteria whose entry changed, or whose evidence file the change replaced."""
    ids = [
        c
        for c in dict.fromkeys([*before.scores, *after.scores])
        if _fingerprint(before.scores.get(c)) != _fingerprint(after.scores.get(c))
    ]
    for card in (before, after):
        for cid, score in card.scores.items():
            files = {posixpath.normpath(f"{card.folder}/{e.file}") for e in score.evidence if e.file}
            if cid not in ids and files & touched:
                ids.append(cid)
    return ids


def score_diffs(
    cycle: str,
    base: CycleData,
    head: CycleData,
    units: set[str] | None,
    always: set[str],
    others: list[UnitResult] = [],  # noqa: B006 (never mutated)
) -> list[UnitDiff]:
    """Units whose result changed (or whose folder was touched), with the leaves that did;
    `others` are the group's untouched units (the same at both sides), which only rank them."""
    before = {r.unit: r for r in _ranked(score_cycle(base).units, others)}
    after = {r.unit: r for r in _ranked(score_cycle(head).units, others)}
    names = {
        cid: c.name for data in (base, head) for s in data.criteria.values() for cid, c in s.nodes.items()
    }
    diffs = []
    for uid in sorted(units if units is not None else set(before) | set(after)):
        b, a = before.get(uid), after.get(uid)
        leaves = []
        for cid in dict.fromkeys([*(b.leaves if b else {}), *(a.leaves if a else {})]):
            lb, la = b.leaves.get(cid) if b else None, a.leaves.get(cid) if a else None
            pair_self = (lb.self_points if lb else None, la.self_points if la else None)
            pair_final = (lb.final_points if lb else None, la.final_points if la else None)
            if pair_self[0] != pair_self[1] or pair_final[0] != pair_final[1]:
                leaves.append(LeafChange(cid, names.get(cid, cid), *pair_self, *pair_final))
        if leaves or uid in always or _summary(b) != _summary(a):
            name = (a or b).name if (a or b) else uid  # type: ignore[union-attr]
            diffs.append(UnitDiff(cycle, uid, name, b, a, tuple(leaves)))
    return diffs


def _ranked(scored: tuple[UnitResult, ...], others: list[UnitResult]) -> list[UnitResult]:
    return rank_units([*scored, *others]) if others else list(scored)


def _summary(r: UnitResult | None) -> tuple[object, ...]:
    if r is None:
        return ()
    return (r.status, r.final_total, r.index, r.classification, r.rank)
