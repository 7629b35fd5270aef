"""Validate stage: run every registered rule over a loaded cycle and sort the problems."""

from __future__ import annotations

from builder.load.cycle import Tree
from builder.model import CycleData, Problem
from builder.rules.registry import RULES, Context, Rule


def load_all() -> list[Rule]:
    """Import every family of rules once, so that each registers itself."""
    from builder.rules import (  # noqa: F401
        appraisals,
        assessment,
        criteria,
        evidence,
        evidence_files,
        evidence_text,
        lineage,
        parts,
        paths,
        scorecards,
    )

    return RULES


def validate(data: CycleData, tree: Tree) -> list[Problem]:
    """The load problems and every rule's problems, deduplicated, sorted by path then line."""
    ctx = Context(data, tree)
    found = list(data.problems)
    for rule in load_all():
        found.extend(rule(ctx))
    return sorted(set(found), key=Problem.sort_key)


def has_errors(problems: list[Problem], strict: bool = False) -> bool:
    return any(p.level == "error" or strict for p in problems)
