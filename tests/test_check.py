"""The pull-request check on real repositories: only touched files are reported, the score
diff of the touched unit, late changes a PR would make, ownership, annotations and summary."""

from __future__ import annotations

import json
from pathlib import Path

from gitkit import FULL, GitRepo, appraisal, base_repo, isolate_git, scorecard  # noqa: F401

from builder.cli.commands.check import github_annotations, markdown
from builder.git.check import run_check
from builder.model import Problem
from conftest import run_cli

CARD = "submissions/2019/{}/scorecard.yaml"
UNITS = [f"xa-{i:02d}" for i in range(12)]  # groups alternate: even 'Cụm 1', odd 'Cụm 2'


def many_units(tmp_path: Path, **kwargs: object) -> GitRepo:
    """12 submitted units, two of them with errors nobody is fixing in the PRs below."""
    repo = base_repo(tmp_path / "repo", UNITS, admins=["@huyen-admin"], **kwargs)
    for i, unit in enumerate(UNITS):
        points = dict(FULL, **{"2.1": str(i % 5)})
        if unit in ("xa-07", "xa-09"):
            points["9.9"] = "1"  # criterion-unknown, left alone
        repo.write(CARD.format(unit), scorecard(unit, points))
    repo.commit("2020-01-15T08:00:00+07:00", "Các đơn vị nộp phiếu")
    repo.git("checkout", "-q", "-b", "pr")
    return repo


def test_pr_touching_one_unit_reports_only_its_problems_and_diff(tmp_path: Path) -> None:
    repo = many_units(tmp_path)
    repo.write(CARD.format("xa-04"), scorecard("xa-04", {"1.1": "2", "1.2": "7", "2.1": "4"}))
    repo.commit("2020-01-20T08:00:00+07:00")
    result = run_check(repo.path, "main")
    assert result.touched == [CARD.format("xa-04")]
    assert [(p.code, p.path) for p in result.problems] == [("score-above-max", CARD.format("xa-04"))]
    # the untouched units' errors are neither reported nor loaded
    assert result.loaded == 7  # Cụm 1 (6 units) at head, and the touched unit at base
    [diff] = result.diffs
    assert (diff.unit, diff.before.final_total, diff.after.final_total) == ("xa-04", 9, 13)
    assert [(x.criterion, x.self_before, x.self_after) for x in diff.leaves] == [("1.2", 3, 7)]
    assert (diff.before.rank, diff.after.rank) == (1, 1)
    run = run_cli("check", "--root", str(repo.path), "--base", "main")
    assert run.code == 1
    assert f"{CARD.format('xa-04')}:7:19: error [score-above-max]" in run.out
    assert "xa-07" not in run.out and "xa-09" not in run.out
    assert "| 2019 | UBND xa-04 (`xa-04`) | đã nộp | 9,00 → **13,00** |" in run.out
    assert "| 1.2 | Báo cáo | 3 → **7** | 3 → **7** |" in run.out


def test_rank_change_in_the_group_is_shown(tmp_path: Path) -> None:
    repo = many_units(tmp_path)  # Cụm 1: xa-00 … xa-10 with 2.1 = 0, 2, 4, 1, 3, 0 points
    repo.write(CARD.format("xa-00"), scorecard("xa-00", FULL))  # 2.1: 0 → 4
    repo.commit("2020-01-20T08:00:00+07:00")
    [diff] = run_check(repo.path, "main").diffs
    assert (diff.before.rank, diff.after.rank) == (5, 1)
    assert (diff.before.classification, diff.after.classification) == ("Khá", "Tốt")
    text = markdown(run_check(repo.path, "main"))
    assert "50,00 → **90,00**" in text and "Khá → **Tốt**" in text and "5 → **1**" in text


def test_appraisal_change_shows_the_units_it_scores(tmp_path: Path) -> None:
    repo = many_units(tmp_path)
    scores = '  xa-03:\n    "1.1": {points: 1, comment: "Thiếu kế hoạch"}'
    repo.write("appraisals/2019/noi-vu.yaml", appraisal([], scores))
    repo.commit("2020-02-10T08:00:00+07:00", author="Phòng Nội vụ")
    result = run_check(repo.path, "main")
    assert [(d.unit, d.before.final_total, d.after.final_total) for d in result.diffs] == [("xa-03", 8, 7)]
    assert result.problems == []


