"""Site stage: the MkDocs configuration of the generated pages, and the MkDocs run itself.

The only module that imports MkDocs.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.site.provenance import FOOTER_SLOT, PROVENANCE_JS
from builder.site.publish import PAUSE, fault_point
from builder.site.text import md_text, slug
from builder.site.writer import SiteCycle


def site_title(cycles: list[SiteCycle]) -> str:
    a = cycles[0].data.assessment if cycles else None
    return f"Chỉ số CCHC — {a.authority}" if a else "Chỉ số CCHC"


# our HTML partials skip Python-Markdown's HTML parsers (same output; builder/site/html_blocks.py)
HTML_HOOK = str(Path(__file__).resolve().parent / "html_blocks.py")


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
        "copyright": FOOTER_SLOT,  # filled from PROVENANCE_JS: pages stay the same across commits
        "theme": {
            "name": "material",
            "language": "vi",
            "font": False,
            "custom_dir": "overrides",
            "features": ["navigation.sections", "navigation.top"],
        },
        "extra": {"generator": False},
        "extra_css": ["assets/par.css"],
        # sortable tables, offline: tablesort (MIT, vendored), our Vietnamese comparator, then
        # tablesort's number plugin as a fallback (order matters: see assets/par-sort.js)
        "extra_javascript": [
            "assets/tablesort/tablesort.min.js",
            "assets/par-sort.js",
            "assets/tablesort/tablesort.number.min.js",
            "assets/par-find.js",  # the units page's search box (docs/site.md, "Search at scale")
            PROVENANCE_JS,
        ],
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
        "hooks": [HTML_HOOK],
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


def _pause_after_some_pages() -> Callable[..., str]:
    seen = []

    def post_page(output: str, **_: Any) -> str:
        seen.append(1)
        if len(seen) > 5:  # five pages are written, and no index.html yet
            fault_point("mkdocs-pages")
        return output

    return post_page


@dataclass
class Run:
    """What one MkDocs run did: the pages it built and every page of the site, in MkDocs' order."""

    built: set[str] = field(default_factory=set)  # page URLs ("2019/units/xa-a.html")
    pages: list[str] = field(default_factory=list)


DIRTY_NOTICE = "A 'dirty' build is being performed"


class _QuietDirty(logging.Filter):
    """MkDocs warns on every dirty build (meant for `mkdocs serve`); strict mode would count it
    as a failure. We know what it warns about: see docs/site.md, "Incremental build"."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_NOTICE)


def run_mkdocs(config_file: Path, *, dirty: bool = False, run: Run | None = None) -> list[str]:
    """Build the site with MkDocs in strict mode; the warnings (empty when it succeeded).
    `dirty`: skip pages whose source is not newer than their output (MkDocs' own rule)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    run = run if run is not None else Run()
    quiet = _QuietDirty()
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(quiet)
    with _mkdocs_log() as log:
        try:
            config = load_config(config_file=str(config_file), strict=True)
            if os.environ.get(PAUSE) == "mkdocs-pages":  # the fault tests: stop MkDocs mid-way
                config.plugins._register_event("post_page", _pause_after_some_pages())
            config.plugins._register_event("files", _record_pages(run))
            config.plugins._register_event("post_page", _record_built(run))
            build(config, dirty=dirty)
        except (MkDocsException, SystemExit) as e:
            return log.messages or [str(e)]
        finally:
            build_log.removeFilter(quiet)
    return log.messages


def _record_pages(run: Run) -> Callable[..., Any]:
    def on_files(files: Any, **_: Any) -> Any:
        run.pages[:] = [f.url for f in files.documentation_pages()]
        return files

    return on_files


def _record_built(run: Run) -> Callable[..., str]:
    def post_page(output: str, page: Any, **_: Any) -> str:
        run.built.add(page.file.url)
        return output

    return post_page


SEARCH_INDEX = "search/search_index.json"


def merge_search(previous_site: Path, new_site: Path, run: Run) -> None:
    """After a dirty build the search plugin indexed only the pages it built: keep the previous
    index's entries of every other page still in the site (a removed page's go), in MkDocs'
    page order, so the index is the one a clean build would write."""
    target = new_site / SEARCH_INDEX
    fresh = json.loads(target.read_text(encoding="utf-8"))
    old = json.loads((previous_site / SEARCH_INDEX).read_text(encoding="utf-8"))
    by_page: dict[str, list[Any]] = {}
    for entry in old.get("docs", []):
        page = str(entry.get("location", "")).split("#", 1)[0]
        if page not in run.built:
            by_page.setdefault(page, []).append(entry)
    for entry in fresh.get("docs", []):
        by_page.setdefault(str(entry.get("location", "")).split("#", 1)[0], []).append(entry)
    fresh["docs"] = [e for page in run.pages for e in by_page.get(page, [])]
    # the same separators as Material's plugin, so a clean build's file is byte-identical
    target.write_text(json.dumps(fresh, separators=(",", ":"), default=str), encoding="utf-8")
