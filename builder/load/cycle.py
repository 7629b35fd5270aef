"""Load stage: find a cycle's files in the repository and read them into a `CycleData`.

Files are read through a `Tree` (the working folder, or a Git commit supplied by
`history.py`), so the same code reads the data as it is now or as it was at any revision.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Protocol

from builder.load.collector import collector_paused
from builder.load.parse import ScorecardPart, parse_appraisal, parse_scorecard
from builder.load.parse_config import parse_assessment, parse_criteria
from builder.load.reader import Reader
from builder.load.yamlfile import (
    MAX_FILE_BYTES,
    UNOPENABLE,
    YNode,
    open_regular,
    read_yaml,
)
from builder.model import Appraisal, Approval, Assessment, CycleData, Loc, Problem, Score, Scorecard
from builder.problems import did_you_mean, problem
from builder.progress import track

YAML_SUFFIXES = (".yaml", ".yml")


class Tree(Protocol):
    """Read-only access to repository files by path relative to the root, '/'-separated."""

    def list_dir(self, relpath: str) -> list[tuple[str, bool]]:
        """(name, is_dir) of the entries of a folder; [] when it does not exist."""
        ...

    def read_bytes(self, relpath: str) -> bytes | None:
        """The content of a regular file inside the repository; None for anything else."""
        ...

    def file_size(self, relpath: str) -> int | str:
        """The size of the regular file inside the repository at `relpath`, read without
        reading the file; else why it cannot be read (Vietnamese): a FIFO, a device, a folder,
        a symlink out of the repository or to nothing."""
        ...

    def real_path(self, relpath: str) -> str | None:
        """The path with symlinks resolved, relative to the root ('../…' when it leaves the
        root); None when nothing is there."""
        ...


class NarrowedTree:
    """A Tree that shows part of another: a subclass narrows `list_dir`; files are read through."""

    def __init__(self, tree: Tree) -> None:
        self.tree = tree

    def list_dir(self, relpath: str) -> list[tuple[str, bool]]:
        return self.tree.list_dir(relpath)

    def read_bytes(self, relpath: str) -> bytes | None:
        return self.tree.read_bytes(relpath)

    def file_size(self, relpath: str) -> int | str:
        return self.tree.file_size(relpath)

    def real_path(self, relpath: str) -> str | None:
        return self.tree.real_path(relpath)


class FolderTree:
    """A Tree over a plain folder on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.resolved = root.resolve()

    def list_dir(self, relpath: str) -> list[tuple[str, bool]]:
        folder = self.root / relpath
        try:
            if not folder.resolve().is_relative_to(self.resolved):
                return []  # a symlinked folder out of the repository is not read
            return sorted((e.name, e.is_dir()) for e in os.scandir(folder))
        except (OSError, RuntimeError):
            return []

    def _open(self, relpath: str) -> tuple[int, int] | str:
        return open_regular(self.resolved, self.root / relpath)

    def read_bytes(self, relpath: str) -> bytes | None:
        opened = self._open(relpath)
        if isinstance(opened, str):
            return None
        fd, size = opened
        with os.fdopen(fd, "rb") as handle:
            try:
                return handle.read()
            except OSError:
                return None

    def read_capped(self, relpath: str, limit: int) -> bytes | int | str:
        """The content; its size when over `limit` (then never read); or why it cannot be
        read (Vietnamese). One resolve and one open, where `file_size` then `read_bytes`
        take two of each (a load opens every scorecard: this halves its system calls)."""
        opened = self._open(relpath)
        if isinstance(opened, str):
            return opened
        fd, size = opened
        with os.fdopen(fd, "rb") as handle:
            if size > limit:
                return size
            try:
                return handle.read()
            except OSError:
                return UNOPENABLE

    def file_size(self, relpath: str) -> int | str:
        opened = self._open(relpath)
        if isinstance(opened, str):
            return opened
        os.close(opened[0])
        return opened[1]

    def real_path(self, relpath: str) -> str | None:
        path = self.root / relpath
        if not path.exists():
            return None
        return Path(os.path.relpath(path.resolve(), self.resolved)).as_posix()


