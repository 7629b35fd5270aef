"""History from real temporary repositories with fixed dates: on time, late, never submitted,
changes after the deadline with and without a supplement request, freeze versus flag, merges,
split scorecards, shallow clones, GitTree and `score --rev`."""

from __future__ import annotations

import json
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from gitkit import FULL, GitRepo, appraisal, base_repo, isolate_git, scorecard  # noqa: F401

from builder.git import history
from builder.git.history import cycle_history
from builder.git.lateness import apply_late_changes, history_problems
from builder.git.repo import GitTree, open_repo
from builder.load.cycle import FolderTree, load_cycle
from builder.score import score_cycle
from conftest import run_cli

CARD = "submissions/2019/{}/scorecard.yaml"


def story(root: Path, rev: str = "HEAD"):
    data = load_cycle(FolderTree(root), "2019")
    return data, cycle_history(root, data, rev)


def submit(
    repo: GitRepo, unit: str, when: str, points: dict[str, str] = FULL, status: str = "submitted"
) -> str:
    return repo.write(CARD.format(unit), scorecard(unit, points, status)).commit(when, f"{unit}: nộp")


def test_deadline_is_inclusive_in_the_cycle_timezone(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b", "xa-c", "xa-d"])
    submit(repo, "xa-c", "2020-01-22T16:59:00+00:00")  # 23:59 in Hà Nội
    submit(repo, "xa-a", "2020-01-22T23:59:59+07:00")
    submit(repo, "xa-b", "2020-01-23T00:00:00+07:00")
    submit(repo, "xa-d", "2020-01-22T17:00:00+00:00")  # 00:00 of the 23rd in Hà Nội
    _, h = story(repo.path)
    assert h.known and not h.shallow
    assert h.late() == {"xa-a": False, "xa-b": True, "xa-c": False, "xa-d": True}
    assert h.units["xa-d"].submitted_at.isoformat() == "2020-01-23T00:00:00+07:00"


def test_on_time_late_never_submitted_and_missing(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-dung-han", "xa-muon", "xa-nhap", "xa-vang"])
    submit(repo, "xa-dung-han", "2020-01-10T08:00:00+07:00", status="draft")
    first = submit(repo, "xa-dung-han", "2020-01-20T15:30:00+07:00")
    submit(repo, "xa-muon", "2020-01-15T09:00:00+07:00", status="draft")
    submit(repo, "xa-nhap", "2020-01-16T09:00:00+07:00", status="draft")
    late = submit(repo, "xa-muon", "2020-01-25T09:00:00+07:00")
    data, h = story(repo.path)
    on_time = h.units["xa-dung-han"]
    assert (on_time.late, on_time.submitted_at.day) == (False, 20)
    assert [c.event for c in on_time.changes] == ["created", "submitted"]
    assert on_time.changes[1].commit == first and on_time.changes[1].author == "Cán bộ xã"
    assert on_time.deadline_commit == first
    assert (h.units["xa-muon"].late, h.units["xa-muon"].deadline_commit) == (True, late)
    assert h.units["xa-nhap"].late is True and h.units["xa-nhap"].submitted_at is None
    assert h.units["xa-vang"].late is True and h.units["xa-vang"].changes == ()
    codes = [(p.code, p.path) for p in history_problems(h, data)]
    assert codes == [("submitted-late", CARD.format("xa-muon"))]


def test_nothing_is_late_before_the_deadline(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b"])
    submit(repo, "xa-a", "2020-01-10T08:00:00+07:00", status="draft")
    _, h = story(repo.path)
    assert h.late() == {"xa-a": None, "xa-b": None}
    assert h.commit_date.isoformat() == "2020-01-10T08:00:00+07:00"


def test_changed_criteria_are_named_per_commit(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a"])
    submit(repo, "xa-a", "2020-01-10T08:00:00+07:00", {"1.1": "2", "1.2": "3"}, "draft")
    submit(repo, "xa-a", "2020-01-12T08:00:00+07:00", {"1.1": "1", "1.2": "3", "2.1": "4"}, "draft")
    repo.write(
        CARD.format("xa-a"),
        scorecard("xa-a", {"1.1": "1", "1.2": "3", "2.1": "4"}) + "difficulties: Thiếu cán bộ\n",
    ).commit("2020-01-13T08:00:00+07:00")
    _, h = story(repo.path)
    changes = h.units["xa-a"].changes
    assert [c.criteria for c in changes] == [("1.1", "1.2"), ("1.1", "2.1"), ()]
    assert [c.event for c in changes] == ["created", "changed", "submitted"]
    assert changes[0].files == (CARD.format("xa-a"),)


def request_repo(tmp_path: Path, late_changes: str = "flag") -> tuple[GitRepo, str]:
    """xa-a submits on time; the council asks for 1.1 from 01/02 to 08/02; xa-a then changes
    1.1 (requested) and 1.2 (not requested) on 03/02, and 1.1 again after the due date."""
    repo = base_repo(tmp_path / "repo", ["xa-a"], late_changes=late_changes)
    on_time = submit(repo, "xa-a", "2020-01-20T08:00:00+07:00")
    repo.write("appraisals/2019/noi-vu.yaml", appraisal([("xa-a", ["1.1"], "2020-02-01", "2020-02-08")]))
    repo.commit("2020-02-01T10:00:00+07:00", "Yêu cầu bổ sung", author="Phòng Nội vụ")
    submit(repo, "xa-a", "2020-02-08T23:00:00+07:00", {"1.1": "1", "1.2": "3", "2.1": "4"})
    submit(repo, "xa-a", "2020-02-09T08:00:00+07:00", {"1.1": "1", "1.2": "1", "2.1": "4"})
    return repo, on_time


def test_change_after_the_deadline_with_and_without_a_request(tmp_path: Path) -> None:
    repo, on_time = request_repo(tmp_path)
    data, h = story(repo.path)
    unit = h.units["xa-a"]
    requested, unrequested = unit.changes[1], unit.changes[2]
    assert (requested.criteria, requested.requested, requested.late_criteria) == (("1.1",), True, ())
    assert (unrequested.criteria, unrequested.requested, unrequested.late_criteria) == (
        ("1.2",),
        False,
        ("1.2",),
    )
    assert requested.after_deadline and unrequested.after_deadline
    assert unit.late is False and unit.deadline_commit == on_time
    found = history_problems(h, data)
    assert [(p.code, p.level, p.line) for p in found] == [("late-change", "warning", 7)]
    assert "'1.2'" in found[0].message and unrequested.commit[:7] in found[0].message
    assert "09/02/2020 08:00" in found[0].message


def test_flag_scores_the_scorecard_as_it_is(tmp_path: Path) -> None:
    repo, _ = request_repo(tmp_path, "flag")
    data, h = story(repo.path)
    assert apply_late_changes(repo.path, data, h) is data
    leaves = {r.unit: r for r in score_cycle(data).units}["xa-a"].leaves
    assert (leaves["1.1"].final_points, leaves["1.2"].final_points) == (Decimal(1), Decimal(1))


def test_freeze_scores_the_deadline_state_except_requested_criteria(tmp_path: Path) -> None:
    repo, _ = request_repo(tmp_path, "freeze")
    data, h = story(repo.path)
    frozen = apply_late_changes(repo.path, data, h)
    leaves = {r.unit: r for r in score_cycle(frozen).units}["xa-a"].leaves
    # 1.1 takes its requested value (1), 1.2 its value at the deadline (3), not the late 1
    assert (leaves["1.1"].final_points, leaves["1.2"].final_points) == (Decimal(1), Decimal(3))
    assert data.scorecards["xa-a"].scores["1.2"].points == Decimal(1)  # the input is untouched
    assert "không tính vào điểm" in history_problems(h, data)[0].message
    result = json.loads(run_cli("score", "--root", str(repo.path), "--format", "json").out)
    assert result["units"][0]["final_total"] == 8  # 1 + 3 + 4


def test_late_submitter_is_frozen_at_its_own_submission(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a"], late_changes="freeze")
    submission = submit(repo, "xa-a", "2020-01-25T08:00:00+07:00")
    submit(repo, "xa-a", "2020-01-26T08:00:00+07:00", {"1.1": "0", "1.2": "3", "2.1": "4"})
    data, h = story(repo.path)
    unit = h.units["xa-a"]
    assert (unit.late, unit.deadline_commit) == (True, submission)
    assert unit.changes[0].late_criteria == ()  # the late submission itself is not a late change
    assert unit.changes[1].late_criteria == ("1.1",)
    frozen = apply_late_changes(repo.path, data, h)
    assert frozen.scorecards["xa-a"].scores["1.1"].points == Decimal(2)


def test_the_merge_date_on_the_main_line_counts_not_the_branch_date(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b"])
    repo.git("checkout", "-q", "-b", "xa-a-nop")
    submit(repo, "xa-a", "2020-01-20T08:00:00+07:00")
    repo.git("checkout", "-q", "main")
    submit(repo, "xa-b", "2020-01-21T08:00:00+07:00")
    merge = repo.merge("xa-a-nop", "2020-01-24T09:00:00+07:00")
    _, h = story(repo.path)
    assert h.late() == {"xa-a": True, "xa-b": False}
    [change] = h.units["xa-a"].changes
    assert change.commit == merge
    assert change.author == "Cán bộ xã"  # who wrote the pull request, not "Hội đồng" who merged it


def test_split_scorecard_is_submitted_when_every_part_is(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["huyen"])
    part = "submissions/2019/huyen/{}.yaml"
    repo.write(part.format("noi-vu"), scorecard("huyen", {"1.1": "2", "1.2": "3"}))
    repo.write(part.format("van-phong"), scorecard("huyen", {"2.1": "5"}, "draft"))
    repo.commit("2020-01-20T08:00:00+07:00")
    last = repo.write(part.format("van-phong"), scorecard("huyen", {"2.1": "5"})).commit(
        "2020-01-23T08:00:00+07:00"
    )
    _, h = story(repo.path)
    unit = h.units["huyen"]
    assert [c.event for c in unit.changes] == ["created", "submitted"]
    assert (unit.late, unit.deadline_commit) == (True, last)


def test_evidence_file_replaced_after_the_deadline_is_a_change_of_its_criteria(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a"])
    text = scorecard("xa-a", FULL).replace(
        '"1.2": {points: 3}', '"1.2": {points: 3, evidence: [{title: "BC", file: evidence/bc.pdf}]}'
    )
    repo.write(CARD.format("xa-a"), text).write("submissions/2019/xa-a/evidence/bc.pdf", "v1")
    repo.commit("2020-01-20T08:00:00+07:00")
    repo.write("submissions/2019/xa-a/evidence/bc.pdf", "v2").commit("2020-01-30T08:00:00+07:00")
    _, h = story(repo.path)
    change = h.units["xa-a"].changes[-1]
    assert change.files == ("submissions/2019/xa-a/evidence/bc.pdf",)
    assert (change.criteria, change.late_criteria) == (("1.2",), ("1.2",))


def test_a_plain_folder_has_unknown_history(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a"])
    submit(repo, "xa-a", "2020-01-30T08:00:00+07:00")
    plain = tmp_path / "plain"
    shutil.copytree(repo.path, plain, ignore=shutil.ignore_patterns(".git"))
    data, h = story(plain)
    assert not h.known and h.units == {} and "không phải kho Git" in h.notes[0]
    assert history_problems(h, data) == []
    result = json.loads(run_cli("score", "--root", str(plain), "--format", "json").out)
    assert [u["late"] for u in result["units"]] == [None]


def test_a_folder_inside_another_repository_is_a_plain_folder(tmp_path: Path) -> None:
    outer = GitRepo(tmp_path / "outer")
    inner = base_repo(tmp_path / "outer" / "data", ["xa-a"])
    (inner.path / ".git").rename(tmp_path / "moved-git")  # data/ is now just a folder of outer
    outer.commit("2020-01-30T08:00:00+07:00")  # outer's history holds data/, dated late
    assert open_repo(inner.path) is None
    assert not story(inner.path)[1].known


def test_an_empty_repository_has_unknown_history(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    (repo.path / "criteria").mkdir()
    data = load_cycle(FolderTree(repo.path), "2019")
    h = cycle_history(repo.path, data)
    assert not h.known and "chưa có commit" in h.notes[0]


def test_the_whole_cycle_is_read_in_one_log_pass(tmp_path: Path, monkeypatch) -> None:
    repo = base_repo(tmp_path / "repo", [f"xa-{i}" for i in range(6)])
    for i in range(6):
        submit(repo, f"xa-{i}", f"2020-01-{10 + i}T08:00:00+07:00")
    calls = []
    real = history._log
    monkeypatch.setattr(history, "_log", lambda *a: calls.append(a) or real(*a))
    _, h = story(repo.path)
    assert len(calls) == 1 and calls[0][2] == "submissions/2019"
    assert all(u.late is False for u in h.units.values())


def shallow_clone(repo: GitRepo, target: Path, depth: int) -> GitRepo:
    clone = GitRepo(target.parent / "empty")  # a home for the git environment
    clone.git("clone", "-q", "--depth", str(depth), f"file://{repo.path}", str(target))
    return GitRepo(target, home=clone.home)


def test_shallow_clone_knows_what_it_can(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-cu", "xa-moi", "xa-sau"])
    submit(repo, "xa-cu", "2020-01-10T08:00:00+07:00")
    boundary = submit(repo, "xa-moi", "2020-01-15T08:00:00+07:00", status="draft")
    submit(repo, "xa-moi", "2020-01-21T08:00:00+07:00")
    submit(repo, "xa-sau", "2020-01-24T08:00:00+07:00")
    clone = shallow_clone(repo, tmp_path / "clone", depth=3)
    _, h = story(clone.path)
    assert h.known and h.shallow and "shallow clone" in h.notes[0] and boundary[:7] in h.notes[0]
    # xa-cu was submitted at or before a boundary that is on time: on time, date unknown
    assert (h.units["xa-cu"].late, h.units["xa-cu"].submitted_at) == (False, None)
    assert h.units["xa-cu"].changes == ()
    assert h.units["xa-moi"].late is False and h.units["xa-moi"].submitted_at.day == 21
    assert h.units["xa-sau"].late is True


def test_depth_one_clone_after_the_deadline_cannot_tell(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b"])
    submit(repo, "xa-a", "2020-01-10T08:00:00+07:00")
    submit(repo, "xa-b", "2020-01-30T08:00:00+07:00")
    clone = shallow_clone(repo, tmp_path / "clone", depth=1)
    data, h = story(clone.path)
    assert h.shallow and h.late() == {"xa-a": None, "xa-b": None}
    assert history_problems(h, data) == []
    result = run_cli("score", "--root", str(clone.path), "--format", "json")
    assert result.code == 0 and '"late": null' in result.out
    assert "Ghi chú: Kho Git là bản sao nông (shallow clone)" in result.err


def test_git_tree_reads_a_revision_without_checkout(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b"])
    old = submit(repo, "xa-a", "2020-01-10T08:00:00+07:00", {"1.1": "1", "1.2": "3", "2.1": "4"})
    submit(repo, "xa-a", "2020-01-11T08:00:00+07:00")
    submit(repo, "xa-b", "2020-01-12T08:00:00+07:00")
    git_repo = open_repo(repo.path)
    tree = GitTree(git_repo, old)
    assert tree.list_dir("submissions/2019") == [("xa-a", True)]
    assert tree.list_dir("nowhere") == [] and tree.read_bytes("nowhere.yaml") is None
    assert load_cycle(tree, "2019").scorecards["xa-a"].scores["1.1"].points == Decimal(1)
    at_head = load_cycle(GitTree(git_repo, "HEAD"), "2019")
    on_disk = load_cycle(FolderTree(repo.path), "2019")
    assert at_head == on_disk
    git_repo.close()
    out = json.loads(run_cli("score", "--root", str(repo.path), "--rev", old, "--format", "json").out)
    assert [(u["unit"], u["final_total"]) for u in out["units"]] == [("xa-a", 8), ("xa-b", None)]
    assert run_cli("score", "--root", str(repo.path), "--rev", "khong-co").code == 2


def test_git_tree_follows_symlinks_like_the_folder_tree(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a"])
    folder = repo.path / "submissions/2019/xa-a"
    submit(repo, "xa-a", "2020-01-10T08:00:00+07:00")
    (folder / "evidence").mkdir()
    (folder / "evidence" / "bc.pdf").write_text("pdf")
    (folder / "ban-sao.pdf").symlink_to("evidence/bc.pdf")
    (folder / "ngoai.pdf").symlink_to("../../../criteria/2019/commune.yaml")
    (folder / "tuyet-doi.pdf").symlink_to("/etc/hostname")
    (folder / "lien-ket").symlink_to("evidence")
    repo.commit("2020-01-11T08:00:00+07:00")
    git_repo = open_repo(repo.path)
    tree, disk = GitTree(git_repo, "HEAD"), FolderTree(repo.path)
    for name in ("ban-sao.pdf", "ngoai.pdf", "lien-ket/bc.pdf", "khong-co.pdf", "scorecard.yaml"):
        path = f"submissions/2019/xa-a/{name}"
        assert tree.real_path(path) == disk.real_path(path), name
        assert tree.read_bytes(path) == disk.read_bytes(path), name
    assert tree.list_dir("submissions/2019/xa-a") == disk.list_dir("submissions/2019/xa-a")
    assert tree.real_path("submissions/2019/xa-a/tuyet-doi.pdf").startswith("../")
    git_repo.close()


def test_validate_reports_history_warnings_only_in_a_repository(tmp_path: Path) -> None:
    repo, _ = request_repo(tmp_path)
    run = run_cli("validate", "--root", str(repo.path))
    assert run.code == 0 and "[late-change]" in run.out and "'1.2'" in run.out
    assert run_cli("validate", "--root", str(repo.path), "--strict").code == 1


@pytest.mark.parametrize("bad", ["Asia/Khong_Co"])
def test_unknown_timezone_falls_back_to_vietnam_with_a_note(tmp_path: Path, bad: str) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a"])
    text = (repo.path / "criteria/2019/assessment.yaml").read_text(encoding="utf-8")
    repo.write("criteria/2019/assessment.yaml", text.replace("Asia/Ho_Chi_Minh", bad))
    submit(repo, "xa-a", "2020-01-22T16:30:00+00:00")  # 23:30 in Hà Nội
    _, h = story(repo.path)
    assert h.units["xa-a"].late is False and bad in h.notes[0]


def test_history_false_means_the_cycle_was_not_submitted_through_git(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a"])
    config = repo.path / "criteria/2019/assessment.yaml"
    repo.write("criteria/2019/assessment.yaml", config.read_text(encoding="utf-8") + "history: false\n")
    tip = submit(repo, "xa-a", "2026-11-27T08:00:00+07:00")  # imported years later
    data, h = story(repo.path)
    assert not h.known and h.units == {} and "history: false" in h.notes[0]
    assert (h.commit, h.commit_date.isoformat()) == (tip, "2026-11-27T08:00:00+07:00")
    assert history_problems(h, data) == []


def test_demo_repository_from_the_sample_marks_late_and_missing_units(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample data replayed with a realistic history (scripts/make_demo_repo.py)."""
    import importlib.util

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("make_demo_repo", ROOT / "scripts/make_demo_repo.py")
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_demo_repo", script)  # dataclasses look it up
    spec.loader.exec_module(script)
    target = tmp_path / "demo"
    plan = script.build(ROOT, target)
    warnings = run_cli("validate", "--root", str(target), "--all-cycles").out.splitlines()
    for cycle in plan.late:
        out = run_cli("score", "--root", str(target), "--cycle", cycle, "--format", "json").out
        late = {u["unit"]: u["late"] for u in json.loads(out)["units"]}
        expected_late = plan.late[cycle] | plan.missing[cycle] | plan.draft[cycle]
        assert {u for u, flag in late.items() if flag} == expected_late
        assert {u for u, flag in late.items() if flag is False} == plan.on_time[cycle]
        flagged = {
            line.split("/")[2]
            for line in warnings
            if "[submitted-late]" in line and line.startswith(f"submissions/{cycle}/")
        }
        assert flagged == plan.late[cycle]
        changes = [
            line for line in warnings if "[late-change]" in line and line.startswith(f"submissions/{cycle}/")
        ]
        unit, criterion = plan.unrequested[cycle]
        assert len(changes) == 1 and f"/{unit}/" in changes[0] and f"'{criterion}'" in changes[0]
    assert plan.requested  # the sample's supplement request was answered in time: no warning
    data = load_cycle(FolderTree(target), "2019")
    h = cycle_history(target, data)
    unit, criterion = plan.requested["2019"]
    assert any(c.requested and criterion in c.criteria for c in h.units[unit].changes)


def test_a_reverted_scorecard_is_read_and_parsed_once_per_blob(tmp_path: Path, monkeypatch) -> None:
    """A revert brings back a blob already seen: its answer is reused, not asked of Git again."""
    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b"])
    first = scorecard("xa-a", {"1.1": "1", "1.2": "3"}, "draft")
    repo.write(CARD.format("xa-a"), first).commit("2020-01-10T08:00:00+07:00")
    repo.write(CARD.format("xa-a"), scorecard("xa-a", {"1.1": "2", "1.2": "3"}, "draft")).commit(
        "2020-01-11T08:00:00+07:00"
    )
    repo.write(CARD.format("xa-a"), first).commit("2020-01-12T08:00:00+07:00")  # the revert
    repo.write(CARD.format("xa-b"), scorecard("xa-b", FULL)).commit("2020-01-13T08:00:00+07:00")
    asked: list[str] = []
    real = history.BlobStream.next
    monkeypatch.setattr(history.BlobStream, "next", lambda self, sha: asked.append(sha) or real(self, sha))
    _, h = story(repo.path)
    assert len(asked) == 3 == len(set(asked))  # three distinct blobs, four versions
    changes = h.units["xa-a"].changes
    assert [c.criteria for c in changes] == [("1.1", "1.2"), ("1.1",), ("1.1",)]
    assert h.units["xa-b"].late is False


def test_an_oversized_blob_is_skipped_and_the_stream_stays_in_step(tmp_path: Path, monkeypatch) -> None:
    """A scorecard version past the size limit reads as no scorecard; the blobs after it in the
    same `cat-file` stream are still the right ones (its bytes were drained, not left behind)."""
    monkeypatch.setattr("builder.git.blobs.MAX_FILE_BYTES", 4000)
    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b"])
    huge = scorecard("xa-a", FULL, "draft") + "# " + "x" * 70_000 + "\n"
    repo.write(CARD.format("xa-a"), huge).commit("2020-01-10T08:00:00+07:00")
    submit(repo, "xa-b", "2020-01-11T08:00:00+07:00")
    submit(repo, "xa-a", "2020-01-12T08:00:00+07:00")
    _, h = story(repo.path)
    assert h.units["xa-b"].submitted_at is not None and h.units["xa-b"].late is False
    assert h.units["xa-a"].changes[0].criteria == ()  # the huge version counted as empty
    assert h.units["xa-a"].submitted_at is not None


def test_a_failure_mid_history_ends_the_cat_file_process(tmp_path: Path, monkeypatch) -> None:
    """A bug or Ctrl+C in the middle of the pass leaves no `git cat-file` behind."""
    repo = base_repo(tmp_path / "repo", [f"xa-{i}" for i in range(4)])
    for i in range(4):
        submit(repo, f"xa-{i}", f"2020-01-1{i}T08:00:00+07:00")
    procs = []
    real_init = history.BlobStream.__init__

    def spy(self, *args):
        real_init(self, *args)
        procs.append(self._proc)

    def boom(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(history.BlobStream, "__init__", spy)
    monkeypatch.setattr(history.Versions, "part", boom)
    with pytest.raises(KeyboardInterrupt):
        story(repo.path)
    assert len(procs) == 1 and procs[0].poll() is not None


def test_blob_stream_answers_missing_ids_and_refuses_a_caller_out_of_step(tmp_path: Path) -> None:
    from builder.git.blobs import BlobStream

    repo = base_repo(tmp_path / "repo", ["xa-a"])
    submit(repo, "xa-a", "2020-01-10T08:00:00+07:00")
    real = repo.git("rev-parse", f"HEAD:{CARD.format('xa-a')}").strip()
    git_repo = open_repo(repo.path)
    assert git_repo is not None
    with BlobStream(git_repo, ["f" * 40, real, "e" * 40]) as blobs:
        assert blobs.next("f" * 40) is None
        assert (blobs.next(real) or b"").startswith(b"unit: xa-a")
        with pytest.raises(RuntimeError):
            blobs.next("d" * 40)  # asked in another order than given: a bug, said loudly
    with BlobStream(git_repo, []) as empty, pytest.raises(RuntimeError):
        empty.next(real)
    git_repo.close()
