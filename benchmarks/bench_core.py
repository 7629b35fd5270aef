"""Benchmark of the core: load + validate + score for 15, 170, 1,000 and 3,321 units.

Run: .venv/bin/python benchmarks/bench_core.py [units ...]
Prints wall time per stage, time per unit and peak memory, and the C vs pure-Python loader.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import make_repository  # noqa: E402
from builder.load.cycle import FolderTree, load_cycle  # noqa: E402
from builder.rules.validate import validate  # noqa: E402
from builder.score import score_cycle  # noqa: E402


def bench(units: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repository(Path(tmp) / "repo", units)
        tree = FolderTree(repo)
        t0 = time.perf_counter()
        data = load_cycle(tree, "2019")
        t1 = time.perf_counter()
        problems = validate(data, tree)
        t2 = time.perf_counter()
        result = score_cycle(data)
        t3 = time.perf_counter()
        errors = sum(1 for p in problems if p.level == "error")
        assert len(result.units) == units
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{units:>6} units  load {t1 - t0:6.2f}s  validate {t2 - t1:6.2f}s  score {t3 - t2:6.2f}s  "
            f"total {(t3 - t0) / units * 1000:5.2f} ms/unit  errors {errors}  peak RSS {peak:.0f} MB"
        )


def collector_ab(units: int, rounds: int = 2) -> None:
    """validate + score with the collector paused during load (and frozen after, as in a CLI
    run) against the collector left on, alternated in one run on the same repository."""
    import gc

    from builder.load import collector

    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repository(Path(tmp) / "repo", units)
        tree = FolderTree(repo)
        times: dict[str, list[float]] = {"on": [], "paused": []}
        for _ in range(rounds):
            for mode in ("on", "paused"):
                collector._settings.update(pause=mode == "paused", freeze=mode == "paused")
                gc.collect()
                t0 = time.perf_counter()
                data = load_cycle(tree, "2019")
                validate(data, tree)
                score_cycle(data)
                times[mode].append(time.perf_counter() - t0)
                del data
                gc.unfreeze()
                gc.collect()
        on, paused = min(times["on"]), min(times["paused"])
        print(
            f"{units:>6} units  collector on {on:6.2f}s  paused+frozen {paused:6.2f}s  "
            f"ratio {paused / on:4.2f}  ({paused / units * 1000:5.2f} ms/unit)"
        )


def loaders() -> None:
    path = Path(__file__).resolve().parent.parent / "submissions/2019"
    texts = [p.read_text(encoding="utf-8") for p in path.rglob("*.yaml")] * 20
    for name, loader in (
        ("C (CSafeLoader)", yaml.CSafeLoader),
        ("pure Python (SafeLoader)", yaml.SafeLoader),
    ):
        t0 = time.perf_counter()
        for text in texts:
            yaml.compose(text, Loader=loader)
        print(f"compose {len(texts)} scorecards with {name}: {time.perf_counter() - t0:.2f}s")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--collector"]:
        for n in [int(a) for a in sys.argv[2:]] or [330, 3321]:
            collector_ab(n)
        sys.exit(0)
    loaders()
    for n in [int(a) for a in sys.argv[1:]] or [15, 170, 1000, 3321]:
        bench(n)
