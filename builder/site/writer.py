"""Site stage: what the page writers share: a published cycle and the writer of pages into docs/."""

from __future__ import annotations

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
    """Writes generated files under the build's docs folder; counts them for the report."""

    def __init__(self, docs: Path, env: Environment) -> None:
        self.docs, self.env, self.count = docs, env, 0

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
        target = self.docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.count += 1


def template_dirs(root: Path) -> list[Path]:
    """The data repository's site_templates/ first (a district may override a page), then ours."""
    dirs = [root / "site_templates", PACKAGE_TEMPLATES]
    unique: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return unique
