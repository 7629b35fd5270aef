"""Shared fixtures: the corpus option and a CLI runner that captures exit code and output."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from builder.cli import main

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-expected",
        action="store_true",
        help="rewrite tests/cases/*/expected.txt from the validator's output (review the diff!)",
    )


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out, err)
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


# --- why browser tests were skipped (printed at the end of `make test`) --------------------

BROWSER_HELP = (
    "to run them: apt-get install -y chromium poppler-utils (Debian's /usr/bin/chromium, driven by "
    "Playwright from .venv; pdftotext reads the printed pages), then make test"
)


def browser_skip_note(skipped: list[object]) -> str | None:
    """One line for the terminal summary when browser tests were skipped, with the reason."""
    browser = [r for r in skipped if str(getattr(r, "nodeid", "")).startswith("tests/browser/")]
    if not browser:
        return None
    reasons = set()
    for report in browser:
        longrepr = getattr(report, "longrepr", None)
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        reasons.add(str(reason).removeprefix("Skipped: "))
    return f"{len(browser)} browser tests skipped ({'; '.join(sorted(reasons))}): {BROWSER_HELP}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    note = browser_skip_note(terminalreporter.stats.get("skipped", []))
    if note:
        terminalreporter.write_sep("-", "browser tests")
        terminalreporter.write_line(note, yellow=True)


def spy_reads(monkeypatch: pytest.MonkeyPatch, tree_class: type) -> list[str]:
    """Record every path a Tree class reads whole (`read_bytes`, `read_capped`), for tests that prove a file
    is never read."""
    read: list[str] = []
    original = tree_class.read_bytes

    def spy(self: object, relpath: str) -> bytes | None:
        read.append(relpath)
        result: bytes | None = original(self, relpath)
        return result

    monkeypatch.setattr(tree_class, "read_bytes", spy)
    capped = getattr(tree_class, "read_capped", None)
    if capped is not None:  # FolderTree's one-open read: a path counts when bytes came back

        def spy_capped(self: object, relpath: str, limit: int) -> bytes | int | str:
            result: bytes | int | str = capped(self, relpath, limit)
            if isinstance(result, bytes):
                read.append(relpath)
            return result

        monkeypatch.setattr(tree_class, "read_capped", spy_capped)
    return read


# --- a build stopped at a named point (PAR_FAULT_PAUSE, builder/site/publish.py) -------------


def paused_build(repo: Path, point: str) -> subprocess.Popen[str]:
    """A build waiting at `point` (it said so on stderr); SIGINT as a terminal sends it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "builder", "build", "--root", str(repo)],
        cwd=ROOT,
        env={**os.environ, "PAR_FAULT_PAUSE": point},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()
    if line != f"PAR_FAULT_PAUSE {point}\n":
        proc.kill()
        pytest.fail(f"the build did not stop at {point}: {line}{proc.stderr.read()}")
    return proc
