"""CI definitions: the GitHub workflows and .gitlab-ci.yml are valid against their published
JSON Schemas (vendored by check-jsonschema), every `python -m builder …` they run parses with
the real CLI, and they do what docs/git-workflow.md promises. actionlint runs when installed
(no PyPI wheel of the upstream binary is available here: see docs/git-workflow.md)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from builder.cli import parser
from builder.commands import modules
from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
GITLAB = ROOT / ".gitlab-ci.yml"


def load(path: Path) -> dict:
    # YAML 1.1 reads the key `on` as True; GitHub reads it as the string "on"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def run_lines(path: Path) -> list[str]:
    """Every shell line the file runs (GitHub `run:` steps, GitLab `script:` entries)."""
    data = load(path)
    lines: list[str] = []
    if path == GITLAB:
        for job in data.values():
            if isinstance(job, dict):
                for key in ("before_script", "script"):
                    lines += [str(x) for x in job.get(key, [])]
        lines += [str(x) for x in data.get("default", {}).get("before_script", [])]
    else:
        for job in data["jobs"].values():
            lines += [step["run"] for step in job.get("steps", []) if "run" in step]
    return [line for text in lines for line in text.splitlines()]


def builder_calls(path: Path) -> list[list[str]]:
    calls = []
    for line in run_lines(path):
        if "python -m builder " in line:
            words = shlex.split(line.split("python -m builder ", 1)[1])
            calls.append([re.sub(r"\$\{?(\w+)\}?", r"value-of-\1", w) for w in words])
    return calls


@pytest.mark.parametrize("path", [*WORKFLOWS, GITLAB], ids=lambda p: p.name)
def test_valid_against_the_published_schema(path: Path) -> None:
    schema = "vendor.gitlab-ci" if path == GITLAB else "vendor.github-workflows"
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", [*WORKFLOWS, GITLAB], ids=lambda p: p.name)
def test_every_builder_command_they_run_exists_with_these_options(path: Path) -> None:
    for words in builder_calls(path):
        assert words[0] in modules(), f"{path.name}: no command {words[0]}"
        parser().parse_args(words)  # exits (SystemExit) on an unknown option


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed")
def test_actionlint() -> None:
    done = subprocess.run(["actionlint", *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_pull_requests_are_checked_with_annotations_summary_and_ownership() -> None:
    data = load(ROOT / ".github/workflows/validate.yml")
    assert "pull_request" in data["on"]
    assert data["permissions"] == {"contents": "read"}
    [job] = data["jobs"].values()
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # check --base needs the base branch
    calls = builder_calls(ROOT / ".github/workflows/validate.yml")
    check = next(c for c in calls if c[0] == "check")
    assert check[check.index("--format") + 1] == "github"
    assert check[check.index("--base") + 1] == "origin/value-of-BASE_REF"
    assert "--actor" in check
    assert {c[0] for c in calls} >= {"check", "validate", "codeowners", "schema"}
    # untrusted event data goes through env:, never straight into the shell
    assert all("${{" not in s.get("run", "") for s in job["steps"])


def test_main_is_built_and_published_to_pages() -> None:
    data = load(ROOT / ".github/workflows/publish.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    uses = [s.get("uses", "") for s in build["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "site"
    assert "make site" in "\n".join(run_lines(ROOT / ".github/workflows/publish.yml"))
    assert deploy["needs"] == "build"
    # one unit's errors never block publication: the site written by a failing build is uploaded
    site = next(s for s in build["steps"] if "make site" in s.get("run", ""))
    assert site["continue-on-error"] is True and "!cancelled()" in upload["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_gitlab_pipeline_is_equivalent() -> None:
    data = load(GITLAB)
    assert data["variables"]["GIT_DEPTH"] == "0"
    check = data["check"]
    assert "merge_request_event" in check["rules"][0]["if"]
    calls = builder_calls(GITLAB)
    check_call = next(c for c in calls if c[0] == "check")
    assert check_call[check_call.index("--base") + 1] == "value-of-CI_MERGE_REQUEST_DIFF_BASE_SHA"
    assert {c[0] for c in calls} >= {"check", "validate", "codeowners", "schema"}
    pages = data["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert "$CI_DEFAULT_BRANCH" in pages["rules"][0]["if"]
    assert any(line.startswith("make site PYTHON=python") for line in pages["script"])


def test_make_targets_used_by_ci_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for path in [*WORKFLOWS, GITLAB]:
        for line in run_lines(path):
            for target in re.findall(r"\bmake (\w+)", line):
                assert re.search(rf"^{target}:", makefile, re.M), f"{path.name}: make {target}"
