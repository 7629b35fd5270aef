"""Documentation is tested: generated docs are in sync and every code is documented and used."""

from __future__ import annotations

import re

from builder.cli.docs import cli_docs, problem_docs
from builder.problems import CODES
from conftest import ROOT


def test_problem_docs_are_in_sync() -> None:
    on_disk = (ROOT / "docs/problems.md").read_text(encoding="utf-8")
    assert on_disk == problem_docs(ROOT), "run: python -m builder docs"


def test_cli_docs_are_in_sync() -> None:
    on_disk = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
    assert on_disk == cli_docs(), "run: python -m builder docs"


def test_every_code_is_documented_and_reported_somewhere() -> None:
    docs = (ROOT / "docs/problems.md").read_text(encoding="utf-8")
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "builder").rglob("*.py") if p.name != "problems.py"
    )
    for code in CODES:
        assert f"`{code}`" in docs
        assert f'"{code}"' in sources, f"{code} is declared but no module reports it"


def test_codes_are_kebab_case_and_messages_vietnamese() -> None:
    for code, entry in CODES.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code)
        # Vietnamese letters with diacritics live in U+00C0–U+024F and U+1EA0–U+1EF9
        assert re.search(r"[\u00c0-\u024f\u1ea0-\u1ef9]", entry.message), code


def test_readme_shows_the_two_setup_commands_and_every_command_is_in_cli_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make site" in readme and "make test" in readme
    cli = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
    from builder.cli.commands import modules

    for name in modules():
        assert f"## `{name}`" in cli