def test_a_pr_after_the_deadline_is_flagged_unless_requested(tmp_path: Path) -> None:
    repo = many_units(tmp_path)
    repo.git("checkout", "-q", "main")
    repo.write("appraisals/2019/noi-vu.yaml", appraisal([("xa-02", ["1.1"], "2020-02-01", "2020-02-08")]))
    repo.commit("2020-02-01T08:00:00+07:00", author="Phòng Nội vụ")
    repo.git("checkout", "-q", "-b", "bo-sung")
    repo.write(CARD.format("xa-02"), scorecard("xa-02", {"1.1": "1", "1.2": "1", "2.1": "2"}))
    repo.commit("2020-02-05T08:00:00+07:00")
    result = run_check(repo.path, "main")
    assert [(p.code, p.level, p.line) for p in result.problems] == [("late-change", "warning", 7)]
    assert "'1.2'" in result.problems[0].message  # 1.1 is under the request, 1.2 is not
    assert run_cli("check", "--root", str(repo.path), "--base", "main").code == 0
    assert run_cli("check", "--root", str(repo.path), "--base", "main", "--strict").code == 1


def test_a_first_submission_after_the_deadline_is_late(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-a", "xa-b"])
    repo.git("checkout", "-q", "-b", "nop")
    repo.write(CARD.format("xa-b"), scorecard("xa-b", FULL)).commit("2020-01-23T00:05:00+07:00")
    result = run_check(repo.path, "main")
    assert [p.code for p in result.problems] == ["submitted-late"]
    assert "23/01/2020 00:05" in result.problems[0].message
    assert (result.diffs[0].before.status, result.diffs[0].after.status) == ("missing", "submitted")


def test_actor_editing_another_units_folder_fails(tmp_path: Path) -> None:
    repo = many_units(tmp_path)
    repo.write(CARD.format("xa-05"), scorecard("xa-05", FULL))
    repo.write(CARD.format("xa-06"), scorecard("xa-06", FULL))
    repo.commit("2020-01-20T08:00:00+07:00", author="xa-05")
    run = run_cli("check", "--root", str(repo.path), "--base", "main", "--actor", "xa-05")
    assert run.code == 1
    assert run.out.count("[not-owner]") == 1
    assert f"{CARD.format('xa-06')}:1:1: error [not-owner] Tài khoản @xa-05" in run.out
    assert "(người phụ trách: @xa-06)" in run.out
    assert run_cli("check", "--root", str(repo.path), "--base", "main", "--actor", "@HUYEN-ADMIN").code == 0


def test_a_pr_cannot_grant_itself_ownership(tmp_path: Path) -> None:
    repo = many_units(tmp_path)
    config = repo.path / "criteria/2019/assessment.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('["@xa-06"]', '["@xa-05"]'), encoding="utf-8"
    )
    repo.write(CARD.format("xa-06"), scorecard("xa-06", FULL))
    repo.commit("2020-01-20T08:00:00+07:00")
    codes = [p.path for p in run_check(repo.path, "main", actor="xa-05").problems if p.code == "not-owner"]
    assert codes == ["criteria/2019/assessment.yaml", CARD.format("xa-06")]


def test_criteria_change_checks_the_whole_cycle(tmp_path: Path) -> None:
    repo = many_units(tmp_path)
    path = repo.path / "criteria/2019/commune.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("max: 5", "max: 3").replace("max_total: 10", "max_total: 8"),
        encoding="utf-8",
    )
    repo.commit("2020-01-20T08:00:00+07:00", author="Phòng Nội vụ")
    result = run_check(repo.path, "main")
    codes = {(p.code, p.path.split("/")[2]) for p in result.problems}
    assert ("score-above-max", "xa-04") in codes  # 4 points on a leaf now worth 3
    assert ("criterion-unknown", "xa-07") in codes  # every unit is affected now
    assert len(result.diffs) == 12 and result.loaded == 24


def test_annotations_put_errors_first_and_count_the_rest() -> None:
    problems = [Problem(f"b{i:02d}.yaml", 1, 1, "warning", "x", "w") for i in range(8)]
    problems += [Problem(f"a{i:02d}.yaml", 1, 1, "error", "y", "e") for i in range(5)]
    from builder.git.check import importance

    lines = github_annotations(sorted(problems, key=importance))
    assert len(lines) == 11
    assert all(line.startswith("::error") for line in lines[:5])
    assert lines[5].startswith("::warning file=b00.yaml")
    assert lines[-1].startswith("::notice") and "… và 3 vấn đề khác" in lines[-1]


