"""Rules on file names: every name under submissions/ is one Windows can hold, so anyone can clone."""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.model import Loc, Problem
from builder.problems import problem
from builder.rules.registry import Context, rule

_FORBIDDEN = re.compile(r'[<>:"?*|\\\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
MAX_DEPTH = 12  # a unit's folder is two or three levels deep; a symlink loop stops here


def _show(char: str) -> str:
    return f"U+{ord(char):04X}" if ord(char) < 32 else char


def not_portable(name: str) -> str | None:
    """Why Windows cannot hold the file or folder name `name` (Vietnamese), or None."""
    bad = sorted(set(_FORBIDDEN.findall(name)))
    if bad:
        shown = ", ".join(f"'{_show(c)}'" for c in bad)
        return f"có ký tự {shown} mà Windows không cho phép trong tên tệp"
    if name.endswith((".", " ")):
        return "tên kết thúc bằng dấu chấm hoặc dấu cách"
    if name.split(".", 1)[0].rstrip(" ").upper() in _RESERVED:
        return f"'{name.split('.', 1)[0]}' là tên dành riêng của Windows"
    return None


def _walk(ctx: Context, folder: str, depth: int, seen: set[str]) -> Iterator[Problem]:
    real = ctx.tree.real_path(folder)
    if depth > MAX_DEPTH or real is None or real in seen:
        return
    seen.add(real)
    for name, is_dir in ctx.tree.list_dir(folder):
        path = f"{folder}/{name}"
        why = not_portable(name)
        if why is not None:
            yield problem("path-not-portable", Loc(path), name=name, why=why)
        elif is_dir:
            yield from _walk(ctx, path, depth + 1, seen)


@rule
def portable_paths(ctx: Context) -> Iterator[Problem]:
    """path-not-portable."""
    yield from _walk(ctx, f"submissions/{ctx.data.cycle}", 0, set())
