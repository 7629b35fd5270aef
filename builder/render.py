"""Render stage: Markdown pages and data files from the templates, then MkDocs → site/.

The only module that knows MkDocs. Pages are written by `render_cycle`, `render_units` and
`render_fields` through a `Writer`; escaping and formats live in `render_text`.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment

from .load import Tree
from .model import CycleData, CycleHistory, CycleResult, Problem
from .render_text import environment, md_text, slug, vdate

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"
BUILD_MARKER = ".par-build"


# --- the site ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteCycle:
    """One cycle as published: its data, validation problems, exact results and history."""

    data: CycleData
    problems: list[Problem]
    result: CycleResult
    history: CycleHistory | None = None


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


def prepare_build_dir(build: Path) -> None:
    """Empty a previous build folder; refuse a non-empty folder we did not make."""
    from .session import UsageError

    if build.exists() and any(build.iterdir()) and not (build / BUILD_MARKER).exists():
        raise UsageError(
            f"{build} không trống và không phải thư mục dựng trang trước đó; "
            "hãy chọn thư mục khác (--build-dir)"
        )
    for name in ("docs", "overrides", "mkdocs.yml"):
        target = build / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    build.mkdir(parents=True, exist_ok=True)
    (build / BUILD_MARKER).write_text("thư mục do python -m builder build tạo ra\n", encoding="utf-8")


def check_site_dir(site: Path) -> None:
    """MkDocs empties site_dir: refuse a non-empty folder that is not a previous site."""
    from .session import UsageError

    if site.exists() and any(site.iterdir()) and not (site / "index.html").exists():
        raise UsageError(
            f"{site} không trống và không phải trang đã dựng trước đó; hãy chọn thư mục khác (--out)"
        )


def render_site(cycles: list[SiteCycle], tree: Tree, root: Path, build: Path, site: Path) -> Path:
    """Write every page and data file of every cycle (oldest first in `cycles`) and the
    MkDocs configuration; return the configuration's path."""
    from . import render_cycle, render_fields, render_units

    dirs = template_dirs(root)
    check_site_dir(site)
    prepare_build_dir(build)
    docs = build / "docs"
    writer = Writer(docs, environment(dirs))
    newest_first = list(reversed(cycles))
    for d in dirs[::-1]:  # ours first, then the district's on top
        if (d / "assets").is_dir():
            shutil.copytree(d / "assets", docs / "assets", dirs_exist_ok=True)
        if (d / "overrides").is_dir():
            shutil.copytree(d / "overrides", build / "overrides", dirs_exist_ok=True)
    previous: SiteCycle | None = None
    for cycle in cycles:
        base = f"{slug(cycle.data.cycle)}/"
        render_cycle.write_cycle(writer, base, cycle, previous)
        render_units.write_units(writer, base, cycle, previous, tree)
        render_fields.write_fields(writer, base, cycle)
        previous = cycle
    render_cycle.write_home(writer, newest_first, cycles)
    config = mkdocs_config(newest_first, build, site)
    config["nav"] += copy_guides(root, docs)
    path = build / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def copy_guides(root: Path, docs: Path) -> list[Any]:
    """The how-to guides (docs/guides/*.md, trusted repository text) as the site's "Hướng dẫn"
    section; [] when there are none."""
    guides = sorted((root / "docs" / "guides").glob("*.md"), key=lambda p: (p.name != "index.md", p.name))
    entries = []
    for guide in guides:
        text = guide.read_text(encoding="utf-8")
        target = docs / "huong-dan" / guide.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), guide.stem)
        entries.append({title.split(":")[0]: f"huong-dan/{guide.name}"})
    return [{"Hướng dẫn": entries}] if entries else []


def site_title(cycles: list[SiteCycle]) -> str:
    a = cycles[0].data.assessment if cycles else None
    return f"Chỉ số CCHC — {a.authority}" if a else "Chỉ số CCHC"


def footer_line(cycles: list[SiteCycle]) -> str:
    """The data's provenance, shown in every page's footer (escaped HTML)."""
    h = cycles[0].history if cycles else None
    if h is not None and h.commit:
        when = f", {vdate(h.commit_date)}" if h.commit_date else ""
        return f"Phiên bản dữ liệu {md_text(h.commit[:10])}{when}."
    return "Số liệu không kèm lịch sử nộp phiếu: thời điểm nộp không xác định."


def mkdocs_config(newest_first: list[SiteCycle], build: Path, site: Path) -> dict[str, Any]:
    """A minimal MkDocs configuration: Material, no Google Fonts, only the search plugin,
    plain Markdown, and a navigation of sections (never one entry per unit)."""
    nav: list[Any] = [{"Trang chủ": "index.md"}]
    for cycle in newest_first:
        base = f"{slug(cycle.data.cycle)}/"
        nav.append(
            {
                f"Kỳ {md_text(cycle.data.cycle)}": [
                    {"Xếp hạng": f"{base}index.md"},
                    {"Đơn vị": f"{base}units/index.md"},
                    {"Lĩnh vực": f"{base}fields/index.md"},
                    {"Phương pháp": f"{base}methodology.md"},
                    {"Tải xuống": f"{base}downloads.md"},
                    {"Kiểm tra dữ liệu": f"{base}validation.md"},
                ]
            }
        )
    return {
        "site_name": str(md_text(site_title(newest_first))),
        "docs_dir": "docs",
        "site_dir": str(site.resolve()),
        "use_directory_urls": False,  # pages work opened from a folder or a USB stick too
        "copyright": footer_line(newest_first),
        "theme": {
            "name": "material",
            "language": "vi",
            "font": False,
            "custom_dir": "overrides",
            "features": ["navigation.sections", "navigation.top"],
        },
        "extra": {"generator": False},
        "extra_css": ["assets/par.css"],
        "plugins": ["search"],
        "markdown_extensions": ["tables", "toc"],
        "not_in_nav": "/*/units/*.md\n/*/fields/*.md\n",
        "validation": {
            "omitted_files": "warn",
            "absolute_links": "warn",
            "unrecognized_links": "warn",
            "anchors": "warn",
        },
        "nav": nav,
    }


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _mkdocs_log() -> Iterator[_Collect]:
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    old = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = old


def run_mkdocs(config_file: Path) -> list[str]:
    """Build the site with MkDocs in strict mode; the warnings (empty when it succeeded)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _mkdocs_log() as log:
        try:
            config = load_config(config_file=str(config_file), strict=True)
            build(config)
        except (MkDocsException, SystemExit) as e:
            return log.messages or [str(e)]
    return log.messages
