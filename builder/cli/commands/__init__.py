"""One module per command: each defines HELP, options(parser) and run(session) -> exit code.

Adding a command is adding a module here; `ORDER` only sets the order of `--help`.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

ORDER = ["validate", "score", "build", "export", "new", "schema", "check", "codeowners", "criteria", "docs"]


def names() -> list[str]:
    """The commands, in `--help` order, found without importing any of them."""
    found = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    return sorted(found, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))


def modules(only: str | None = None) -> dict[str, ModuleType]:
    """The command modules; with `only` (a command's name) just that one: a run imports what
    its command needs, not every command's libraries (pandas, openpyxl, MkDocs' helpers cost
    about a second at start, as much as `validate` of 330 units)."""
    chosen = [only] if only in names() else names()
    return {name: importlib.import_module(f"{__name__}.{name}") for name in chosen}
