"""Validate stage: run every registered rule over a loaded cycle and sort the problems."""

from __future__ import annotations

from .load import Tree
from .model import CycleData, Problem
from .rules import Context, load_all


def validate(data: CycleData, tree: Tree) -> list[Problem]:
    """The load problems and every rule's problems, deduplicated, sorted by path then line."""
    ctx = Context(data, tree)
    found = list(data.problems)
    for rule in load_all():
        found.extend(rule(ctx))
    return sorted(set(found), key=Problem.sort_key)


def has_errors(problems: list[Problem], strict: bool = False) -> bool:
    return any(p.level == "error" or strict for p in problems)
