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
from builder.cli.commands import modules
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


SHELL_OPERATORS = {">", ">>", "|", "||", "&&", ";", "2>"}


def builder_calls(path: Path) -> list[list[str]]:
    calls = []
    for line in run_lines(path):
        if "python -m builder " in line:
            words = shlex.split(line.split("python -m builder ", 1)[1])
            cut = next((i for i, w in enumerate(words) if w in SHELL_OPERATORS), len(words))
            calls.append([re.sub(r"\$\{?(\w+)\}?", r"value-of-\1", w) for w in words[:cut]])
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


VALIDATE = ROOT / ".github/workflows/validate.yml"
PR_REF = "refs/remotes/pull/head"
BASE_REF = "${{ github.event.pull_request.base.ref }}"
# git commands that would put the pull request's files in the working tree
CHECKOUTS = re.compile(
    r"\bgit\s+(?:-c\s+\S+\s+)*(checkout|switch|restore|reset|merge|pull|rebase|worktree|read-tree|cherry-pick|am|apply|stash|archive)\b"
)
EXECUTES = re.compile(r"\b(pip|python|python3|make|bash|sh|source|npm|node)\b|(^|\s)\./")


def pr_workflow_problems(data: dict) -> list[str]:
    """Ways a pull-request workflow would run the pull request's code or decide with it: the
    lint the shipped validate.yml must pass (and that fails on the old one, see below)."""
    found = []
    triggers = data["on"] if isinstance(data["on"], (dict, list)) else [data["on"]]
    if "pull_request" in triggers or "pull_request_target" not in triggers:
        found.append("the check must run on pull_request_target (the base branch's workflow and code)")
    for name, job in data["jobs"].items():
        fetched = False
        for step in job.get("steps", []):
            uses, run = step.get("uses", ""), step.get("run", "")
            if uses.startswith("actions/checkout@"):
                ref = str((step.get("with") or {}).get("ref", ""))
                if ref != BASE_REF:
                    found.append(f"{name}: checkout of {ref or 'the default ref'}, not the base branch")
                if "path" in (step.get("with") or {}):
                    found.append(f"{name}: a second checkout (path:) would put the PR's files on disk")
            if "working-directory" in step or "working-directory" in job.get("defaults", {}).get("run", {}):
                found.append(f"{name}: working-directory: `python -m builder` imports the current folder")
            if uses.startswith("./"):
                found.append(f"{name}: local action {uses} runs files from the working tree")
            for line in run.splitlines():
                if CHECKOUTS.search(line):
                    found.append(f"{name}: '{line.strip()}' puts files of a revision in the working tree")
                if "refs/pull/" in line and "fetch" in line:
                    fetched = True
                    if not line.rstrip().endswith(f':{PR_REF}"'):
                        found.append(f"{name}: the PR head must be fetched into {PR_REF}")
                elif fetched and EXECUTES.search(line) and "python -m builder " not in line:
                    if not re.fullmatch(r"\s*python -m pip install \.\s*", line):
                        found.append(f"{name}: '{line.strip()}' runs after the PR was fetched")
            if "${{" in run:
                found.append(f"{name}: event data straight into the shell: {run!r}")
    for words in builder_calls_of(data):
        for option in ("--head", "--rev"):
            if option in words and words[words.index(option) + 1] != PR_REF:
                found.append(f"builder {words[0]}: {option} must be {PR_REF}")
        if words[0] == "check" and words[words.index("--base") + 1] != "HEAD":
            found.append("builder check: --base must be HEAD (the checked-out base branch)")
        if words[0] != "check" and "--rev" not in words:
            found.append(f"builder {words[0]}: reads the working tree (the base), not the PR: add --rev")
    return found


def builder_calls_of(data: dict) -> list[list[str]]:
    calls = []
    for job in data["jobs"].values():
        for step in job.get("steps", []):
            for line in step.get("run", "").splitlines():
                if "python -m builder " in line:
                    words = shlex.split(line.split("python -m builder ", 1)[1])
                    cut = next((i for i, w in enumerate(words) if w in SHELL_OPERATORS), len(words))
                    calls.append(words[:cut])
    return calls


