"""Site stage, gathering: every cycle as `score` sees it (loaded, validated, history, scored)."""

from __future__ import annotations

from pathlib import Path

from builder.git.history import cycle_history
from builder.git.lateness import apply_late_changes, history_problems
from builder.git.repo import uncommitted_paths
from builder.load import cycle as loader
from builder.model import Problem
from builder.rules.validate import validate
from builder.score import score_cycle
from builder.site.writer import SiteCycle

DATA_FOLDERS = ("criteria", "submissions", "appraisals")


def gather_cycles(root: Path, tree: loader.Tree, rev: str | None) -> tuple[list[SiteCycle], list[Problem]]:
    """Every cycle, oldest first: loaded, validated, its history read (late flags, and under
    `late_changes: freeze` the data as it stood at the deadline), then scored; and every problem."""
    problems: list[Problem] = list(loader.orphan_cycle_problems(tree))
    cycles = []
    # read at a commit (--rev), the data is that commit; else the work tree may differ from it
    changed = None if rev else uncommitted_paths(root, DATA_FOLDERS)
    for cycle in loader.cycles(tree):
        data = loader.load_cycle(tree, cycle)
        found = validate(data, tree)
        story = cycle_history(root, data, rev or "HEAD")
        found = sorted(found + history_problems(story, data), key=Problem.sort_key)
        problems.extend(found)
        scored = apply_late_changes(root, data, story)
        result = score_cycle(scored, story.late())
        cycles.append(SiteCycle(scored, found, result, story, uncommitted=changed))
    return cycles, problems
