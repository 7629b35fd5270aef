"""Load stage: Python's cyclic garbage collector held off while a cycle's files are read.

Loading makes millions of small objects that live for the whole run and form no garbage
cycles; each full collection walks all of them, so with the collector on, loading grew
superlinear in units (measured: 69 % of `validate` at 3,321 units was the collector). The
collector is paused while a cycle loads; in a command-line run (`freeze_after_load`) what was
loaded is then moved out of the collector's sight for good (`gc.freeze`), so the later stages
do not walk it again either.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_settings = {"freeze": False, "pause": True}  # "pause" off only to measure the difference


def freeze_after_load(on: bool = True) -> None:
    """Set by the command line: a run is short and keeps what it loaded until it ends."""
    _settings["freeze"] = on


@contextmanager
def collector_paused() -> Iterator[None]:
    if not _settings["pause"]:
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _settings["freeze"]:
            gc.freeze()
        if was_enabled:
            gc.enable()