def test_the_pull_request_check_runs_the_base_branchs_code_only() -> None:
    assert pr_workflow_problems(load(VALIDATE)) == []


def test_the_lint_catches_a_workflow_that_runs_the_pull_requests_code() -> None:
    # the workflow as it was before (issue 9): on pull_request, install from the PR's checkout
    old = {
        "on": {"pull_request": None},
        "jobs": {
            "check": {
                "steps": [
                    {"uses": "actions/checkout@v5", "with": {"fetch-depth": 0}},
                    {"run": "python -m pip install -e ."},
                    {"run": 'python -m builder check --base "origin/$BASE_REF" --format github'},
                    {"run": "python -m builder validate --all-cycles"},
                ]
            }
        },
    }
    found = pr_workflow_problems(old)
    assert any("pull_request_target" in f for f in found)
    assert any("checkout of the default ref" in f for f in found)
    assert any("--base must be HEAD" in f for f in found)
    assert any("builder validate" in f and "--rev" in f for f in found)
    data = load(VALIDATE)
    steps = data["jobs"]["check"]["steps"]
    for bad in (
        {"uses": "actions/checkout@v5", "with": {"ref": "${{ github.event.pull_request.head.sha }}"}},
        {"uses": "actions/checkout@v5", "with": {"ref": BASE_REF, "path": "pr"}},
        {"run": f"git checkout {PR_REF}"},
        {"run": f"git -c advice.detachedHead=false switch --detach {PR_REF}"},
        {"run": f"git worktree add pr {PR_REF}"},
        {"run": "python -m pip install -e pr/"},
        {"run": "make site PYTHON=python"},
        {"run": "bash ./scripts/anything.sh"},
        {"run": "python -m builder check --base HEAD --head HEAD --format github"},
        {"uses": "./.github/actions/check"},
        {"run": "python -m builder validate --rev refs/remotes/pull/head", "working-directory": "pr"},
    ):
        fetch = next(i for i, s in enumerate(steps) if "refs/pull/" in s.get("run", ""))
        mutated = load(VALIDATE)
        mutated["jobs"]["check"]["steps"].insert(fetch + 1, bad)
        assert pr_workflow_problems(mutated), bad


def test_permissions_are_minimal() -> None:
    data = load(VALIDATE)
    assert data["permissions"] == {"contents": "read"}
    check, comment = data["jobs"]["check"], data["jobs"]["comment"]
    assert check["permissions"] == {"contents": "read"}
    assert comment["permissions"] == {"pull-requests": "write"}  # and nothing else, not even contents
    writers = [n for n, j in data["jobs"].items() if "write" in (j.get("permissions") or {}).values()]
    assert writers == ["comment"]
    # the job with a write token checks out nothing and runs no shell
    uses = [s.get("uses", "") for s in comment["steps"]]
    assert all("run" not in s for s in comment["steps"])
    assert [u.split("@")[0] for u in uses] == ["actions/download-artifact", "actions/github-script"]
    script = comment["steps"][1]["with"]["script"]
    assert "${{" not in script  # event data reaches the script as context, not as code
    for workflow in WORKFLOWS:  # no other workflow may take more than it had
        other = load(workflow)
        assert other["permissions"] == {"contents": "read"}, workflow.name


