"""Command plumbing: the Session every command gets (the usage error lives in `problems`)."""

from __future__ import annotations

import argparse
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
