"""Benchmark of the Git stage: history of a cycle (one log pass) and the pull-request check.

Run: .venv/bin/python benchmarks/bench_history.py [units ...]   (default: 15 170 1000 3321)

For N units (benchmarks/synthetic.py) it writes a repository with `git fast-import`: the
configuration, then per unit a draft and a submission (a tenth of them after the deadline) and,
for one unit in five, a change after the deadline: about 2.2·N commits. It measures
`cycle_history` (one `git log --first-parent --raw` parsed once, each changed scorecard read
as a blob), compares it with one `git log` per unit on a sample of units, and times `check`
for a pull request that touches one unit: cold (an empty result cache, as on a fresh clone) and
warm (the untouched units of the group from `<git-dir>/par-cache/`).
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import make_repository  # noqa: E402
from builder.git.check import CheckResult, run_check  # noqa: E402
from builder.git.history import cycle_history  # noqa: E402
from builder.git.landing import untrusted_commits  # noqa: E402
from builder.git.repo import open_repo  # noqa: E402
from builder.load.cycle import FolderTree, load_cycle  # noqa: E402

DAY = 86400
START = 1578967200  # 2020-01-14 09:00 +07:00; the deadline is 2020-01-22


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def fast_import_stream(root: Path, units: int) -> tuple[bytes, int]:
    """The whole history as a `git fast-import` stream, and its number of commits."""
    files = _files(root)
    out: list[bytes] = []
    mark = 0

    pending: list[tuple[int, int, str, str, dict[str, bytes]]] = []

    def commit(when: int, author: str, message: str, changes: dict[str, bytes]) -> None:
        pending.append((when, len(pending), author, message, changes))

    def emit(when: int, author: str, message: str, changes: dict[str, bytes]) -> None:
        nonlocal mark
        mark += 1
        msg = message.encode()
        out.append(b"commit refs/heads/main\n")
        out.append(f"mark :{mark}\n".encode())
        out.append(f"author {author} <u@example.org> {when} +0700\n".encode())
        out.append(f"committer Git <git@example.org> {when} +0700\n".encode())
        out.append(b"data %d\n%s\n" % (len(msg), msg))
        if mark > 1:
            out.append(f"from :{mark - 1}\n".encode())
        for path, data in changes.items():
            out.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")

    config = {p: d for p, d in files.items() if not p.startswith("submissions/")}
    commit(START - 10 * DAY, "Phong Noi vu", "cau hinh", config)
    cards = sorted(p for p in files if p.startswith("submissions/"))
    for i, path in enumerate(cards):  # drafts over a week, in unit order
        draft = files[path].replace(b"status: submitted", b"status: draft")
        commit(START + i * 5 * DAY // units, f"xa {i}", "ban nhap", {path: draft})
    for i, path in enumerate(cards):  # submissions: one in ten after the deadline
        late = i % 10 == 9
        on_time = START + 6 * DAY + i * 2 * DAY // units  # after every draft, before the 22nd ends
        when = START + 8 * DAY + 3600 * 16 + i * 3 * DAY // units if late else on_time
        commit(when, f"xa {i}", "nop phieu", {path: files[path]})
    for i, path in enumerate(cards[::5]):  # one unit in five changes a criterion afterwards
        changed = files[path].replace(b"explanation: S", b"explanation: Bo sung s", 1)
        commit(START + 12 * DAY + i * 60, f"xa {i}", "sua sau han", {path: changed})
    for when, _, author, message, changes in sorted(pending):  # the main line moves forward in time
        emit(when, author, message, changes)
    return b"".join(out), mark


def build(target: Path, units: int) -> tuple[Path, int, float]:
    make_repository(target, units)
    config_path = target / "criteria/2019/assessment.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config.pop("history", None)  # the sample says its own history is not a submission history
    config["trusted_committers"] = ["Git <git@example.org>"]  # the committer of the stream below
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    stream, commits = fast_import_stream(target, units)
    t0 = time.perf_counter()
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], input=stream, cwd=target, check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=target, check=True)
    return target, commits, time.perf_counter() - t0


def per_unit_logs(root: Path, sample: list[str]) -> float:
    """Seconds for the naive way: one `git log` per unit (here only for `sample`)."""
    t0 = time.perf_counter()
    for unit in sample:
        subprocess.run(
            ["git", "log", "--first-parent", "--format=%H %cI", "--", f"submissions/2019/{unit}"],
            cwd=root,
            capture_output=True,
            check=True,
        )
    return time.perf_counter() - t0


def timed_check(root: Path, keep: bool = False) -> tuple[float, CheckResult]:
    """Seconds of `check --base main` (the median of three); without `keep`, each run starts
    from an empty result cache (a fresh clone, or a CI runner that restores none)."""
    times, result = [], None
    for _ in range(3):
        if not keep:
            shutil.rmtree(root / ".git/par-cache", ignore_errors=True)
        t0 = time.perf_counter()
        result = run_check(root, "main")
        times.append(time.perf_counter() - t0)
    assert result is not None
    return sorted(times)[1], result


SMALLEST: dict[str, float] = {}  # the first (smallest) size's check times, for the ratios


def _ratio(units: int, cold: float, warm: float) -> str:
    """check at N ÷ check at the first size of this run (issue 11: 3,321 ÷ 15 ≤ 1.5×)."""
    if not SMALLEST:
        SMALLEST.update(units=units, cold=cold, warm=warm)
        return ""
    first = f"{SMALLEST['units']:.0f}"
    return f"(÷ {first} units: cold {cold / SMALLEST['cold']:.1f}× warm {warm / SMALLEST['warm']:.1f}×)"


def bench(units: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, commits, import_time = build(Path(tmp) / "repo", units)
        data = load_cycle(FolderTree(root), "2019")
        t0 = time.perf_counter()
        story = cycle_history(root, data)
        t1 = time.perf_counter()
        repo = open_repo(root)  # the trusted-landing check alone (it runs inside cycle_history)
        untrusted = untrusted_commits(repo, "HEAD", ("Git <git@example.org>",))
        repo.close()
        landing = time.perf_counter() - t1
        late = sum(1 for h in story.units.values() if h.late)
        changes = sum(len(h.changes) for h in story.units.values())
        flagged = sum(1 for h in story.units.values() for c in h.changes if c.late_criteria)
        sample = sorted(story.units)[:50]
        naive = per_unit_logs(root, sample) / len(sample) * units
        # a pull request that changes one unit's scorecard
        card = root / "submissions/2019/xa-00003/scorecard.yaml"
        subprocess.run(["git", "checkout", "-q", "-b", "pr"], cwd=root, check=True)
        card.write_text(
            card.read_text(encoding="utf-8").replace("Số liệu thử", "Đã sửa", 1), encoding="utf-8"
        )
        subprocess.run(
            ["git", "-c", "user.name=b", "-c", "user.email=b@x", "commit", "-qam", "pr"], cwd=root, check=True
        )
        cold, result = timed_check(root)  # an empty cache: every unit of the group read once
        warm, again = timed_check(root, keep=True)  # the same check again: the group from the cache
        assert again.problems == result.problems and again.diffs == result.diffs
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{units:>6} units {commits:>6} commits  import {import_time:5.2f}s  "
            f"history {t1 - t0:6.2f}s ({(t1 - t0) / commits * 1000:5.2f} ms/commit)  "
            f"landing check {landing:5.2f}s ({len(untrusted)} untrusted)  "
            f"per-unit logs ≈{naive:6.2f}s  check cold {cold:5.2f}s warm {warm:5.2f}s "
            f"(needs {result.loaded} unit folders, warm reads {again.loaded - again.cached})  "
            f"{_ratio(units, cold, warm)}  late {late}  changes {changes}  "
            f"late changes {flagged}  peak RSS {peak:.0f} MB",
            flush=True,
        )


if __name__ == "__main__":
    for n in [int(a) for a in sys.argv[1:]] or [15, 170, 1000, 3321]:
        bench(n)
