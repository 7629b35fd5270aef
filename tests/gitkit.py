"""Git repositories for tests: fixed author and committer dates, no developer git config.

`GitRepo` runs the git program with a clean environment (HOME in the test's tmp folder, no
global or system config) and explicit names, e-mails and dates, so the history it builds is
the same on every machine. `isolate_git` applies that environment to the code under test.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

CRITERIA = """\
title: "Bộ tiêu chí thử"
source: "illustrative"
max_total: 10
fields:
  - id: "1"
    name: "Chỉ đạo, điều hành"
    criteria:
      - {id: "1.1", name: "Kế hoạch", max: 2, evidence_required: false}
      - {id: "1.2", name: "Báo cáo", max: 3, evidence_required: false}
  - id: "2"
    name: "Thủ tục hành chính"
    criteria:
      - {id: "2.1", name: "Niêm yết", max: 5, evidence_required: false}
"""


def assessment(
    units: list[tuple[str, str, list[str]]],
    *,
    deadline: str = "2020-01-22",
    late_changes: str = "flag",
    admins: list[str] | None = None,
    trusted: list[str] | None = None,
    extra: str = "",
    reviewers: str = '  - {id: noi-vu, name: "Phòng Nội vụ", criteria: ["1", "2"], owners: ["@noi-vu"]}\n',
) -> str:
    """assessment.yaml of cycle 2019 with units (id, group, owners), one commune tier."""
    lines = [
        'cycle: "2019"',
        'title: "Kỳ thử"',
        'authority: "UBND huyện Thử"',
        f"deadline: {deadline}",
        "timezone: Asia/Ho_Chi_Minh",
        f"late_changes: {late_changes}",
        "classification:",
        '  - {label: "Tốt", min: 80}',
        '  - {label: "Khá", min: 50}',
        '  - {label: "Yếu", min: 0}',
        "tiers:",
        '  commune: {name: "UBND cấp xã", criteria: commune.yaml}',
        "units:",
    ]
    for uid, group, owners in units:
        owner_list = ", ".join(f'"{o}"' for o in owners)
        lines.append(
            f'  - {{id: {uid}, name: "UBND {uid}", tier: commune, kind: xa, '
            f'group: "{group}", owners: [{owner_list}]}}'
        )
    if admins is not None:
        lines.append("admins: [" + ", ".join(f'"{a}"' for a in admins) + "]")
    # the test repositories' platform: every commit below is made by this committer
    lines.append("trusted_committers: [" + ", ".join(f'"{t}"' for t in trusted or [PLATFORM]) + "]")
    return "\n".join(lines) + "\n" + extra + "reviewers:\n" + reviewers


PLATFORM = "GitHub <noreply@example.org>"  # the committer of GitRepo.commit and merge


def scorecard(unit: str, points: dict[str, str], status: str = "submitted") -> str:
    body = [
        f"unit: {unit}",
        'cycle: "2019"',
        f"status: {status}",
        'approved_by: {name: "Nguyễn Văn A", title: "Chủ tịch UBND xã", date: 2020-01-10}',
        "scores:",
    ]
    body += [f'  "{cid}": {{points: {p}}}' for cid, p in points.items()]
    return "\n".join(body) + "\n"


FULL = {"1.1": "2", "1.2": "3", "2.1": "4"}


def appraisal(requests: list[tuple[str, list[str], str, str]], scores: str = "") -> str:
    """appraisals/2019/noi-vu.yaml with requests (unit, criteria, date, due)."""
    lines = ["reviewer: noi-vu", 'cycle: "2019"', "units:" + (" {}" if not scores else ""), scores]
    lines.append("requests:" + ("" if requests else " []"))
    for unit, criteria, day, due in requests:
        ids = ", ".join(f'"{c}"' for c in criteria)
        lines.append(
            f'  - {{unit: {unit}, criteria: [{ids}], document: "CV 30/NV", date: {day}, due: {due}}}'
        )
    return "\n".join(line for line in lines if line) + "\n"


def clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(home / "gitconfig"),
        LC_ALL="C.UTF-8",
        TZ="UTC",
    )
    return env


@pytest.fixture(autouse=True)
def isolate_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The code under test runs git too: give it the same clean environment."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    for key in [k for k in os.environ if k.startswith("GIT_")]:
        monkeypatch.delenv(key)
    for key, value in clean_env(home).items():
        monkeypatch.setenv(key, value)


class GitRepo:
    """A repository in a test folder; every commit has the given dates and author."""

    def __init__(self, path: Path, home: Path | None = None) -> None:
        self.path = path
        self.home = home or path.parent / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        path.mkdir(parents=True, exist_ok=True)
        if not (path / ".git").exists():
            self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        full = clean_env(self.home) | (env or {})
        done = subprocess.run(
            ["git", "-c", "commit.gpgsign=false", *args],
            cwd=self.path,
            env=full,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    def write(self, rel: str, text: str) -> GitRepo:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return self

    def remove(self, rel: str) -> GitRepo:
        self.git("rm", "-q", "-r", rel)
        return self

    def commit(
        self,
        when: str,
        message: str = "cập nhật",
        author: str = "Cán bộ xã",
        email: str = "can-bo@example.org",
    ) -> str:
        """Commit everything with author and committer date `when` (ISO 8601 with offset)."""
        self.git("add", "-A")
        env = {
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_DATE": when,
            "GIT_AUTHOR_NAME": author,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": "GitHub",
            "GIT_COMMITTER_EMAIL": "noreply@example.org",
        }
        self.git("commit", "-q", "--allow-empty", "-m", message, env=env)
        return self.git("rev-parse", "HEAD")

    def merge(self, branch: str, when: str, message: str = "Merge") -> str:
        env = {
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_DATE": when,
            "GIT_AUTHOR_NAME": "Hội đồng",
            "GIT_AUTHOR_EMAIL": "hd@example.org",
            "GIT_COMMITTER_NAME": "GitHub",
            "GIT_COMMITTER_EMAIL": "noreply@example.org",
        }
        self.git("merge", "-q", "--no-ff", "-m", message, branch, env=env)
        return self.git("rev-parse", "HEAD")


def base_repo(
    path: Path, units: list[str], *, when: str = "2020-01-02T09:00:00+07:00", **kwargs: object
) -> GitRepo:
    """A repository with the cycle's configuration committed and no scorecards yet; units
    alternate between groups 'Cụm 1' and 'Cụm 2' and each is owned by '@<unit>'."""
    repo = GitRepo(path)
    spec = [(u, "Cụm 1" if i % 2 == 0 else "Cụm 2", [f"@{u}"]) for i, u in enumerate(units)]
    repo.write("criteria/2019/assessment.yaml", assessment(spec, **kwargs))  # type: ignore[arg-type]
    repo.write("criteria/2019/commune.yaml", CRITERIA)
    repo.commit(when, "Cấu hình kỳ 2019", author="Phòng Nội vụ")
    return repo
