"""Build a demo Git repository from the sample data, with a realistic submission history.

    python scripts/make_demo_repo.py build/demo-repo [--source .]

The sample data in this repository was committed at once by its developers, so its
assessment.yaml says `history: false`. This script replays it as a district would have lived
it: the council's configuration first, then each unit's draft and its submission merged from
a pull request on a fixed date (most on time, two late, one at 23:50 on the last day), the
appraisals, one supplement sent in answer to a request of the council, and one change after
the deadline that nobody asked for. Units registered without a folder stay missing. The dates
are fixed, so the repository is the same on every run; `plan()` tells what to expect.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml

TZ = "+07:00"


@dataclass
class Plan:
    """What the history says once replayed, per cycle."""

    late: dict[str, set[str]] = field(default_factory=dict)
    on_time: dict[str, set[str]] = field(default_factory=dict)
    missing: dict[str, set[str]] = field(default_factory=dict)
    draft: dict[str, set[str]] = field(default_factory=dict)  # still a draft: never submitted
    requested: dict[str, tuple[str, str]] = field(default_factory=dict)  # unit, criterion
    unrequested: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(order=True)
class Event:
    when: datetime
    order: int
    message: str = field(compare=False)
    author: str = field(compare=False)
    files: dict[str, bytes] = field(compare=False)  # path → content; b"" deletes
    branch: str | None = field(default=None, compare=False)  # merged from a pull request


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def replace_entry(text: str, criterion: str, entry: str) -> str:
    """The scorecard text with one criterion's entry (its whole block) replaced."""
    lines = text.splitlines(keepends=True)
    key = re.compile(rf'^  "{re.escape(criterion)}":')
    start = next(i for i, line in enumerate(lines) if key.match(line))
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    return "".join([*lines[:start], f'  "{criterion}": {entry}\n', *lines[end:]])