def test_github_format_and_step_summary_file(tmp_path: Path, monkeypatch) -> None:
    repo = many_units(tmp_path)
    for unit in UNITS[:6]:  # twelve errors in six touched files
        repo.write(CARD.format(unit), scorecard(unit, {"1.1": "5", "1.2": "9", "2.1": "1"}))
    repo.commit("2020-01-20T08:00:00+07:00")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = run_cli("check", "--root", str(repo.path), "--base", "main", "--format", "github")
    lines = run.out.splitlines()
    assert run.code == 1 and len(lines) == 11 and "… và 2 vấn đề khác" in lines[-1]
    text = summary.read_text(encoding="utf-8")
    assert text.count("| ❌ lỗi |") == 12 and "### Điểm trước → sau" in text
    assert "## Kiểm tra thay đổi" not in run.out


def test_json_format_keeps_exact_numbers(tmp_path: Path) -> None:
    repo = many_units(tmp_path)
    repo.write(CARD.format("xa-01"), scorecard("xa-01", {"1.1": "1.125", "1.2": "3", "2.1": "1"}))
    repo.commit("2020-01-20T08:00:00+07:00")
    run = run_cli("check", "--root", str(repo.path), "--base", "main", "--format", "json")
    record = json.loads(run.out)
    assert record["touched"] == [CARD.format("xa-01")] and record["problems"] == []
    [unit] = record["units"]
    assert unit["after"]["final_total"] == 5.125 and '"final_total": 5.125' in run.out
    assert unit["criteria"] == [
        {
            "id": "1.1",
            "name": "Kế hoạch",
            "self_before": 2,
            "self_after": 1.125,
            "final_before": 2,
            "final_after": 1.125,
        }
    ]


def test_unknown_base_is_a_usage_error(tmp_path: Path) -> None:
    repo = many_units(tmp_path)
    run = run_cli("check", "--root", str(repo.path), "--base", "origin/khong-co")
    assert run.code == 2 and "origin/khong-co" in run.err
    plain = tmp_path / "plain"
    plain.mkdir()
    assert run_cli("check", "--root", str(plain), "--base", "main").code == 2


def test_markdown_escapes_untrusted_text() -> None:
    from builder.git.check import CheckResult

    bad = Problem("a.yaml", 1, 1, "error", "x", "<script>alert(1)</script> | cột")
    text = markdown(CheckResult("a" * 40, "b" * 40, ["a.yaml"], [bad], [], 0))
    assert "<script>" not in text and "&lt;script&gt;" in text and "\\| cột" in text


def test_the_base_is_read_only_where_the_change_touched_it(tmp_path: Path) -> None:
    """Untouched folders of the group are read once (at head) and serve the base too: the
    diffs are those of reading both sides whole, and the touched unit is read at the base."""
    from builder.git import check
    from builder.git.repo import open_tree

    repo = many_units(tmp_path)
    repo.write("appraisals/2019/noi-vu.yaml", appraisal([], '  xa-02:\n    "1.1": {points: 1}'))
    repo.commit("2020-01-16T08:00:00+07:00", "thẩm định")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "pr")
    repo.git("checkout", "-q", "pr")
    repo.write(CARD.format("xa-00"), scorecard("xa-00", FULL))  # 2.1: 0 → 4, rank 5 → 1
    repo.write("appraisals/2019/noi-vu.yaml", appraisal([], '  xa-04:\n    "1.1": {points: 0}'))
    repo.commit("2020-01-20T08:00:00+07:00")
    result = run_check(repo.path, "main")
    base, head = open_tree(repo.path, "main"), open_tree(repo.path, "HEAD")
    scope = check.scopes(result.touched)["2019"]
    wanted, units = check._wanted("2019", scope, base, head)
    whole = check.score_diffs(
        "2019",
        check._only(check._load(base, "2019", wanted), wanted),
        check._only(check._load(head, "2019", wanted), wanted),
        units,
        always=scope.units,
    )
    assert result.diffs == whole and {d.unit for d in whole} >= {"xa-00", "xa-02", "xa-04"}
    assert result.loaded == len(wanted) + 1  # the group at head, xa-00 at base
