"""Benchmark of the core: load + validate + score for 15, 170, 1,000 and 3,321 units.

Run: .venv/bin/python benchmarks/bench_core.py [units ...]
Prints wall time per stage, time per unit and peak memory, and the C vs pure-Python loader.

    .venv/bin/python benchmarks/bench_core.py --cli [units ...]     (default: 330 1000)

`python -m builder validate` + `score` as commands ÷ a bare `yaml.load(CSafeLoader)` of the
same files in its own interpreter (A and B alternated, best of three, CPU and wall), the peak
RSS of each command, and where one process's time goes (start-up, compose, our conversion,
parsing + rules + scoring), which is the floor the ratio cannot go under.
"""

from __future__ import annotations

import os
import resource
import subprocess
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


_BARE = """
import sys, yaml
from pathlib import Path
for p in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)
"""
ROOT = Path(__file__).resolve().parent.parent


_PEAK = """
import atexit, runpy, sys

def peak():  # VmHWM: this process's own high-water mark (ru_maxrss counts the parent at fork)
    try:
        with open("/proc/self/status") as status:
            kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        import resource
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stderr.write(f"\\nPEAK_KB {kb}\\n")

atexit.register(peak)
if sys.argv[1] == "-m":
    sys.argv = sys.argv[2:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
else:
    code, sys.argv = sys.argv[2], ["-c", *sys.argv[3:]]
    exec(compile(code, "<bare>", "exec"), {"__name__": "__main__"})
"""


def _child(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one Python command (`[python, -m|-c,
    ...]`), measured on that child alone."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [cmd[0], "-c", _PEAK, *cmd[1:]], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    assert proc.returncode in (0, 1), (cmd, proc.returncode, text[-2000:])  # 1: data errors
    kb = int(text.rsplit("PEAK_KB ", 1)[1].split()[0])
    return wall, usage.ru_utime + usage.ru_stime, kb / 1024


def _split(repo: Path) -> dict[str, float]:
    """CPU seconds of one process's parts, in this interpreter (collector as in a CLI run)."""
    import gc

    from builder.load import collector, yamlfile
    from builder.load.cycle import FolderTree, load_cycle

    texts = [p.read_text(encoding="utf-8") for p in sorted(repo.rglob("*.yaml"))]
    collector._settings.update(pause=True, freeze=False)
    gc.disable()
    t0 = time.process_time()
    nodes = [yaml.compose(t, Loader=yamlfile._Composer) for t in texts]
    compose = time.process_time() - t0
    t0 = time.process_time()
    for node in nodes:
        yamlfile._Converter("x", anchors=False).convert(node)
    convert = time.process_time() - t0
    del nodes
    gc.enable()
    tree = FolderTree(repo)
    t0 = time.process_time()
    data = load_cycle(tree, "2019")
    load = time.process_time() - t0
    validate(data, tree)
    score_cycle(data)
    rest = time.process_time() - t0 - load
    return {"compose": compose, "convert": convert, "parse": load - compose - convert, "rules+score": rest}


def cli(units: int, rounds: int = 3) -> None:
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repository(Path(tmp) / "repo", units)
        cmds = {
            "bare": [py, "-c", _BARE, str(repo)],
            "validate": [py, "-m", "builder", "validate", "--root", str(repo), "--cycle", "2019"],
            "score": [
                py,
                "-m",
                "builder",
                "score",
                "--root",
                str(repo),
                "--cycle",
                "2019",
                "--format",
                "csv",
            ],
            "start-up": [py, "-m", "builder", "validate", "--help"],
        }
        best = {name: (1e9, 1e9, 0.0) for name in cmds}
        for _ in range(rounds):
            for name, cmd in cmds.items():
                wall, cpu, rss = _child(cmd)
                old = best[name]
                best[name] = (min(old[0], wall), min(old[1], cpu), max(old[2], rss))
        split = _split(repo)
    bare, v, s = best["bare"], best["validate"], best["score"]
    print(
        f"{units:>6} units  bare load {bare[1]:5.2f}s CPU ({bare[0]:5.2f}s wall)  validate {v[1]:5.2f}s  "
        f"score {s[1]:5.2f}s  (validate+score) ÷ bare: CPU {(v[1] + s[1]) / bare[1]:4.2f}×, "
        f"wall {(v[0] + s[0]) / bare[0]:4.2f}×  per unit {(v[1] + s[1]) / units * 1000:5.2f} ms  "
        f"peak RSS validate {v[2]:.0f} MB, score {s[2]:.0f} MB, bare {bare[2]:.0f} MB",
        flush=True,
    )
    parts = "  ".join(f"{k} {t:5.2f}s" for k, t in split.items())
    print(f"{'':>6}        one process: start-up {best['start-up'][1]:5.2f}s  {parts}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--cli"]:
        for n in [int(a) for a in sys.argv[2:]] or [330, 1000]:
            cli(n)
        sys.exit(0)
    if sys.argv[1:2] == ["--collector"]:
        for n in [int(a) for a in sys.argv[2:]] or [330, 3321]:
            collector_ab(n)
        sys.exit(0)
    loaders()
    for n in [int(a) for a in sys.argv[1:]] or [15, 170, 1000, 3321]:
        bench(n)