def cycles(tree: Tree) -> list[str]:
    """The cycles under criteria/, oldest first (numeric parts compared as numbers)."""
    names = [name for name, is_dir in tree.list_dir("criteria") if is_dir]

    def key(name: str) -> list[tuple[int, object]]:
        return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", name) if p]

    return sorted(names, key=key)


def _read(
    tree: Tree, relpath: str, problems: list[Problem], texts: dict[str, str] | None = None
) -> tuple[Reader, YNode] | None:
    """Read a YAML file: a Reader for its values and its root node, or None if unreadable;
    `texts` is the load's table of texts (`yamlfile.read_yaml`)."""
    if isinstance(tree, FolderTree):
        got = tree.read_capped(relpath, MAX_FILE_BYTES)
    else:
        got = tree.file_size(relpath)  # the limit before reading: /dev/zero is never read
        if isinstance(got, int) and got <= MAX_FILE_BYTES:
            read = tree.read_bytes(relpath)
            got = UNOPENABLE if read is None else read
    if isinstance(got, str):
        problems.append(problem("file-unreadable", Loc(relpath), reason=got))
        return None
    if isinstance(got, int):
        problems.append(problem("file-too-large", Loc(relpath), size=got, limit=MAX_FILE_BYTES))
        return None
    data = got
    loaded = read_yaml(Path("."), relpath, data, texts)
    problems.extend(loaded.problems)
    if loaded.root is None:
        return None
    return Reader(relpath), loaded.root


def load_assessment(tree: Tree, cycle: str) -> Assessment | None:
    """Only a cycle's assessment.yaml (None when it is missing or does not parse)."""
    read = _read(tree, f"criteria/{cycle}/assessment.yaml", [])
    return parse_assessment(*read) if read is not None else None


def load_cycle(tree: Tree, cycle: str) -> CycleData:
    """Read everything of one cycle; problems are collected, nothing raises."""
    with collector_paused():
        return _load_cycle(tree, cycle)


def _load_cycle(tree: Tree, cycle: str) -> CycleData:
    problems: list[Problem] = []
    texts: dict[str, str] = {}  # one copy of a text that many files repeat, for this load only
    base = f"criteria/{cycle}"
    assessment = None
    names = {name for name, is_dir in tree.list_dir(base) if not is_dir}
    if "assessment.yaml" not in names:
        problems.append(problem("assessment-missing", Loc(f"{base}/assessment.yaml"), cycle=cycle))
    elif (read := _read(tree, f"{base}/assessment.yaml", problems, texts)) is not None:
        r, root = read
        assessment = parse_assessment(r, root)
        problems.extend(r.problems)
        if assessment is not None and assessment.cycle != cycle:
            node = root.get("cycle")
            loc = node.loc if node else Loc(r.path)
            problems.append(problem("cycle-mismatch", loc, found=assessment.cycle, expected=cycle))

    criteria = {}
    if assessment is not None:
        for tier in assessment.tiers.values():
            path = f"{base}/{tier.criteria_file}"
            if tier.criteria_file not in names:
                problems.append(problem("criteria-file-missing", tier.loc, file=path))
                continue
            if (read := _read(tree, path, problems, texts)) is not None:
                r, root = read
                parsed = parse_criteria(r, root, tier.id)
                problems.extend(r.problems)
                if parsed is not None:
                    criteria[tier.id] = parsed

    scorecards: dict[str, Scorecard] = {}
    folders: dict[str, tuple[str, ...]] = {}
    entries = tree.list_dir(f"submissions/{cycle}")
    for folder, is_dir in track(entries, f"Đọc phiếu kỳ {cycle}", len(entries)):
        if not is_dir:
            continue
        rel = f"submissions/{cycle}/{folder}"
        files = tuple(
            f"{rel}/{name}" for name, sub in tree.list_dir(rel) if not sub and name.endswith(YAML_SUFFIXES)
        )
        folders[folder] = files
        parts = []
        for path in files:
            if (read := _read(tree, path, problems, texts)) is not None:
                r, root = read
                part = parse_scorecard(r, root)
                problems.extend(r.problems)
                if part is not None:
                    parts.append(part)
        known = assessment.units if assessment else {}
        if assessment is not None and folder not in known:
            problems.append(
                problem(
                    "unit-folder-unknown",
                    Loc(files[0] if files else rel),
                    folder=folder,
                    hint=did_you_mean(folder, known),
                )
            )
            continue
        if parts:
            scorecards[folder] = _merge(folder, rel, cycle, parts, problems)

    appraisals: dict[str, Appraisal] = {}
    for name, is_dir in tree.list_dir(f"appraisals/{cycle}"):
        if is_dir or not name.endswith(YAML_SUFFIXES):
            continue
        path = f"appraisals/{cycle}/{name}"
        reviewer_id = name.rsplit(".", 1)[0]
        if (read := _read(tree, path, problems, texts)) is None:
            continue
        r, root = read
        appraisal = parse_appraisal(r, root, reviewer_id)
        problems.extend(r.problems)
        if appraisal is None:
            continue
        if appraisal.reviewer != reviewer_id:
            loc = _loc_of(root.get("reviewer"), appraisal.loc)
            problems.append(problem("reviewer-mismatch", loc, found=appraisal.reviewer, expected=reviewer_id))
        if appraisal.cycle is not None and appraisal.cycle != cycle:
            loc = _loc_of(root.get("cycle"), appraisal.loc)
            problems.append(problem("cycle-mismatch", loc, found=appraisal.cycle, expected=cycle))
        if assessment is not None and reviewer_id not in assessment.reviewers:
            problems.append(
                problem(
                    "reviewer-unknown",
                    appraisal.loc,
                    reviewer=reviewer_id,
                    hint=did_you_mean(reviewer_id, assessment.reviewers),
                )
            )
            continue
        appraisals[reviewer_id] = appraisal

    return CycleData(cycle, assessment, criteria, scorecards, appraisals, folders, problems)


