"""Benchmark of issue 11's table: every row as a ratio A ÷ B measured in one run, with peak memory.

Run: .venv/bin/python benchmarks/bench_ratios.py [SIZES ...] [--rounds N] [--write-readme]
     (default sizes 15 330 3321; `make bench` runs them with --write-readme)

For each size N two synthetic repositories are written: a plain folder
(`benchmarks/synthetic.py`: N commune scorecards of the sample's criteria, two evidence items
per criterion, one appraisal file) and a Git repository of the same data with a realistic log
(`benchmarks/bench_history.py`'s fast-import stream: drafts, submissions, a tenth late, a fifth
changed after the deadline). Every measured command is a child process
(`python -m builder …`, `python -m mkdocs …`, `git …`), so the script measures whatever the
code does now; its peak memory is that child's own (GNU time's %M; `os.wait4` without it). In each round the
A and B of every row run one after the other (A, B, A, B … over the rounds); a row takes the
best (lowest) time of the rounds for A and for B.

Rows (the goal is issue 11's):
 1. A = `validate` + `score --format json` (two runs, summed) on the plain folder;
    B = a child that only reads and `yaml.load(Loader=yaml.CSafeLoader)`s every `.yaml` file
    under criteria/, submissions/ and appraisals/. Goal ≤ 1.5×. Also printed: `validate`
    alone ÷ B and `score` alone ÷ B (each command reads every file once).
 2. row 1's A per unit at the larger size ÷ at the smaller, for every pair of sizes. ≤ 1.1×
    (printed without a goal when the smaller size is under 100 units: there the fixed start-up
    of each run, about 1 s, is most of the time).
 3. `check --base HEAD~1 --format json` after a new commit changing one scorecard (one
    criterion's explanation; a fresh commit each round, so each first run meets a new head),
    N-unit Git repository ÷ 15-unit one. Each check runs twice in a row: the second is the
    warm one (a cache, if any, is filled) and gives the ratio; the cold ratio is printed too.
    ≤ 1.5×.
 4. A = `score --format json` in the Git repository (it reads the cycle's history: one
    `git log --raw` pass, see docs/git-workflow.md); B = one
    `git log --first-parent --name-only -- submissions/2019` of the same paths. ≤ 3×, and
    A's peak memory ≤ 300 MB. Also printed: `score` of the same head without its history
    (`git archive HEAD`) ÷ B, and the history's own cost, A minus that, ÷ B.
 5. A = clean `build` (fresh `--build-dir` and `--out`); B = bare MkDocs: `python -m mkdocs
    build` of the generated pages with `bare.yml`, the generated `mkdocs.yml` minus `hooks`
    and every plugin but MkDocs' own `search` (same theme, custom_dir, extensions, nav,
    extra CSS/JS), into a fresh site folder, not strict. ≤ 1.25×.
 6. peak memory of the clean `build` and of `export --format xlsx`. ≤ 500 MB.
 7. (`export --format xlsx` − `score --format json`) ÷ clean `build`: the workbook's share of
    a build. ≤ 10 %. Also printed: `export --format xlsx` ÷ `score --format json`.
 8. A = MkDocs as `build` runs it: the generated configuration with our own hooks kept
    (`site/html_blocks.py`: our HTML tables skip Python-Markdown), into a fresh site folder;
    B = row 5's bare MkDocs over "plain pages": every generated
    `.md` file keeps its name and front matter, its body becomes the visible text (HTML tags
    removed, entities decoded then `<>&` dropped, Markdown tables, headings, lists, emphasis
    and link syntax reduced to their words) as plain paragraphs; other files copied. ≤ 1.25×.
    Also printed: row 5's bare MkDocs ÷ plain pages (no hook), and build ÷ its own MkDocs stage.
 9. A = `build` into the build and site folders of the clean build just made, after one
    scorecard's one score changed (a criterion without levels or bands: its points moved
    between 0 and its maximum); B = the clean build. ≤ 0.2×. Also printed: a further build
    after one explanation text of another scorecard changed (no number moves) ÷ the clean build.
10. peak memory of row 1's `validate` and `score`. ≤ 300 MB.

A child that exits with a code its command does not document (0 and 1 are the documented
ones: 1 means data errors) is reported with its row and stderr; that row then shows "failed",
never a number.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ratios_report import (  # noqa: E402
    Row,
    estimate,
    plain_markdown,
    readme_table,
    replace_section,
    text_table,
)

PY = sys.executable
CYCLE = "2019"
YAML_LOAD = (
    "import sys, yaml\n"
    "for p in sys.argv[1:]:\n"
    "    with open(p, 'rb') as f:\n"
    "        yaml.load(f.read(), Loader=yaml.CSafeLoader)\n"
)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "xa 3",
    "GIT_AUTHOR_EMAIL": "u@example.org",
    "GIT_COMMITTER_NAME": "Git",  # the synthetic repository's trusted committer
    "GIT_COMMITTER_EMAIL": "git@example.org",
}


@dataclass
class Run:
    """One child process: wall seconds and its own peak RSS in MB (None when it failed)."""

    seconds: float | None
    rss_mb: float | None


@dataclass
class Samples:
    """Every run of one measurement over the rounds; best = lowest time, highest peak."""

    runs: list[Run] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return not self.runs or any(r.seconds is None for r in self.runs)

    @property
    def best(self) -> float | None:
        return None if self.failed else min(r.seconds for r in self.runs if r.seconds is not None)

    @property
    def peak(self) -> float | None:
        return None if self.failed else max(r.rss_mb for r in self.runs if r.rss_mb is not None)


# Linux keeps a process's peak RSS across execve, so a child forked from this (large) script
# would report at least the script's own size. GNU time forks the command from its own small
# process and reports that grandchild's peak alone; without it, wait4 is an upper bound.
GNU_TIME = shutil.which("time", path="/usr/bin:/bin")


def run_child(row: str, argv: list[str], cwd: Path, ok: tuple[int, ...] = (0, 1)) -> Run:
    """Run argv, time it and read its own peak memory; a failure is reported, never a number."""
    env = {**os.environ, **GIT_ENV, "NO_COLOR": "1", "TERM": "dumb"}
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as peak:
        command = [GNU_TIME, "-f", "%M", "-o", peak.name, *argv] if GNU_TIME else argv
        t0 = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's rusage alone
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in ok:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-3000:]
            print(f"row {row}: {' '.join(argv[:4])} … failed (exit {proc.returncode})\n{tail}", flush=True)
            return Run(None, None)
        lines = peak.read().split()
        kilobytes = int(lines[-1]) if GNU_TIME and lines and lines[-1].isdigit() else usage.ru_maxrss
    return Run(seconds, kilobytes / 1024)  # Linux: kilobytes


def builder(*args: str) -> list[str]:
    return [PY, "-m", "builder", *args]


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def bare_config(generated: Path, target: Path, docs: str, site: Path, hooks: bool = False) -> Path:
    """The generated MkDocs configuration without our hooks and plugins (only `search` stays);
    with `hooks`, our own hooks kept (MkDocs as `build` runs it)."""
    import yaml

    config = yaml.safe_load(generated.read_text(encoding="utf-8"))
    if not hooks:
        config.pop("hooks", None)
    plugins = config.get("plugins") or []
    names = [p if isinstance(p, str) else next(iter(p)) for p in plugins]
    config["plugins"] = [p for p, n in zip(plugins, names, strict=True) if n == "search"]
    config["docs_dir"] = docs
    config["site_dir"] = str(site)
    target.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def plain_pages(docs: Path, target: Path) -> None:
    """Copy the generated pages as plain paragraphs of their visible text (row 8's B)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(docs, target, ignore=shutil.ignore_patterns("*.md"))
    for page in docs.rglob("*.md"):
        out = target / page.relative_to(docs)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(plain_markdown(page.read_text(encoding="utf-8")), encoding="utf-8")


def plain_leaf(root: Path) -> tuple[str, float]:
    """A criterion without levels or bands whose points may be anything from 0 to its maximum."""
    from builder.load.cycle import FolderTree, load_cycle

    data = load_cycle(FolderTree(root), CYCLE)
    for leaf in data.criteria["commune"].applicable_leaves("xa"):
        if leaf.source != "survey" and not leaf.levels and not leaf.bands and leaf.kind != "deduction":
            if leaf.max > 0:
                return leaf.id, float(leaf.max)
    raise AssertionError("the sample has no criterion scored freely between 0 and its maximum")


def change_score(card: Path, leaf: str, maximum: float) -> None:
    import yaml

    data = yaml.safe_load(card.read_text(encoding="utf-8"))
    entry = data["scores"][leaf]
    entry["points"] = 0.0 if entry["points"] else maximum
    card.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def commit_change(root: Path, round_no: int) -> None:
    """A new head: one scorecard's explanation changed, committed on the main line."""
    card = root / f"submissions/{CYCLE}/xa-00003/scorecard.yaml"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("explanation: ", f"explanation: Sửa {round_no} ", 1), encoding="utf-8")
    git(root, "commit", "-qam", f"sua {round_no}")


