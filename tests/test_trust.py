"""Attacks on the record, each built in a temporary repository with fixed dates: back-dated
fast-forwards, rebased fast-forwards, first-parent dates going backwards (trusted landing
times); rewriting a closed cycle; a department scoring another's criteria; one unit's error
on main never blocking the publication of the others."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from gitkit import FULL, PLATFORM, GitRepo, base_repo, isolate_git, scorecard  # noqa: F401

from builder.history import cycle_history
from builder.lateness import apply_late_changes, history_problems
from builder.load import FolderTree, load_cycle
from builder.score import score_cycle
from conftest import run_cli

CARD = "submissions/2019/{}/scorecard.yaml"


def story(root: Path):
    data = load_cycle(FolderTree(root), "2019")
    return data, cycle_history(root, data)


def forged(repo: GitRepo, when: str, committer: str = "Cán bộ xã <can-bo@example.org>") -> str:
    """Commit everything with a hand-set committer identity and date (GIT_COMMITTER_DATE)."""
    name, email = committer[:-1].split(" <")
    repo.git("add", "-A")
    env = {
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "Cán bộ xã",
        "GIT_AUTHOR_EMAIL": "can-bo@example.org",
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }
    repo.git("commit", "-q", "-m", "nộp phiếu", env=env)
    return repo.git("rev-parse", "HEAD")


def test_back_dated_fast_forward_is_not_on_time(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b"])
    repo.write(CARD.format("xa-b"), scorecard("xa-b", FULL)).commit("2020-01-20T08:00:00+07:00")
    repo.git("checkout", "-q", "-b", "nop")
    repo.write(CARD.format("xa-a"), scorecard("xa-a", FULL))
    sha = forged(repo, "2020-01-21T08:00:00+07:00")  # really written on the 30th
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "nop")  # fast-forward: no platform commit
    data, h = story(repo.path)
    assert h.late() == {"xa-a": None, "xa-b": False}
    assert h.units["xa-a"].unverified and not h.units["xa-b"].unverified
    [warning] = history_problems(h, data)
    assert (warning.code, warning.level, warning.path) == (
        "landing-time-unverifiable",
        "warning",
        CARD.format("xa-a"),
    )
    assert sha[:7] in warning.message and "Cán bộ xã <can-bo@example.org>" in warning.message
    result = json.loads(run_cli("score", "--root", str(repo.path), "--format", "json").out)
    assert {u["unit"]: u["late"] for u in result["units"]} == {"xa-a": None, "xa-b": False}
    run = run_cli("validate", "--root", str(repo.path))
    assert "[landing-time-unverifiable] Thời điểm nộp không kiểm chứng được" in run.out


def test_rebased_fast_forward_with_a_forged_platform_identity_is_not_on_time(tmp_path: Path) -> None:
    """The branch is rebased on main (GitLab's fast-forward merge) with the platform's name and
    a date before the deadline: it is dated before its parent on the main line."""
    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b"])
    repo.git("checkout", "-q", "-b", "nop")
    repo.write(CARD.format("xa-a"), scorecard("xa-a", FULL)).commit("2020-01-20T08:00:00+07:00")
    repo.git("checkout", "-q", "main")
    repo.write(CARD.format("xa-b"), scorecard("xa-b", FULL)).commit("2020-01-25T08:00:00+07:00")
    repo.git("checkout", "-q", "nop")
    env = {"GIT_COMMITTER_DATE": "2020-01-21T08:00:00+07:00", "GIT_COMMITTER_NAME": "GitHub"}
    repo.git("rebase", "-q", "--committer-date-is-author-date", "main", env=env | {"GIT_COMMITTER_EMAIL": "noreply@example.org"})
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "nop")
    data, h = story(repo.path)
    assert h.late() == {"xa-a": None, "xa-b": True}
    assert [p.code for p in history_problems(h, data)] == ["landing-time-unverifiable", "submitted-late"]
    assert "sớm hơn commit trước nó" in history_problems(h, data)[0].message


def test_freeze_cannot_be_bypassed_by_a_date_going_backwards(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b"], late_changes="freeze")
    on_time = repo.write(CARD.format("xa-a"), scorecard("xa-a", FULL)).commit("2020-01-20T08:00:00+07:00")
    repo.write(CARD.format("xa-b"), scorecard("xa-b", FULL)).commit("2020-01-25T08:00:00+07:00")
    repo.write(CARD.format("xa-a"), scorecard("xa-a", {"1.1": "2", "1.2": "3", "2.1": "5"}))
    forged(repo, "2020-01-21T08:00:00+07:00", PLATFORM)  # 2.1: 4 → 5, "before the deadline"
    data, h = story(repo.path)
    unit = h.units["xa-a"]
    assert (unit.late, unit.deadline_commit, unit.unverified) == (False, on_time, True)
    assert unit.changes[-1].late_criteria == ("2.1",) and unit.changes[-1].unverified
    frozen = apply_late_changes(repo.path, data, h)
    leaves = {r.unit: r for r in score_cycle(frozen).units}["xa-a"].leaves
    assert leaves["2.1"].final_points == Decimal(4)  # the value at the deadline, not the forged 5
    codes = [p.code for p in history_problems(h, data)]
    assert codes == ["landing-time-unverifiable", "submitted-late"]
    assert "không tính vào điểm" in history_problems(h, data)[0].message


def test_trusted_committers_default_to_github_and_bad_entries_are_errors(tmp_path: Path) -> None:
    from builder.codeowners import read_assessment

    repo = base_repo(tmp_path / "repo", ["xa-a"], trusted=["GitHub <noreply@github.com>", "khong-hop-le"])
    a = read_assessment(FolderTree(repo.path), "2019")
    assert a is not None and a.trusted_committers == ("GitHub <noreply@github.com>",)
    run = run_cli("validate", "--root", str(repo.path))
    assert run.code == 1 and "[trusted-committer-bad] Người commit tin cậy 'khong-hop-le'" in run.out
    # without the key, only GitHub's web flow is trusted: the test platform's commits are not
    text = (repo.path / "criteria/2019/assessment.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("trusted_committers")]
    repo.write("criteria/2019/assessment.yaml", "\n".join(lines) + "\n")
    repo.write(CARD.format("xa-a"), scorecard("xa-a", FULL)).commit("2020-01-20T08:00:00+07:00")
    _, h = story(repo.path)
    assert h.late() == {"xa-a": None}
