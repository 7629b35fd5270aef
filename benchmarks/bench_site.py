"""Benchmark of the site build: time and output size for N units must grow linearly.

Run: .venv/bin/python benchmarks/bench_site.py [units ...]        (default: 15 300 3000)
     .venv/bin/python benchmarks/bench_site.py --nav-all 300       (every unit page in the nav)

For N units (benchmarks/synthetic.py: the sample's commune criteria, N submitted scorecards,
one appraisal file) it times load+validate+score, the Markdown rendering and the MkDocs build,
and measures the generated Markdown and the built site. Each size runs in its own process so
peak RSS is per size. `--nav-all` lists every unit page in the navigation, as a naive site
would: MkDocs then renders the whole navigation into every page, and size grows as N².
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import make_repository  # noqa: E402
from builder.cli import parser as cli_parser  # noqa: E402
from builder.cli.commands.build import load_cycles  # noqa: E402
from builder.cli.session import Session  # noqa: E402
from builder.load.cycle import FolderTree  # noqa: E402
from builder.site import cycle_pages as render_cycle  # noqa: E402
from builder.site.build import render_site  # noqa: E402
from builder.site.engine import run_mkdocs  # noqa: E402


def _size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def measure(units: int, nav_all: bool) -> dict[str, float]:
    spent = {"xlsx": 0.0}
    write_workbook = render_cycle.write_workbook

    def timed(*args: object) -> None:
        start = time.perf_counter()
        write_workbook(*args)  # type: ignore[arg-type]
        spent["xlsx"] += time.perf_counter() - start

    render_cycle.write_workbook = timed  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        root = make_repository(Path(tmp) / "repo", units)
        args = cli_parser().parse_args(["build", "--root", str(root)])
        session = Session(args, root, FolderTree(root), io.StringIO(), io.StringIO())
        t0 = time.perf_counter()
        cycles, problems = load_cycles(session)
        assert not [p for p in problems if p.level == "error"], problems[:3]
        t1 = time.perf_counter()
        config = render_site(cycles, session.tree, root, root / "build", root / "site")
        if nav_all:
            data = yaml.safe_load(config.read_text(encoding="utf-8"))
            data["not_in_nav"] = "/*/fields/*.md\n"
            pages = sorted(
                p.relative_to(root / "build/docs").as_posix()
                for p in (root / "build/docs").glob("*/units/xa-*.md")
            )
            data["nav"].append({"Tất cả đơn vị": pages})
            config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        t2 = time.perf_counter()
        warnings = run_mkdocs(config)
        assert warnings == [], warnings[:3]
        t3 = time.perf_counter()
        md_files, md_bytes = _size(root / "build/docs")
        site_files, site_bytes = _size(root / "site")
        return {
            "units": units,
            "score": t1 - t0,
            "render": t2 - t1,
            "xlsx": spent["xlsx"],
            "mkdocs": t3 - t2,
            "markdown_mb": md_bytes / 1e6,
            "site_files": site_files,
            "site_mb": site_bytes / 1e6,
            "kb_per_unit": site_bytes / 1e3 / units,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("units", nargs="*", type=int, default=[15, 300, 3000])
    p.add_argument("--nav-all", action="store_true", help="list every unit page in the navigation")
    p.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.one:
        print(json.dumps(measure(args.units[0], args.nav_all)))
        return
    head = ["units", "score", "render (of which XLSX)", "mkdocs", "Markdown", "site files", "site"]
    print("| " + " | ".join([*head, "per unit", "peak RSS"]) + " |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.units:
        command = [sys.executable, __file__, "--one", str(n)] + (["--nav-all"] if args.nav_all else [])
        r = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        print(
            f"| {n:,} | {r['score']:.1f} s | {r['render']:.1f} s ({r['xlsx']:.1f} s) | {r['mkdocs']:.1f} s "
            f"| {r['markdown_mb']:.1f} MB | {r['site_files']:,} | {r['site_mb']:.1f} MB "
            f"| {r['kb_per_unit']:.0f} KB | {r['rss_mb']:.0f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