def git_repository(target: Path, units: int) -> Path:
    from benchmarks.bench_history import build

    return build(target, units)[0]


@dataclass
class Size:
    """The measurements of one size over every round."""

    units: int
    m: dict[str, Samples] = field(default_factory=dict)

    def add(self, key: str, run: Run) -> None:
        self.m.setdefault(key, Samples()).runs.append(run)


def measure(units: int, rounds: int, small_git: Path, work: Path) -> Size:
    """Every measurement of one size; `small_git` is the 15-unit Git repository of row 3."""
    from benchmarks.synthetic import make_repository

    size = Size(units)
    plain = make_repository(work / "plain", units)
    repo = small_git if units == 15 else git_repository(work / "git", units)
    yaml_files = sorted(
        str(p) for d in ("criteria", "submissions", "appraisals") for p in (plain / d).rglob("*.yaml")
    )
    # the same data as the Git repository's head without its history (row 4's info line)
    export = work / "exported"
    shutil.rmtree(export, ignore_errors=True)
    export.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(repo), "archive", "HEAD"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(export)], input=archive.stdout, check=True)
    leaf, maximum = plain_leaf(plain)
    card = plain / f"submissions/{CYCLE}/xa-{units // 2:05d}/scorecard.yaml"
    for r in range(rounds):
        print(f"  {units} units: round {r + 1}/{rounds}", flush=True)
        size.add("validate", run_child("1", builder("validate", "--root", str(plain)), plain))
        size.add("score", run_child("1", builder("score", "--root", str(plain), "--format", "json"), plain))
        size.add("yaml", run_child("1", [PY, "-c", YAML_LOAD, *yaml_files], plain, ok=(0,)))
        xlsx = work / f"xlsx-{r}"
        size.add(
            "xlsx",
            run_child(
                "7", builder("export", "--root", str(plain), "--format", "xlsx", "--out", str(xlsx)), plain
            ),
        )
        out, build_dir = work / f"site-{r}", work / f"build-{r}"
        args = builder("build", "--root", str(plain), "--build-dir", str(build_dir), "--out", str(out))
        size.add("build", run_child("5", args, plain))
        if (build_dir / "mkdocs.yml").is_file():
            bare = bare_config(build_dir / "mkdocs.yml", build_dir / "bare.yml", "docs", work / f"bare-{r}")
            size.add(
                "bare",
                run_child("5", [PY, "-m", "mkdocs", "build", "-q", "-f", str(bare)], build_dir, ok=(0,)),
            )
            ours = bare_config(
                build_dir / "mkdocs.yml", build_dir / "ours.yml", "docs", work / f"ours-{r}", hooks=True
            )
            size.add(
                "engine",
                run_child("8", [PY, "-m", "mkdocs", "build", "-q", "-f", str(ours)], build_dir, ok=(0,)),
            )
            plain_pages(build_dir / "docs", build_dir / "plain-docs")
            flat = bare_config(
                build_dir / "mkdocs.yml", build_dir / "plain.yml", "plain-docs", work / f"flat-{r}"
            )
            size.add(
                "plain",
                run_child("8", [PY, "-m", "mkdocs", "build", "-q", "-f", str(flat)], build_dir, ok=(0,)),
            )
            for name in (f"bare-{r}", f"flat-{r}", f"ours-{r}"):
                shutil.rmtree(work / name, ignore_errors=True)
        else:
            print("row 5: the build wrote no mkdocs.yml; rows 5 and 8 cannot be measured", flush=True)
            size.add("bare", Run(None, None))
            size.add("engine", Run(None, None))
            size.add("plain", Run(None, None))
        change_score(card, leaf, maximum)
        size.add("incremental", run_child("9", args, plain))
        text_card = plain / f"submissions/{CYCLE}/xa-{units // 3:05d}/scorecard.yaml"
        words = text_card.read_text(encoding="utf-8")
        text_card.write_text(words.replace("explanation: ", f"explanation: Sửa {r} ", 1), encoding="utf-8")
        size.add("incremental-text", run_child("9", args, plain))
        for name in (f"xlsx-{r}", f"site-{r}", f"build-{r}"):
            shutil.rmtree(work / name, ignore_errors=True)
        size.add("history", run_child("4", builder("score", "--root", str(repo), "--format", "json"), repo))
        log = ["git", "log", "--first-parent", "--name-only", "--format=%H %cI", "--", f"submissions/{CYCLE}"]
        size.add("gitlog", run_child("4", log, repo, ok=(0,)))
        size.add(
            "nohistory", run_child("4", builder("score", "--root", str(export), "--format", "json"), export)
        )
        for key, where in (("check", repo), ("check15", small_git)):
            commit_change(where, r + (0 if key == "check" else 1000 * units))
            check = builder("check", "--root", str(where), "--base", "HEAD~1", "--format", "json")
            size.add(f"{key}-cold", run_child("3", check, where))
            size.add(f"{key}-warm", run_child("3", check, where))
    return size


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def rows(sizes: list[Size]) -> list[Row]:
    """The table: one Row per issue row and size (row 2 per pair of sizes)."""
    out: list[Row] = []
    for s in sizes:
        m = s.m
        vs = (
            None
            if m["validate"].failed or m["score"].failed
            else (m["validate"].best or 0) + (m["score"].best or 0)
        )
        out.append(Row("1 validate+score ÷ yaml.load", f"{s.units:,}", vs, m["yaml"].best, 1.5, "s"))
        for command in ("validate", "score"):  # each command reads every file once
            name = f"1 {command} alone ÷ yaml.load (info)"
            out.append(Row(name, f"{s.units:,}", m[command].best, m["yaml"].best, None, "s"))
        if s.units != 15:
            out.append(
                Row(
                    "3 check (warm) N ÷ 15 units",
                    f"{s.units:,}",
                    m["check-warm"].best,
                    m["check15-warm"].best,
                    1.5,
                    "s",
                )
            )
            out.append(
                Row(
                    "3 check (cold) N ÷ 15 units",
                    f"{s.units:,}",
                    m["check-cold"].best,
                    m["check15-cold"].best,
                    1.5,
                    "s",
                )
            )
        out.append(
            Row(
                "4 score with history ÷ git log",
                f"{s.units:,}",
                m["history"].best,
                m["gitlog"].best,
                3.0,
                "s",
            )
        )
        with_h, without_h = m["history"].best, m["nohistory"].best
        own = None if with_h is None or without_h is None else max(with_h - without_h, 0.0)
        out.append(
            Row(
                "4 history's own cost (score with − without history) ÷ git log (info)",
                f"{s.units:,}",
                own,
                m["gitlog"].best,
                None,
                "s",
            )
        )
        out.append(
            Row(
                "4 score without history ÷ git log (info)",
                f"{s.units:,}",
                m["nohistory"].best,
                m["gitlog"].best,
                None,
                "s",
            )
        )
        out.append(
            Row("4 peak memory of score with history", f"{s.units:,}", m["history"].peak, None, 300, "MB")
        )
        out.append(Row("5 build ÷ bare mkdocs", f"{s.units:,}", m["build"].best, m["bare"].best, 1.25, "s"))
        out.append(Row("6 peak memory of build", f"{s.units:,}", m["build"].peak, None, 500, "MB"))
        out.append(Row("6 peak memory of export xlsx", f"{s.units:,}", m["xlsx"].peak, None, 500, "MB"))
        xlsx, score = m["xlsx"].best, m["score"].best
        share = None if xlsx is None or score is None else xlsx - score
        out.append(Row("7 (export xlsx − score) ÷ build", f"{s.units:,}", share, m["build"].best, 0.10, "s"))
        out.append(Row("7 export xlsx ÷ score (info)", f"{s.units:,}", xlsx, score, None, "s"))
        out.append(
            Row(
                "5 build ÷ its own mkdocs stage (info)",
                f"{s.units:,}",
                m["build"].best,
                m["engine"].best,
                None,
                "s",
            )
        )
        out.append(
            Row(
                "8 mkdocs as build runs it ÷ plain pages",
                f"{s.units:,}",
                m["engine"].best,
                m["plain"].best,
                1.25,
                "s",
            )
        )
        out.append(
            Row(
                "8 bare mkdocs ÷ plain pages (info)",
                f"{s.units:,}",
                m["bare"].best,
                m["plain"].best,
                None,
                "s",
            )
        )
        out.append(
            Row(
                "9 build after one change ÷ clean",
                f"{s.units:,}",
                m["incremental"].best,
                m["build"].best,
                0.2,
                "s",
            )
        )
        out.append(
            Row(
                "9 build after one explanation changed ÷ clean (info)",
                f"{s.units:,}",
                m["incremental-text"].best,
                m["build"].best,
                None,
                "s",
            )
        )
        out.append(Row("10 peak memory of validate", f"{s.units:,}", m["validate"].peak, None, 300, "MB"))
        out.append(Row("10 peak memory of score", f"{s.units:,}", m["score"].peak, None, 300, "MB"))
    for i, small in enumerate(sizes):
        for big in sizes[i + 1 :]:
            a, b = (_per_unit(big), _per_unit(small))
            goal = 1.1 if small.units >= 100 else None  # below, the ~1 s start-up of a run is most of it
            out.append(Row("2 validate+score per unit", f"{big.units:,} ÷ {small.units:,}", a, b, goal, "ms"))
    return sorted(out, key=lambda row: int(row.name.split()[0]))