def _loc_of(node: YNode | None, default: Loc) -> Loc:
    return node.loc if node is not None else default


def _merge(
    folder: str, rel: str, cycle: str, parts: list[ScorecardPart], problems: list[Problem]
) -> Scorecard:
    """Merge the files of one unit's scorecard; a criterion scored twice is an error."""
    scores: dict[str, Score] = {}
    where: dict[str, str] = {}
    approval: Approval | None = None
    texts: dict[str, list[str]] = {"difficulties": [], "recommendations": []}
    for part in parts:
        if part.unit is not None and part.unit != folder:
            problems.append(problem("unit-mismatch", part.unit_loc, found=part.unit, expected=folder))
        if part.cycle is not None and part.cycle != cycle:
            problems.append(problem("cycle-mismatch", part.cycle_loc, found=part.cycle, expected=cycle))
        if part.status == "submitted" and part.approved_by is None:
            problems.append(problem("approval-missing", part.loc))
        approval = approval or part.approved_by
        for key in texts:
            if value := getattr(part, key):
                texts[key].append(value)
        for score in part.scores:
            if score.criterion_id in scores:
                other = f"{where[score.criterion_id]}:{scores[score.criterion_id].loc.line}"
                problems.append(
                    problem("criterion-scored-twice", score.loc, id=score.criterion_id, other=other)
                )
                continue
            scores[score.criterion_id] = score
            where[score.criterion_id] = part.path
    statuses = {part.status for part in parts}
    if len(statuses) > 1:
        problems.append(problem("status-mixed", parts[0].loc))
    status = "submitted" if statuses == {"submitted"} else "draft"
    return Scorecard(
        unit=folder,
        folder=rel,
        files=tuple(part.path for part in parts),
        status=status,  # type: ignore[arg-type]
        loc=parts[0].loc,
        cycle=cycle,
        approved_by=approval,
        scores=scores,
        difficulties="\n\n".join(texts["difficulties"]) or None,
        recommendations="\n\n".join(texts["recommendations"]) or None,
    )


def orphan_cycle_problems(tree: Tree) -> list[Problem]:
    """Cycles that have submissions or appraisals but no criteria/<cycle>/ folder."""
    known = set(cycles(tree))
    found = []
    for top in ("submissions", "appraisals"):
        for name, is_dir in tree.list_dir(top):
            if is_dir and name not in known:
                found.append(problem("assessment-missing", Loc(f"{top}/{name}"), cycle=name))
    return found
