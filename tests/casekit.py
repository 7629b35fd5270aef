"""The corpus of cases: tests/cases/{valid,invalid}/<case>/ are overlays on tests/cases/base/.

A case folder holds the files that differ from the base repository (symlinks included), an
optional `remove.txt` (paths to delete), an optional `expand.json` (a generated large file:
{"path", "prefix", "repeat", "times", "suffix"}) and `expected.txt`: the exact problem lines
`validate --all-cycles` prints. Adding a case is adding a folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

CASES = Path(__file__).parent / "cases"
BASE = CASES / "base"
META = {"expected.txt", "remove.txt", "expand.json", "README.md"}


def case_dirs(kind: str) -> list[Path]:
    folder = CASES / kind
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def materialize(case: Path | None, target: Path) -> Path:
    """Build the case's repository in `target` (the base with the case's overlay)."""
    shutil.copytree(BASE, target, symlinks=True)
    if case is None:
        return target
    for source in sorted(case.rglob("*")):
        rel = source.relative_to(case)
        if rel.as_posix() in META or (source.is_dir() and not source.is_symlink()):
            continue
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists() or dest.is_symlink():
            dest.unlink()
        if source.is_symlink():
            dest.symlink_to(source.readlink())
        else:
            shutil.copyfile(source, dest)
    remove = case / "remove.txt"
    if remove.is_file():
        for line in remove.read_text(encoding="utf-8").split():
            path = target / line
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    expand = case / "expand.json"
    if expand.is_file():
        spec = json.loads(expand.read_text(encoding="utf-8"))
        body = spec.get("prefix", "") + spec["repeat"] * spec["times"] + spec.get("suffix", "")
        (target / spec["path"]).write_text(body, encoding="utf-8")
    return target