def _per_unit(s: Size) -> float | None:
    if s.m["validate"].failed or s.m["score"].failed:
        return None
    return ((s.m["validate"].best or 0) + (s.m["score"].best or 0)) / s.units * 1000


def machine() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    commit = head.stdout.strip() + (" + uncommitted" if dirty.strip() else "")
    return f"commit {commit}; nproc {len(os.sched_getaffinity(0))}, load average at start {load}"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("sizes", nargs="*", type=int, default=[15, 330, 3321])
    p.add_argument("--rounds", type=int, help="rounds per size, best of (default 2; 1 from 3,000 units)")
    p.add_argument("--write-readme", action="store_true", help="regenerate the table in benchmarks/README.md")
    args = p.parse_args()
    about = machine()
    started, date = time.perf_counter(), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{date}; {about}", flush=True)
    sizes: list[Size] = []
    with tempfile.TemporaryDirectory(prefix="bench-ratios-") as tmp:
        small_git = git_repository(Path(tmp) / "git15", 15)
        seen: list[tuple[int, float]] = []  # units and seconds per round of each size done
        for n in sorted(set(args.sizes)):
            rounds = args.rounds or (1 if n >= 3000 else 2)  # the national size: ~35 min for one
            if seen:
                print(
                    f"{n:,} units, {rounds} round(s): estimated {estimate(seen, n) * rounds / 60:.0f} min",
                    flush=True,
                )
            t0 = time.perf_counter()
            work = Path(tmp) / f"n{n}"
            work.mkdir()
            sizes.append(measure(n, rounds, small_git, work))
            spent = time.perf_counter() - t0
            print(f"{n:,} units: {spent / 60:.1f} min", flush=True)
            seen.append((n, spent / rounds))
            shutil.rmtree(work, ignore_errors=True)
    table = rows(sizes)
    print(text_table(table))
    total = time.perf_counter() - started
    print(f"elapsed {total / 60:.1f} min", flush=True)
    if 3321 not in args.sizes and seen:
        print(f"estimated for 3,321 units, one round: {estimate(seen, 3321) / 60:.0f} min", flush=True)
    if args.write_readme:
        readme = ROOT / "benchmarks/README.md"
        note = f"{date}; {about}; sizes {', '.join(f'{n:,}' for n in args.sizes)}; {total / 60:.0f} min"
        readme.write_text(
            replace_section(readme.read_text(encoding="utf-8"), readme_table(table, note)), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
