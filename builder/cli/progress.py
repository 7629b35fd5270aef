"""Command line: progress bars (tqdm) on stderr, only where a person watches a terminal.

Quiet when stderr is not a terminal (a pipe, a file, a test), in CI (the `CI` variable that
GitHub Actions, GitLab CI and most others set) and under `--format json|github|codequality`,
whose output is read by programs. A bar appears only after DELAY seconds and is erased when done, so short
runs and the lines a command prints are exactly as without it.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable
from typing import TextIO, TypeVar

from tqdm import tqdm

from builder.progress import report_with

T = TypeVar("T")
DELAY = 1.0  # seconds before a bar shows: a quick command never draws one


def wanted(args: argparse.Namespace, err: TextIO, environ: dict[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    if env.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    if getattr(args, "format", None) in ("json", "github", "codequality"):
        return False
    isatty = getattr(err, "isatty", None)
    return bool(isatty and isatty())


def start(args: argparse.Namespace, err: TextIO) -> bool:
    """Show progress on `err` for this run if it is wanted; True when it is."""
    if not wanted(args, err):
        report_with(None)
        return False

    def bars(items: Iterable[T], what: str, total: int | None) -> Iterable[T]:
        return tqdm(items, desc=what, total=total, file=err, leave=False, delay=DELAY, mininterval=0.2)

    report_with(bars)
    return True


def stop() -> None:
    report_with(None)
