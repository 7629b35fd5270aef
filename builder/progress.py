"""Progress of long runs: stages report their steps here; the command line decides if a bar shows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
# (items, what, total) → the items, passed through while a bar counts them
Reporter = Callable[[Iterable[T], str, "int | None"], Iterable[T]]

_reporter: list[Reporter] = []  # empty: no progress (tests, pipes, CI, --format json|github)


def report_with(reporter: Reporter | None) -> None:
    """Set by the command line for one run (None: quiet again)."""
    _reporter.clear()
    if reporter is not None:
        _reporter.append(reporter)


def track(items: Iterable[T], what: str, total: int | None = None) -> Iterable[T]:
    """`items`, counted on a terminal under the label `what` (Vietnamese, for the user)."""
    return _reporter[0](items, what, total) if _reporter else items


@contextmanager
def stage(what: str) -> Iterator[None]:
    """A step without parts to count (rendering, MkDocs): its elapsed time on a terminal."""
    steps = iter(track([None], what, 1))
    next(steps, None)  # the bar starts (after its delay)
    try:
        yield
    finally:
        next(steps, None)  # and ends, erased
