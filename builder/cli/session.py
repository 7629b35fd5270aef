"""Command plumbing: the Session every command gets (the usage error lives in `problems`)."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from builder.load import cycle as loader
from builder.model import CycleData, Problem
from builder.problems import UsageError
from builder.rules.validate import validate

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


@dataclass
class Session:
    """What every command gets: options, the file tree and the output streams."""

    args: argparse.Namespace
    root: Path
    tree: loader.Tree
    out: TextIO
    err: TextIO

    @property
    def command(self) -> str:
        """How to run the builder again, as printed in next steps: the installed `par-builder`
        when that is what ran, else this Python (`.venv/bin/python -m builder` in a clone)."""
        return builder_command()

    def cycles(self) -> list[str]:
        found = loader.cycles(self.tree)
        if not found:
            raise UsageError(f"Không tìm thấy kỳ đánh giá nào trong {self.root}/criteria/")
        return found

    def cycle(self) -> str:
        found = self.cycles()
        wanted = getattr(self.args, "cycle", None)
        if wanted is None:
            return found[-1]
        if wanted not in found:
            raise UsageError(f"Không có kỳ đánh giá '{wanted}' (có: {', '.join(found)})")
        return str(wanted)

    def load(self, cycle: str) -> tuple[CycleData, list[Problem]]:
        data = loader.load_cycle(self.tree, cycle)
        return data, validate(data, self.tree)


def builder_command() -> str:
    if Path(sys.argv[0]).name == "par-builder":
        return "par-builder"
    python = Path(sys.executable)
    try:
        shown = os.path.relpath(python, Path.cwd())
    except ValueError:  # another drive on Windows
        shown = str(python)
    if shown.startswith(".."):
        shown = str(python)
    if " " in shown:
        shown = f'"{shown}"'
    return f"{shown} -m builder"


def find_root(start: Path) -> Path:
    """The repository's root as `git` finds its own: the nearest folder, from `start` up, that
    holds `criteria/`; `start` itself when none does."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / "criteria").is_dir():
            return folder
    return start
