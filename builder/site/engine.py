"""Site stage: the MkDocs configuration of the generated pages, and the MkDocs run itself.

The only module that imports MkDocs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from builder.site.provenance import footer_line
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
        # sortable tables, offline: tablesort (MIT, vendored), our Vietnamese comparator, then
        # tablesort's number plugin as a fallback (order matters: see assets/par-sort.js)
        "extra_javascript": [
            "assets/tablesort/tablesort.min.js",
            "assets/par-sort.js",
            "assets/tablesort/tablesort.number.min.js",
            "assets/par-find.js",  # the units page's search box (docs/site.md, "Search at scale")
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


def run_mkdocs(config_file: Path) -> list[str]:
    """Build the site with MkDocs in strict mode; the warnings (empty when it succeeded)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _mkdocs_log() as log:
        try:
            config = load_config(config_file=str(config_file), strict=True)
            if os.environ.get(PAUSE) == "mkdocs-pages":  # the fault tests: stop MkDocs mid-way
                config.plugins._register_event("post_page", _pause_after_some_pages())
            build(config)
        except (MkDocsException, SystemExit) as e:
            return log.messages or [str(e)]
    return log.messages
