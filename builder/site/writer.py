"""Site stage: what the page writers share: a published cycle and the writer of pages into docs/."""

from __future__ import annotations

import builtins
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment

from builder.model import CycleData, Problem
from builder.results import CycleHistory, CycleResult
from builder.site.text import md_text

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "site_templates"


@dataclass(frozen=True)
class SiteCycle:
    """One cycle as published: its data, validation problems, exact results and history."""

    data: CycleData
    problems: list[Problem]
    result: CycleResult
    history: CycleHistory | None = None
    broken: dict[str, tuple[Problem, ...]] = field(default_factory=dict)  # unit → its errors:
    # published as "dữ liệu đang có lỗi", unscored and unranked (builder/site/broken.py)
    uncommitted: tuple[str, ...] | None = None  # data files changed since the commit (None: unknown)
    repo_url: str | None = None  # the district's forge (root mkdocs.yml): points link to their lines


class Writer:
    """Writes generated files under the build's docs folder; counts them for the report.

    A file whose bytes did not change is not rewritten, so it keeps its mtime (MkDocs' dirty
    build skips a page whose source is not newer than its output); `written` maps every file
    of this run to its SHA-256, and `prune` removes what this run did not write."""

    def __init__(self, docs: Path, env: Environment) -> None:
        self.docs, self.env, self.count = docs, env, 0
        self.written: dict[str, str] = {}  # docs-relative POSIX path → SHA-256 of its bytes

    def page(
        self,
        path: str,
        template: str,
        title: str,
        *,
        hide: tuple[str, ...] = (),
        searchable: bool = True,
        **context: Any,
    ) -> None:
        """Render a page; its title goes in the front matter already escaped, because the
        theme prints `page.meta.title` as HTML (and would unescape a title taken from the H1)."""
        heading = md_text(title)
        front: dict[str, Any] = {"title": str(heading)}
        if hide:
            front["hide"] = list(hide)
        if not searchable:
            front["search"] = {"exclude": True}
        body = self.env.get_template(template).render(title=heading, **context)
        meta = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=100_000)
        self.text(path, f"---\n{meta}---\n{body}")

    def text(self, path: str, text: str) -> None:
        self.bytes(path, text.encode("utf-8"))

    def bytes(self, path: str, data: bytes) -> None:
        target = self._claim(path, data)
        if not _same(target, data):
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".par-tmp-{target.name}")
            try:
                tmp.write_bytes(data)
                os.replace(tmp, target)  # never a half-written file under its own name
            finally:
                tmp.unlink(missing_ok=True)

    def produce(self, path: str, make: Callable[[Path], None]) -> None:
        """A file written by a library that wants a path (the XLSX workbook): made beside
        the target, then kept only if its bytes differ from the previous run's."""
        target = self.docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".par-tmp-{target.name}")
        try:
            make(tmp)
            data = tmp.read_bytes()
            self._claim(path, data)
            if _same(target, data):
                tmp.unlink()
            else:
                os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)

    def _claim(self, path: str, data: builtins.bytes) -> Path:
        self.written[Path(path).as_posix()] = hashlib.sha256(data).hexdigest()
        self.count += 1
        return self.docs / path

    def prune(self) -> list[str]:
        """Remove every file under docs/ that this run did not write (a unit gone, its page and
        data go too), then the folders left empty; the removed paths."""
        removed: list[str] = []
        if not self.docs.is_dir():
            return removed
        for f in sorted(p for p in self.docs.rglob("*") if not p.is_dir()):
            rel = f.relative_to(self.docs).as_posix()
            if rel not in self.written:
                f.unlink()
                removed.append(rel)
        for d in sorted((p for p in self.docs.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
            if not any(d.iterdir()):
                d.rmdir()
        return removed


def _same(target: Path, data: bytes) -> bool:
    try:
        return target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def template_dirs(root: Path) -> list[Path]:
    """The data repository's site_templates/ first (a district may override a page), then ours."""
    dirs = [root / "site_templates", PACKAGE_TEMPLATES]
    unique: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return unique
