"""The pull-request check as CI runs it (issue 9, section 2): the base branch's code reads the
pull request's data as Git objects only; ownership and base data from the target's tip, not the
merge base; a change to code is marked for an administrator's review; the summary, posted as a
comment, lets no unit text through as a link, image or mention; GitLab Code Quality output."""

from __future__ import annotations

import json
import re
from pathlib import Path

from gitkit import FULL, GitRepo, base_repo, isolate_git, scorecard  # noqa: F401

from builder.cli.commands.check import markdown
from builder.cli.report import codequality
from builder.git.admin_review import needs_admin_review
from builder.git.check import CheckResult, LeafChange, UnitDiff
from builder.model import Problem
from conftest import run_cli

CARD = "submissions/2019/{}/scorecard.yaml"
UNITS = [f"xa-{i:02d}" for i in range(4)]
PR = "refs/remotes/pull/head"


def repo_with_pr(tmp_path: Path) -> GitRepo:
    repo = base_repo(tmp_path / "repo", UNITS, admins=["@huyen-admin"])
    for unit in UNITS:
        repo.write(CARD.format(unit), scorecard(unit, FULL))
    repo.commit("2020-01-15T08:00:00+07:00", "Các đơn vị nộp phiếu")
    repo.git("checkout", "-q", "-b", "pr")
    return repo


def test_the_base_code_checks_the_pull_request_read_as_objects(tmp_path: Path) -> None:
    """The attack: a PR that edits another unit's folder and ships a `builder/` that would pass
    it. The workflow's steps: base checked out, head fetched into a ref, check run from the base."""
    repo = repo_with_pr(tmp_path)
    repo.write(CARD.format("xa-01"), scorecard("xa-01", {**FULL, "1.2": "9"}))  # not xa-00's, above max
    repo.write("builder/check.py", "def run_check(*a, **k):\n    raise SystemExit(0)\n")
    repo.commit("2020-01-20T08:00:00+07:00", author="xa-00")
    repo.git("checkout", "-q", "main")
    repo.git("update-ref", PR, "pr")  # what `git fetch origin +refs/pull/N/head:refs/remotes/pull/head` does
    run = run_cli("check", "--root", str(repo.path), "--base", "HEAD", "--head", PR, "--actor", "xa-00")
    assert run.code == 1
    assert run.out.count("[not-owner]") == 2  # the other unit's card and builder/check.py
    assert f"{CARD.format('xa-01')}:1:1: error [not-owner]" in run.out
    assert "builder/check.py:1:1: error [not-owner]" in run.out
    assert "[score-above-max]" in run.out  # the PR's data, read from Git objects
    assert "Cần cán bộ quản trị của huyện xem xét" in run.out and "`builder/check.py`" in run.out
    assert "cần cán bộ quản trị của huyện xem xét" in run.err
    assert not (repo.path / "builder").exists()  # never checked out
    # the full-data steps read the PR's revision too, not the base in the working tree
    assert run_cli("validate", "--root", str(repo.path), "--all-cycles").code == 0
    full = run_cli("validate", "--root", str(repo.path), "--all-cycles", "--rev", PR)
    assert full.code == 1 and "[score-above-max]" in full.out


def test_ownership_comes_from_the_targets_tip_not_the_merge_base(tmp_path: Path) -> None:
    """GitLab: a right revoked on main after the branch was made must not pass the MR."""
    repo = repo_with_pr(tmp_path)
    fork_point = repo.git("rev-parse", "HEAD").strip()
    repo.write(CARD.format("xa-02"), scorecard("xa-02", {**FULL, "1.1": "1"}))
    repo.commit("2020-01-20T08:00:00+07:00", author="xa-02")
    repo.git("checkout", "-q", "main")
    config = repo.path / "criteria/2019/assessment.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('["@xa-02"]', '["@xa-99"]'), encoding="utf-8"
    )
    repo.commit("2020-01-21T08:00:00+07:00", "Đổi người phụ trách xa-02", author="Phòng Nội vụ")
    args = ["check", "--root", str(repo.path), "--head", "pr", "--actor", "xa-02"]
    assert run_cli(*args, "--base", fork_point).code == 0  # the merge base: the old owner passes
    tip = run_cli(*args, "--base", "HEAD")  # the pipeline: the target's tip checked out
    assert tip.code == 1 and "(người phụ trách: @xa-99)" in tip.out
    # only the PR's own change is in scope, although the target moved on
    assert re.findall(r"^(\S+?):\d+:\d+: error", tip.out, re.M) == [CARD.format("xa-02")]


