"""A command imports what it needs: `validate` never pays for pandas, openpyxl or the site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_PROBE = """
import io, sys
from builder.cli.main import main
code = main(sys.argv[1:], io.StringIO(), io.StringIO())
names = ("pandas", "openpyxl", "mkdocs", "builder.site.build", "builder.office.xlsx")
heavy = sorted(m for m in names if m in sys.modules)
print(code, ",".join(heavy))
"""


def _probe(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return result.stdout.split()


def test_validate_imports_no_other_commands_libraries() -> None:
    assert _probe("validate", "--root", str(ROOT)) == ["0"]


def test_help_still_lists_every_command(capsys) -> None:
    from builder.cli import commands
    from builder.cli.main import parser

    text = parser().format_help()
    assert all(name in text for name in commands.names())
    assert list(parser("validate")._subparsers._group_actions[0].choices) == ["validate"]  # type: ignore[union-attr]
    assert len(parser("scor")._subparsers._group_actions[0].choices) == len(commands.names())  # type: ignore[union-attr]
