"""The corpus: every case's validator output equals its reviewed expected.txt."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.problems import CODES
from casekit import case_dirs, materialize
from conftest import run_cli

INVALID = case_dirs("invalid")
VALID = case_dirs("valid")


def _run(case: Path | None, tmp_path: Path) -> tuple[int, str]:
    repo = materialize(case, tmp_path / "repo")
    result = run_cli("validate", "--all-cycles", "--root", str(repo))
    assert "Traceback" not in result.err
    return result.code, result.out


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_invalid_case_prints_its_expected_problems(case: Path, tmp_path: Path, request) -> None:
    code, out = _run(case, tmp_path)
    expected = case / "expected.txt"
    if request.config.getoption("--update-expected"):
        expected.write_text(out, encoding="utf-8")
    assert out == expected.read_text(encoding="utf-8")
    has_error = any(" error [" in line for line in out.splitlines())
    assert code == (1 if has_error else 0)
    assert out, "an invalid case must produce at least one problem"


@pytest.mark.parametrize("case", VALID, ids=[c.name for c in VALID])
def test_valid_case_has_no_errors(case: Path, tmp_path: Path, request) -> None:
    code, out = _run(case, tmp_path)
    expected = case / "expected.txt"
    if request.config.getoption("--update-expected"):
        expected.write_text(out, encoding="utf-8")
    assert code == 0
    assert out == (expected.read_text(encoding="utf-8") if expected.exists() else "")


def test_base_repository_is_clean(tmp_path: Path) -> None:
    assert _run(None, tmp_path) == (0, "")


def test_every_problem_code_has_a_failing_case() -> None:
    shown = {
        line.split("[", 1)[1].split("]", 1)[0]
        for case in INVALID
        for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    }
    # history codes need a Git repository, not a folder: tests/test_history.py and
    # tests/test_check.py build one for each of them; sheet-* codes come from
    # `criteria import` reading an XLSX file: tests/test_criteria_io.py shows each of them
    folder_codes = {
        c for c, entry in CODES.items() if entry.family != "history" and not c.startswith("sheet-")
    }
    missing = sorted(folder_codes - shown)
    assert not missing, f"codes without an invalid case in tests/cases/invalid/: {missing}"