def test_the_summary_is_one_comment_updated_on_each_push() -> None:
    data = load(VALIDATE)
    check = next(c for c in builder_calls(VALIDATE) if c[0] == "check")
    assert check[check.index("--summary") + 1] == "check-summary.md"
    assert check[check.index("--format") + 1] == "github" and "--actor" in check
    upload = next(
        s for s in data["jobs"]["check"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")
    )
    assert upload["with"]["path"] == "check-summary.md" and upload["if"] == "${{ !cancelled() }}"
    comment = data["jobs"]["comment"]
    assert comment["needs"] == "check" and comment["if"] == "${{ !cancelled() }}"
    script = comment["steps"][1]["with"]["script"]
    assert 'const marker = "<!-- par-check -->"' in script
    assert "updateComment" in script and "createComment" in script and "github.paginate" in script
    assert "c.body.startsWith(marker)" in script
    assert {c[0] for c in builder_calls(VALIDATE)} >= {"check", "validate", "codeowners", "schema"}


def doc_settings() -> dict[str, str]:
    """The table after the `ci-settings` marker in docs/git-workflow.md."""
    text = (ROOT / "docs/git-workflow.md").read_text(encoding="utf-8")
    table = text.split("<!-- ci-settings:", 1)[1].split("\n\n", 1)[0]
    rows = [line.split("|")[1:-1] for line in table.splitlines()[3:]]
    return {key.strip(): value.strip().strip("`") for key, value in rows}


def test_the_docs_settings_match_the_workflows() -> None:
    doc = doc_settings()
    data, gitlab = load(VALIDATE), load(GITLAB)
    assert list(data["on"]) == [doc["GitHub trigger"]]
    checkout = next(
        s for s in data["jobs"]["check"]["steps"] if s.get("uses", "").startswith("actions/checkout@")
    )
    assert checkout["with"]["ref"] == doc["GitHub checkout"]
    assert data["permissions"] == dict([doc["GitHub permissions"].split(": ")])
    assert data["jobs"]["comment"]["permissions"] == dict([doc["GitHub comment job permissions"].split(": ")])
    assert (
        f'const marker = "{doc["GitHub comment marker"]}"'
        in data["jobs"]["comment"]["steps"][1]["with"]["script"]
    )
    fetch = next(line for line in run_lines(VALIDATE) if "refs/pull/" in line)
    assert fetch.endswith(f':{doc["GitHub pull request ref"]}"')
    script = gitlab["check"]["script"]
    assert f'git checkout -q --detach "{doc["GitLab base"]}"' in script
    for words in builder_calls(GITLAB):
        if words[0] in ("check", "validate", "codeowners", "schema"):
            option = "--head" if words[0] == "check" else "--rev"
            assert words[words.index(option) + 1] == doc["GitLab merge request ref"].replace("$", "value-of-")
    assert doc["GitLab Code Quality report"] in gitlab["check"]["artifacts"]["reports"]["codequality"]
    # a project setting, not in the file: the pipeline's header names the same one, and it is
    # one that makes GitLab create the commit that lands (never fast-forward)
    assert doc["GitLab merge method"] == "Merge commit"
    header = GITLAB.read_text(encoding="utf-8").split("stages:")[0]
    assert f"Merge method: {doc['GitLab merge method']};" in " ".join(header.replace("#", "").split())


def test_gitlab_runs_the_target_branchs_code_on_the_merge_requests_objects() -> None:
    script = [str(line) for line in load(GITLAB)["check"]["script"]]
    checkout = next(i for i, line in enumerate(script) if "git checkout" in line)
    assert "CI_MERGE_REQUEST_TARGET_BRANCH_NAME" in script[checkout]
    assert (
        "git fetch" in script[checkout - 1] and "CI_MERGE_REQUEST_TARGET_BRANCH_NAME" in script[checkout - 1]
    )
    # nothing is installed or run before the target's code is in place, and nothing checks out again
    assert all(not EXECUTES.search(line) for line in script[:checkout])
    assert all(not CHECKOUTS.search(line) for line in script[checkout + 1 :])
    assert "python -m pip install -q ." in script[checkout + 1 :]
    for words in builder_calls(GITLAB):
        if words[0] == "check":
            assert words[words.index("--base") + 1] == "HEAD"  # the target's tip, not the merge base
            assert words[words.index("--head") + 1] == "value-of-CI_COMMIT_SHA"
            assert words[words.index("--format") + 1] == "codequality"
        elif words[0] in ("validate", "codeowners", "schema"):
            assert words[words.index("--rev") + 1] == "value-of-CI_COMMIT_SHA"
    # a failing step does not hide the later reports: each records its failure, the last line fails
    assert script[-1] == 'test "$fail" = 0'
    assert all(line.endswith("|| fail=1") for line in script if "python -m builder" in line)


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
    assert check["artifacts"]["paths"] == ["check-summary.md"] and check["artifacts"]["when"] == "always"
    calls = builder_calls(GITLAB)
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