def test_code_workflows_and_templates_need_an_administrators_review() -> None:
    data = [
        "submissions/2019/xa-01/scorecard.yaml",
        "appraisals/2019/noi-vu.yaml",
        "criteria/2019/commune.yaml",
    ]
    assert needs_admin_review([*data, "docs/guides/don-vi.md", "README.md"]) == []
    code = [
        "builder/check.py",
        ".github/workflows/validate.yml",
        ".gitlab-ci.yml",
        "Makefile",
        "pyproject.toml",
        "site_templates/unit.html",
        "schemas/2019/commune.schema.json",
        ".ci/run",
        "conftest.py",  # a new kind of file: reviewed too
        "submissions.py",
    ]
    assert needs_admin_review([*data, *code]) == code
    plain = markdown(CheckResult("a" * 40, "b" * 40, data, [], [], 0))
    assert "quản trị" not in plain


HOSTILE = (
    "[bấm vào](https://evil.example/x) ![ảnh](https://evil.example/p.png) @chu-tich @org/team "
    "<img src=x onerror=alert(1)> www.evil.example lien-he@evil.example #12 `code` **đậm** "
    "<https://evil.example> mailto:a@b.vn\n| cột"
)


def test_unit_free_text_makes_no_link_image_or_mention_in_the_comment() -> None:
    leaf = LeafChange("1.1", HOSTILE, None, None, None, None)
    diff = UnitDiff("2019", "xa-`01`", HOSTILE, None, None, (leaf,))
    bad = Problem("submissions/2019/xa-01/a`b|c.yaml", 3, 1, "error", "x", HOSTILE)
    text = markdown(CheckResult("a" * 40, "b" * 40, [bad.path], [bad], [diff], 0))
    visible = text.replace("\u2060", "")  # what a reader sees: the same words
    assert "bấm vào" in visible and "chu-tich" in visible
    assert "<" not in text.replace("<!--", "")
    assert not re.search(r"(?<!\\)[\[\]]", text.replace("[!WARNING]", ""))  # no link or image syntax
    assert not re.search(r"(?<!\\)!(?!\[WARNING\])", text.replace("⚠️", ""))
    assert not re.search(r"@\w", text)  # no mention
    assert not re.search(r"#\d", text)  # no issue reference
    assert "://" not in text and not re.search(r"(?i)www\.", text) and "mailto:" not in text
    assert not re.search(r"(?<!\\)\*\*đậm", text)
    for line in text.splitlines():  # code spans stay closed and table rows keep their columns
        assert line.count("`") % 2 == 0, line
    row = next(line for line in text.splitlines() if line.startswith("| ❌ lỗi |"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 5


def test_codequality_report(tmp_path: Path) -> None:
    repo = repo_with_pr(tmp_path)
    repo.write(CARD.format("xa-03"), scorecard("xa-03", {**FULL, "1.2": "9"}))
    repo.commit("2020-01-20T08:00:00+07:00")
    run = run_cli(
        "check", "--root", str(repo.path), "--base", "main", "--format", "codequality",
        "--summary", str(tmp_path / "summary.md"),
    )  # fmt: skip
    assert run.code == 1
    [issue] = json.loads(run.out)
    assert issue["check_name"] == "score-above-max" and issue["severity"] == "major"
    assert issue["location"] == {"path": CARD.format("xa-03"), "lines": {"begin": 7}}
    assert issue["description"].startswith("[score-above-max] ") and len(issue["fingerprint"]) == 64
    assert "### Vấn đề" in (tmp_path / "summary.md").read_text(encoding="utf-8")
    full = run_cli("validate", "--root", str(repo.path), "--all-cycles", "--format", "codequality")
    assert [i["fingerprint"] for i in json.loads(full.out)] == [issue["fingerprint"]]
    warning = Problem("a.yaml", 0, 0, "warning", "late-change", "muộn")
    [item] = codequality([warning, warning][:1])
    assert item["severity"] == "minor" and item["location"] == {"path": "a.yaml", "lines": {"begin": 1}}
    assert codequality([Problem("a.yaml", 2, 1, "error", "x", "m")])[0]["fingerprint"] != item["fingerprint"]
