"""Benchmark of `export --format xlsx` against `score` on a synthetic repository (issue 11).

Run: .venv/bin/python benchmarks/bench_xlsx.py [--rounds N] [units ...]   (default: 330)
     .venv/bin/python benchmarks/bench_xlsx.py --before DIR 330   (A/B: DIR holds an older builder/)

Each command runs as its own process (`python -m builder`), alternated, best of three;
prints seconds, the ratio export ÷ score and the peak RSS of the export, and `write_workbook`
alone on data already loaded (seconds, how much it raised the peak RSS). With `--before`, the
same export also runs with DIR first on PYTHONPATH (e.g. `git archive REV builder | tar -x -C DIR`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import make_repository  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], code: str | None = None) -> tuple[float, int]:
    """Seconds and peak RSS (MB) of one `python -m builder` run."""
    script = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, sys.executable, "-m", "builder", *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": code or str(ROOT)},
        cwd=tempfile.gettempdir(),  # not the checkout: its builder/ would shadow PYTHONPATH's
    ).stdout.split()
    return float(out[0]), int(out[1]) // 1024


ALONE = """
import resource, sys, time
from pathlib import Path
from builder.load.cycle import FolderTree, load_cycle
from builder.score import score_cycle
from builder.office.xlsx import write_workbook
root = Path(sys.argv[1])
cycle = sorted(p.name for p in (root / "submissions").iterdir())[-1]
data = load_cycle(FolderTree(root), cycle)
result = score_cycle(data, {})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
write_workbook(Path(sys.argv[2]), data, result)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def workbook_alone(root: Path, out: Path, code: str) -> tuple[float, int]:
    """Seconds of `write_workbook` alone and how much it raised the peak RSS (MB), data loaded."""
    run = subprocess.run(
        [sys.executable, "-c", ALONE, str(root), str(out)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": code},
        cwd=tempfile.gettempdir(),
    ).stdout.split()
    return float(run[0]), int(run[1]) // 1024


def measure(units: int, before: str | None, rounds: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_repository(Path(tmp) / "repo", units)
        out = Path(tmp) / "out"
        export_args = ["export", "--root", str(root), "--format", "xlsx", "--out", str(out)]
        runs: dict[str, list[tuple[float, int]]] = {
            "score": [],
            "export": [],
            "before": [],
            "alone": [],
            "alone_before": [],
        }
        for _ in range(rounds):
            runs["score"].append(_run(["score", "--root", str(root), "--format", "json"]))
            runs["export"].append(_run(export_args))
            if before:
                runs["before"].append(_run(export_args, before))
            runs["alone"].append(workbook_alone(root, out / "alone.xlsx", str(ROOT)))
            if before:
                runs["alone_before"].append(workbook_alone(root, out / "alone.xlsx", before))
        best = {k: min(v) for k, v in runs.items() if v}
        return {
            **{k: seconds for k, (seconds, _) in best.items()},
            **{f"{k}_rss": max(peak for _, peak in v) for k, v in runs.items() if v},
        }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("units", nargs="*", type=int, default=[330])
    p.add_argument("--before", help="a folder holding an older builder/ package to compare with")
    p.add_argument("--rounds", type=int, default=3, help="runs of each command, best kept (default: 3)")
    args = p.parse_args()
    print(
        "| units | code | score | export --format xlsx | export ÷ score | peak RSS (export) "
        "| write_workbook alone | its RSS growth |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for n in args.units:
        r = measure(n, args.before, args.rounds)
        rows = [("before", "before", "alone_before"), ("now", "export", "alone")]
        for label, key, alone in rows if args.before else rows[1:]:
            print(
                f"| {n:,} | {label} | {r['score']:.2f} s | {r[key]:.2f} s | {r[key] / r['score']:.2f}× "
                f"| {r[key + '_rss']} MB | {r[alone]:.2f} s | +{r[alone + '_rss']} MB |"
            )


if __name__ == "__main__":
    main()
