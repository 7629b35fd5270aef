"""Progress bars: shown on a terminal, and nothing at all is printed for pipes, CI and JSON."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from builder.cli import progress
from builder.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(err: io.StringIO, *args: str) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main([*args, "--root", str(ROOT)], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def no_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0)
    monkeypatch.delenv("CI", raising=False)


def test_a_terminal_sees_the_load_counted(no_delay: None) -> None:
    code, out, err = _run(Terminal(), "validate")
    assert "Đọc phiếu kỳ" in err and "\r" in err
    quiet = _run(io.StringIO(), "validate")
    assert (code, out) == quiet[:2]  # the output itself is the same


def test_nothing_extra_is_printed_when_stderr_is_not_a_terminal(no_delay: None) -> None:
    plain = _run(io.StringIO(), "validate")
    assert "Đọc phiếu" not in plain[2] and "\r" not in plain[2] and "it/s" not in plain[2]


@pytest.mark.parametrize("fmt", ["json", "github", "codequality"])
def test_machine_formats_stay_quiet_on_a_terminal(no_delay: None, fmt: str) -> None:
    _, _, err = _run(Terminal(), "validate", "--format", fmt)
    assert "Đọc phiếu" not in err and "\r" not in err


def test_ci_stays_quiet_on_a_terminal(no_delay: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    _, _, err = _run(Terminal(), "validate")
    assert "Đọc phiếu" not in err and "\r" not in err
    monkeypatch.setenv("CI", "false")  # an explicit "not CI" shows it again
    assert "Đọc phiếu" in _run(Terminal(), "validate")[2]


def test_progress_ends_with_the_run(no_delay: None) -> None:
    from builder.progress import track

    _run(Terminal(), "validate")
    items = [1, 2]
    assert track(items, "x") is items  # no bar is left installed for the next caller
