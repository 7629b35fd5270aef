"""Validate stage: the registry of rules. Each rule is a small function of the loaded cycle.

A rule takes a `Context` and yields `Problem`s; its docstring names the codes it reports,
whose messages and explanations live in `builder/problems.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..load import Tree
from ..model import CycleData, Problem

Rule = Callable[["Context"], Iterable[Problem]]
RULES: list[Rule] = []


@dataclass(frozen=True)
class Context:
    """What a rule may look at: the loaded cycle and read access to the files."""

    data: CycleData
    tree: Tree


def rule(func: Rule) -> Rule:
    """Register a rule (order of registration does not matter: problems are sorted)."""
    RULES.append(func)
    return func


def load_all() -> list[Rule]:
    from . import appraisals, assessment, criteria, evidence, parts, scorecards  # noqa: F401

    return RULES
