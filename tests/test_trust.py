"""Attacks on the record, each built in a temporary repository with fixed dates: back-dated
fast-forwards, rebased fast-forwards, first-parent dates going backwards (trusted landing
times); rewriting a closed cycle; a department scoring another's criteria; one unit's error
on main never blocking the publication of the others."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from gitkit import FULL, PLATFORM, GitRepo, base_repo, isolate_git, scorecard  # noqa: F401

from builder.git.history import cycle_history
from builder.git.lateness import apply_late_changes, history_problems
from builder.load.cycle import FolderTree, load_cycle
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
    repo.git(
        "rebase",
        "-q",
        "--committer-date-is-author-date",
        "main",
        env=env | {"GIT_COMMITTER_EMAIL": "noreply@example.org"},
    )
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
    frozen = apply_late_changes(repo.path, data, h)
    leaves = {r.unit: r for r in score_cycle(frozen).units}["xa-a"].leaves
    assert leaves["2.1"].final_points == Decimal(4)  # the value at the deadline, not the forged 5
    unit = h.units["xa-a"]
    assert (unit.late, unit.deadline_commit, unit.unverified) == (False, on_time, True)
    assert unit.changes[-1].late_criteria == ("2.1",) and unit.changes[-1].unverified
    codes = [p.code for p in history_problems(h, data)]
    assert codes == ["landing-time-unverifiable", "submitted-late"]
    assert "không tính vào điểm" in history_problems(h, data)[0].message


def test_trusted_committers_default_to_github_and_bad_entries_are_errors(tmp_path: Path) -> None:
    from builder.git.ownership import read_assessment

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


def test_history_runs_without_a_readable_configuration(tmp_path: Path) -> None:
    """A broken assessment.yaml on main: history still reads the log, trusting the default
    identity (GitHub's web merge), and `score` ends with its data-error line, not a traceback."""
    repo = base_repo(tmp_path / "repo", ["xa-a"])
    repo.write(CARD.format("xa-a"), scorecard("xa-a", FULL)).commit("2020-01-20T08:00:00+07:00")
    repo.write("criteria/2019/assessment.yaml", "cycle: [2019\n").commit("2020-01-21T08:00:00+07:00")
    data, h = story(repo.path)
    assert data.assessment is None and h.known
    run = run_cli("score", "--root", str(repo.path))
    assert run.code == 1 and "Traceback" not in run.err and "Dữ liệu kỳ 2019 có lỗi (1 lỗi" in run.err


CLOSED = 'closed: {number: "12/QĐ-UBND", date: 2020-03-01}\n'
FIX = (
    "corrections:\n"
    '  - {number: "40/QĐ-UBND", date: 2021-04-02, unit: xa-a, criterion: "2.1", old: 4, new: 5,'
    ' reason: "Sai sót khi tổng hợp"}\n'
)


def closed_repo(tmp_path: Path) -> GitRepo:
    """Cycle 2019, closed by decision 12/QĐ-UBND; in 2021 a branch rewrites xa-a's 2.1: 4 → 5."""
    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b"], admins=["@huyen-admin"], extra=CLOSED)
    for unit in ("xa-a", "xa-b"):
        repo.write(CARD.format(unit), scorecard(unit, FULL))
    repo.commit("2020-01-20T08:00:00+07:00")
    repo.git("checkout", "-q", "-b", "sua-2019")
    repo.write(CARD.format("xa-a"), scorecard("xa-a", {"1.1": "2", "1.2": "3", "2.1": "5"}))
    repo.commit("2021-05-03T08:00:00+07:00")
    return repo


def test_a_unit_cannot_rewrite_a_closed_cycle(tmp_path: Path) -> None:
    from builder.git.check import run_check

    repo = closed_repo(tmp_path)
    for actor in ("xa-a", None):
        result = run_check(repo.path, "main", actor=actor)
        errors = [(p.code, p.path) for p in result.problems if p.level == "error"]
        assert errors == [("cycle-closed", CARD.format("xa-a"))]
        assert "12/QĐ-UBND ngày 01/03/2020" in result.problems[0].message
    run = run_cli("check", "--root", str(repo.path), "--base", "main", "--actor", "xa-a")
    assert run.code == 1 and "[cycle-closed] Kỳ 2019 đã đóng" in run.out


def test_an_admin_corrects_a_closed_cycle_only_with_a_recorded_correction(tmp_path: Path) -> None:
    from builder.git.check import run_check

    repo = closed_repo(tmp_path)
    problems = run_check(repo.path, "main", actor="huyen-admin").problems
    assert [p.code for p in problems] == ["correction-missing", "late-change"]
    missing = problems[0]
    assert (missing.code, missing.path) == ("correction-missing", CARD.format("xa-a"))
    assert "'2.1'" in missing.message and "từ 4 thành 5" in missing.message
    config = repo.path / "criteria/2019/assessment.yaml"
    repo.write("criteria/2019/assessment.yaml", config.read_text(encoding="utf-8") + FIX)
    repo.commit("2021-05-03T09:00:00+07:00", author="Phòng Nội vụ")
    assert [p.code for p in run_check(repo.path, "main", actor="huyen-admin").problems] == ["late-change"]
    assert run_cli("check", "--root", str(repo.path), "--base", "main", "--actor", "@huyen-admin").code == 0
    # the unit itself still may not, even with the correction written
    assert run_cli("check", "--root", str(repo.path), "--base", "main", "--actor", "xa-a").code == 1
    from builder.git.ownership import read_assessment

    a = read_assessment(FolderTree(repo.path), "2019")
    assert a.closed.number == "12/QĐ-UBND" and a.closed.date.isoformat() == "2020-03-01"
    [fix] = a.corrections
    assert (fix.unit, fix.criterion, fix.old, fix.new, fix.decision.number) == (
        "xa-a",
        "2.1",
        Decimal(4),
        Decimal(5),
        "40/QĐ-UBND",
    )


def test_one_units_errors_on_main_never_block_the_others(tmp_path: Path) -> None:
    """Two green pull requests each added a part scoring 1.1 of xa-an: main has an error."""
    from site_repo import build, make_repo, read_page

    root = make_repo(tmp_path / "site-repo", cycles=("2020",))
    folder = root / "submissions/2020/xa-an"
    (folder / "part-2.yaml").write_text(
        'unit: xa-an\ncycle: "2020"\nstatus: submitted\n'
        'approved_by: {name: "Nguyễn Văn A", title: "Chủ tịch", date: 2021-01-10}\n'
        'scores:\n  "1.1": {points: 0}\n',
        encoding="utf-8",
    )
    expected = json.loads(run_cli("score", "--root", str(root), "--format", "json").out)
    code, out, err = build(root)
    assert code == 1 and (root / "site/2020/units/xa-an.html").is_file()
    assert "Đã dựng" in out and "ĐÃ CÔNG BỐ TRANG NHƯNG DỮ LIỆU TRÊN NHÁNH CHÍNH CÓ LỖI" in err
    assert "2020/xa-an" in err and "error [criterion-scored-twice]" in err
    page = read_page(root / "site/2020/units/xa-an.html").text
    assert "Trạng thái: Dữ liệu đang có lỗi (không xếp hạng)" in page
    # the problem line itself, with its place
    assert "submissions/2020/xa-an/scorecard.yaml, dòng 9: Tiêu chí '1.1' đã được chấm ở" in page
    published = json.loads((root / "site/2020/data/units/xa-an.json").read_text(encoding="utf-8"))
    assert published["rank"] is None and published["final_total"] is None
    # every other unit is ranked as if xa-an had not submitted
    without = {u["unit"]: u["rank"] for u in expected["units"] if u["unit"] != "xa-an"}
    for uid in without:
        record = json.loads((root / f"site/2020/data/units/{uid}.json").read_text(encoding="utf-8"))
        assert record["status"] == next(u["status"] for u in expected["units"] if u["unit"] == uid)
    ranked = {
        uid: json.loads((root / f"site/2020/data/units/{uid}.json").read_text(encoding="utf-8"))["rank"]
        for uid in without
    }
    assert next(u["rank"] for u in expected["units"] if u["unit"] == "xa-an") is not None
    assert ranked["xa-binh"] is not None  # the others keep a rank; xa-an takes none
    group = [uid for uid in ("xa-binh", "xa-cuong") if ranked[uid]]  # Cụm 1 without xa-an
    assert sorted(ranked[u] for u in group) == list(range(1, len(group) + 1))
    units = read_page(root / "site/2020/units/index.html").text
    assert "Dữ liệu đang có lỗi" in units


def test_check_dates_a_back_dated_pull_request_no_earlier_than_its_base(tmp_path: Path) -> None:
    from builder.git.check import run_check

    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b"])
    repo.write(CARD.format("xa-a"), scorecard("xa-a", FULL)).commit("2020-01-20T08:00:00+07:00")
    repo.write(CARD.format("xa-b"), scorecard("xa-b", FULL)).commit("2020-01-25T08:00:00+07:00")
    repo.git("checkout", "-q", "-b", "sua")
    repo.write(CARD.format("xa-a"), scorecard("xa-a", {"1.1": "2", "1.2": "3", "2.1": "5"}))
    forged(repo, "2020-01-21T08:00:00+07:00")
    [late] = run_check(repo.path, "main").problems
    assert late.code == "late-change" and "25/01/2020 08:00" in late.message


def test_score_shows_why_late_is_empty(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a"])
    repo.write(CARD.format("xa-a"), scorecard("xa-a", FULL))
    forged(repo, "2020-01-21T08:00:00+07:00")
    run = run_cli("score", "--root", str(repo.path))
    assert run.code == 0 and "[landing-time-unverifiable] Thời điểm nộp không kiểm chứng được" in run.err


def test_verify_signatures_trusts_only_commits_signed_by_the_shipped_key(tmp_path: Path) -> None:
    import shutil
    import subprocess

    import pytest

    if shutil.which("gpg") is None:
        pytest.skip("gpg is not installed")
    gnupg = tmp_path / "gnupg"
    gnupg.mkdir(mode=0o700)
    gpg = ["gpg", "--batch", "--homedir", str(gnupg), "--passphrase", ""]
    subprocess.run(
        [*gpg, "--quick-gen-key", PLATFORM, "ed25519", "sign", "never"], check=True, capture_output=True
    )
    key = subprocess.run([*gpg, "--armor", "--export", PLATFORM], check=True, capture_output=True).stdout
    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b"], extra="verify_signatures: true\n")
    repo.write(".github/trusted-keys.asc", key.decode())
    repo.commit("2020-01-03T09:00:00+07:00", "Khóa của nền tảng")
    env = {
        "GNUPGHOME": str(gnupg),
        "GIT_AUTHOR_DATE": "2020-01-20T08:00:00+07:00",
        "GIT_COMMITTER_DATE": "2020-01-20T08:00:00+07:00",
        "GIT_COMMITTER_NAME": "GitHub",
        "GIT_COMMITTER_EMAIL": "noreply@example.org",
        "GIT_AUTHOR_NAME": "Cán bộ xã",
        "GIT_AUTHOR_EMAIL": "can-bo@example.org",
    }
    repo.write(CARD.format("xa-a"), scorecard("xa-a", FULL)).git("add", "-A")
    repo.git("-c", f"user.signingkey={PLATFORM}", "commit", "-q", "-S", "-m", "ký", env=env)
    repo.write(CARD.format("xa-b"), scorecard("xa-b", FULL))
    forged(repo, "2020-01-21T08:00:00+07:00", PLATFORM)  # the platform's name, no signature
    data, h = story(repo.path)
    assert h.late() == {"xa-a": False, "xa-b": None}
    [warning] = history_problems(h, data)
    assert warning.path == CARD.format("xa-b") and "chữ ký" in warning.message


def test_site_shows_unverifiable_landing_times_and_corrections(tmp_path: Path) -> None:
    from site_repo import read_page

    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b"], extra=CLOSED + FIX)
    repo.write(CARD.format("xa-b"), scorecard("xa-b", FULL)).commit("2020-01-20T08:00:00+07:00")
    repo.write(CARD.format("xa-a"), scorecard("xa-a", FULL))
    forged(repo, "2020-01-21T08:00:00+07:00")
    run = run_cli("build", "--root", str(repo.path))
    assert run.code == 0, run.err
    page = read_page(repo.path / "site/2019/units/xa-a.html")
    assert "Thời điểm nộp không kiểm chứng được" in page.text
    (table,) = page.table("Quyết định đính chính")
    [row] = table["rows"]
    assert row["Tiêu chí"][0] == "2.1" and (row["Điểm cũ"][0], row["Điểm mới"][0]) == ("4", "5")
    assert "40/QĐ-UBND" in row["Quyết định đính chính"][0]
    assert "Quyết định số 12/QĐ-UBND ngày 01/03/2020" in page.text
    other = read_page(repo.path / "site/2019/units/xa-b.html").text
    assert "không kiểm chứng được" not in other and "Đính chính" not in other
