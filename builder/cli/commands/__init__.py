"""One module per command: each defines HELP, options(parser) and run(session) -> exit code.

Adding a command is adding a module here; `ORDER` only sets the order of `--help`.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

ORDER = ["validate", "score", "build", "export", "new", "schema", "check", "codeowners", "criteria", "docs"]


def modules() -> dict[str, ModuleType]:
    names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    names.sort(key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    return {name: importlib.import_module(f"{__name__}.{name}") for name in names}
