"""Benchmark of the incremental site build: `build` after changing one scorecard ÷ a clean build.

Run: .venv/bin/python benchmarks/bench_incremental.py [units ...] [--rounds R]   (default: 330, 2 rounds)

For N units (benchmarks/synthetic.py, one cycle, no Git) it builds once, then alternates, R
times: A, a clean build (`build --full`); B, one scorecard's explanation text changed, then
`build`; C, one scorecard's points on one leaf changed (its unit's totals, index, rank and
the cycle's averages move), then `build`. Each build is a separate `python -m builder build`
process, timed from outside. Pages rebuilt: HTML files of the site whose mtime changed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import make_repository  # noqa: E402
from builder.load.cycle import FolderTree, load_cycle  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
UNIT = "xa-00007"


def _build(root: Path, *extra: str) -> tuple[float, int]:
    site = root / "site"
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")} if site.is_dir() else {}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--root", str(root), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    spent = time.perf_counter() - start
    assert done.returncode == 0, done.stderr[-2000:]
    rebuilt = sum(1 for p in site.rglob("*.html") if before.get(p) != p.stat().st_mtime_ns)
    return spent, rebuilt


def _plain_leaf(root: Path) -> tuple[str, float]:
    """A leaf scored by quarters of its max (no levels, no bands): any quarter is valid."""
    commune = load_cycle(FolderTree(root), "2019").criteria["commune"]
    leaf = next(
        x
        for x in commune.applicable_leaves("xa")
        if x.source != "survey" and not x.levels and not x.bands and x.kind not in ("deduction", "bonus")
    )
    return leaf.id, float(leaf.max)


def _edit(root: Path, change: str, round_: int, leaf: tuple[str, float]) -> None:
    path = root / "submissions/2019" / UNIT / "scorecard.yaml"
    card = yaml.safe_load(path.read_text(encoding="utf-8"))
    score = card["scores"][leaf[0]]
    if change == "text":
        score["explanation"] = f"Số liệu thử, sửa lần {round_}"
    else:
        score["points"] = leaf[1] * (0.25 if round_ % 2 else 0.75)
    path.write_text(yaml.safe_dump(card, allow_unicode=True, sort_keys=False), encoding="utf-8")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("units", nargs="*", type=int, default=[330])
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args()
    head = ["units", "pages", "clean build", "one text changed", "ratio", "pages rebuilt"]
    print("| " + " | ".join([*head, "one point changed", "ratio", "pages rebuilt"]) + " |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.units:
        with tempfile.TemporaryDirectory() as tmp:
            root = make_repository(Path(tmp) / "repo", n)
            leaf = _plain_leaf(root)
            _build(root)
            pages = sum(1 for _ in (root / "site").rglob("*.html"))
            clean, text, point = [], [], []
            for r in range(args.rounds):
                clean.append(_build(root, "--full"))
                _edit(root, "text", r, leaf)
                text.append(_build(root))
                _edit(root, "points", r, leaf)
                point.append(_build(root))
            a = min(t for t, _ in clean)
            b, c = min(t for t, _ in text), min(t for t, _ in point)
            print(
                f"| {n:,} | {pages:,} | {a:.1f} s | {b:.1f} s | {b / a:.2f}× | {max(k for _, k in text):,} "
                f"| {c:.1f} s | {c / a:.2f}× | {max(k for _, k in point):,} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