def folder_files(folder: Path, root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cycle_events(source: Path, cycle: str, plan: Plan, order: list[int]) -> list[Event]:
    config_dir = source / "criteria" / cycle
    config = yaml.safe_load((config_dir / "assessment.yaml").read_text(encoding="utf-8"))
    deadline: date = config["deadline"]
    events: list[Event] = []

    def add(
        when: datetime, message: str, author: str, files: dict[str, bytes], branch: str | None = None
    ) -> None:
        order[0] += 1
        events.append(Event(when, order[0], message, author, files, branch))

    criteria = folder_files(config_dir, source)
    text = criteria[f"criteria/{cycle}/assessment.yaml"].decode("utf-8")
    text = re.sub(r"(?m)^# Dữ liệu minh họa được đưa vào kho.*\n(#.*\n)?history: false\n", "", text)
    text = re.sub(r"(?m)^history: false\n", "", text)
    criteria[f"criteria/{cycle}/assessment.yaml"] = text.encode("utf-8")
    add(
        at(deadline - timedelta(days=28), 8), f"Kỳ {cycle}: cấu hình và bộ tiêu chí", "Phòng Nội vụ", criteria
    )

    requests = []  # (unit, criterion, date, due) from the appraisals
    for path in sorted((source / "appraisals" / cycle).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for req in data.get("requests") or []:
            requests += [(req["unit"], c, req["date"], req["due"]) for c in req["criteria"]]
        dates = [r["date"] for r in data.get("requests") or []]
        appraised = (data.get("appraised_by") or {}).get("date") or deadline + timedelta(days=20)
        add(
            at(min([appraised, *dates]), 10),
            f"Thẩm định: {path.stem}",
            path.stem,
            {path.relative_to(source).as_posix(): path.read_bytes()},
            branch=f"tham-dinh-{path.stem}",
        )

    units = [u["id"] for u in config["units"]]
    folders = sorted(p.name for p in (source / "submissions" / cycle).iterdir() if p.is_dir())
    present = [u for u in units if u in folders]
    plan.missing[cycle] = set(units) - set(folders)
    late = {present[3], present[8]} if len(present) > 8 else set(present[-1:])
    plan.draft[cycle] = {
        u
        for u in present
        if any(
            re.search(rb"(?m)^status: \"?draft", p.read_bytes())
            for p in (source / "submissions" / cycle / u).glob("*.y*ml")
        )
    }
    late -= plan.draft[cycle]
    plan.late[cycle], plan.on_time[cycle] = late, set(present) - late - plan.draft[cycle]
    supplement = next(((u, c, d, due) for u, c, d, due in requests if u in plan.on_time[cycle]), None)
    touched_late = next(
        u for u in present if u in plan.on_time[cycle] and (not supplement or u != supplement[0])
    )
    for i, unit in enumerate(present):
        files = folder_files(source / "submissions" / cycle / unit, source)
        cards = [p for p in files if p.endswith((".yaml", ".yml")) and p.count("/") == 3]
        final = dict(files)
        first = dict(files)
        if supplement and unit == supplement[0]:
            card = next(p for p in cards if f'"{supplement[1]}":' in files[p].decode("utf-8"))
            first[card] = replace_entry(
                files[card].decode("utf-8"),
                supplement[1],
                '{points: 0, explanation: "Đang hoàn thiện tài liệu"}',
            ).encode()
            plan.requested[cycle] = (unit, supplement[1])
        if unit == touched_late:
            card = cards[0]
            criterion = re.search(r'(?m)^  "([\d.]+)":', files[card].decode("utf-8")).group(1)  # type: ignore[union-attr]
            first[card] = replace_entry(
                files[card].decode("utf-8"), criterion, '{points: 0, explanation: "Chưa có tài liệu"}'
            ).encode()
            plan.unrequested[cycle] = (unit, criterion)
        draft = {
            p: c.replace(b'status: "submitted"', b'status: "draft"').replace(
                b"status: submitted", b"status: draft"
            )
            if p in cards
            else c
            for p, c in first.items()
        }
        author = f"Cán bộ {unit}"
        add(
            at(deadline - timedelta(days=12 - i % 6), 9, 5 * i % 60),
            f"{unit}: bản nháp",
            author,
            draft,
            branch=f"{unit}-nhap",
        )
        if unit in late:
            when = at(deadline + timedelta(days=1 + 2 * sorted(late).index(unit)), 8, 15)
        elif i == 0:
            when = at(deadline, 23, 50)  # the last minutes of the last day: on time
        else:
            when = at(deadline - timedelta(days=i % 5), 16, 30)
        add(when, f"{unit}: nộp phiếu tự đánh giá", author, first, branch=f"{unit}-nop")
        if final != first:
            later = (
                at(supplement[2] + timedelta(days=3), 14)
                if supplement and unit == supplement[0]
                else at(deadline + timedelta(days=10), 9)
            )
            add(later, f"{unit}: bổ sung tài liệu", author, final, branch=f"{unit}-bo-sung")
    return events


def git(repo: Path, *args: str, when: datetime | None = None, author: str = "Demo") -> str:
    env = dict(os.environ)
    if when is not None:
        stamp = when.strftime("%Y-%m-%dT%H:%M:%S") + TZ
        env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    env.update(
        GIT_AUTHOR_NAME=author,
        GIT_AUTHOR_EMAIL="demo@example.org",
        GIT_COMMITTER_NAME="Cổng Git của huyện",
        GIT_COMMITTER_EMAIL="git@example.org",
    )
    done = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def build(source: Path, target: Path) -> Plan:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    git(target, "init", "-q", "-b", "main")
    plan, order, events = Plan(), [0], []
    for cycle in sorted(p.name for p in (source / "criteria").iterdir() if p.is_dir()):
        events += cycle_events(source, cycle, plan, order)
    for number, event in enumerate(sorted(events), start=1):
        if event.branch:
            git(target, "checkout", "-q", "-b", event.branch)
        for path, content in event.files.items():
            dest = target / path
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(content)
        git(target, "add", "-A")
        git(
            target,
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            event.message,
            when=event.when - timedelta(hours=1) if event.branch else event.when,
            author=event.author,
        )
        if event.branch:
            git(target, "checkout", "-q", "main")
            git(
                target,
                "merge",
                "-q",
                "--no-ff",
                "-m",
                f"Merge pull request #{number} from {event.branch}",
                event.branch,
                when=event.when,
                author="Phòng Nội vụ",
            )
            git(target, "branch", "-q", "-d", event.branch)
    return plan


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("target", type=Path)
    p.add_argument("--source", type=Path, default=Path(__file__).resolve().parent.parent)
    args = p.parse_args(argv)
    plan = build(args.source, args.target)
    for cycle in sorted(plan.late):
        print(
            f"Kỳ {cycle}: nộp muộn {sorted(plan.late[cycle])}, chưa nộp {sorted(plan.missing[cycle])}, "
            f"bản nháp (chưa nộp) {sorted(plan.draft[cycle])}, "
            f"bổ sung theo yêu cầu {plan.requested.get(cycle)}, sửa sau hạn {plan.unrequested.get(cycle)}"
        )
    print(f"Kho minh họa: {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
