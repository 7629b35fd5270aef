"""Shared fixtures: the corpus option and a CLI runner that captures exit code and output."""

from __future__ import annotations

import io
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
