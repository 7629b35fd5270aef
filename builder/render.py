"""Render stage: Jinja2 (StrictUndefined) → Markdown pages and data files, then MkDocs → site/.

The only module that knows MkDocs. Every value a template prints goes through `_finalize`:
text is escaped for Markdown and HTML at once (ASCII punctuation as numeric character
references), numbers are formatted the Vietnamese way, and only `Markup` built here passes
as it is. Data never becomes template source.
"""

from __future__ import annotations

import logging
import re
import shutil
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, Undefined
from markupsafe import Markup

from .load import Tree
from .model import CycleData, CycleHistory, CycleResult, Problem
from .numbers import vn_number

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"
BUILD_MARKER = ".par-build"
# Markdown (CommonMark, Python-Markdown and their extensions) and HTML give meaning to these;
# written as &#NN; they are only characters. `,` `/` `?` `%` `;` mean nothing in running text.
_SPECIAL = frozenset("!\"#$&'()*+-.:<=>@[\\]^_`{|}~")


# --- escaping ------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Drop control and format characters (NUL, bidi overrides) that only hide or reorder text."""
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf"))


def _encode(text: str) -> str:
    return "".join(f"&#{ord(c)};" if c in _SPECIAL else c for c in text)


def md_text(value: object) -> Markup:
    """Untrusted text for one line of Markdown or HTML: whitespace collapsed, markup inert."""
    return Markup(_encode(" ".join(_clean(str(value)).split())))


def md_lines(value: object) -> Markup:
    """Untrusted text keeping its line breaks (as <br>) on one Markdown line: safe in tables."""
    paragraphs = re.split(r"\n\s*\n", _clean(str(value)).strip())
    return Markup(
        "<br><br>".join(
            "<br>".join(str(md_text(line)) for line in p.splitlines() if line.strip()) for p in paragraphs
        )
    )


def web_href(url: str | None) -> str | None:
    """An http(s) URL made safe for a Markdown link destination; None for anything else."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in url):
        return None
    return quote(url, safe=":/?#=&%~+,;@!$")


def page_href(path: str) -> str:
    """A relative link to a generated page or file, each segment percent-encoded."""
    return "/".join(s if s in ("", ".", "..") else quote(s, safe="") for s in path.split("/"))


def wide(value: object) -> Markup:
    """A table cell's text that keeps a readable width instead of wrapping every word."""
    inner = value if isinstance(value, Markup) else md_text(value)
    return Markup(f'<span class="par-wide">{inner}</span>')


def link(text: object, href: str) -> Markup:
    """A Markdown link whose text is escaped; `href` must come from `web_href`/`page_href`."""
    label = text if isinstance(text, Markup) else md_text(text)
    return Markup(f"[{label}]({href})")


def slug(value: str) -> str:
    """A file-name part from an id: kept when plain ASCII, else made plain with a hash suffix."""
    if re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,80}", value) and ".." not in value:
        return value
    import hashlib

    plain = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", value.lower())).strip("-")
    return f"{plain[:40] or 'x'}-{hashlib.sha1(value.encode()).hexdigest()[:8]}"


# --- formatting ----------------------------------------------------------------------------


def vn(value: Decimal | Fraction | int | None, places: int = 2) -> Markup:
    """A number the Vietnamese way (89,29; 1.234), rounded half-up from the exact value."""
    if isinstance(value, bool):
        raise TypeError("a bool is not a number to show")
    if isinstance(value, int):
        return Markup(vn_number(Decimal(value), 0))
    return Markup(vn_number(value, places))


def pts_text(value: Decimal | None) -> Markup:
    """Points exactly as written (1,675; 0,5; 100), Vietnamese separators; '—' when none."""
    if value is None:
        return Markup("—")
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return Markup(vn_number(value, places))


def signed(value: Decimal | Fraction | None) -> Markup:
    """+1,23 / -0,45 / 0,00; '—' when unknown."""
    if value is None:
        return Markup("—")
    text = vn_number(value)
    return Markup(text if text.startswith("-") or text == "0,00" else f"+{text}")


def vdate(value: date | datetime | None) -> Markup:
    """dd/mm/yyyy (and hh:mm for a time), the Vietnamese way."""
    if value is None:
        return Markup("—")
    if isinstance(value, datetime):
        return Markup(value.strftime("%d/%m/%Y %H:%M"))
    return Markup(value.strftime("%d/%m/%Y"))


def percent(part: Decimal | Fraction | None, whole: Decimal | Fraction | None) -> Fraction | None:
    if part is None or whole is None or whole == 0:
        return None
    return Fraction(part) * 100 / Fraction(whole)


_KEPT_FILTERS = frozenset(
    "abs attr batch count default dictsort first groupby int last length list map max min "
    "lower reject rejectattr reverse select selectattr slice sort sum unique".split()
)


def md_join(values: object, separator: str = ", ") -> Markup:
    """Join escaped items with a separator written in the template."""
    items = values if isinstance(values, (list, tuple)) else list(values)  # type: ignore[call-overload]
    return Markup(separator).join(md_text(v) for v in items)


def _finalize(value: Any) -> Any:
    """What `{{ … }}` prints: Markup as is, text escaped, numbers in Vietnamese format."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, Undefined):
        return str(value)  # StrictUndefined raises here, naming the missing variable
    if value is None:
        return Markup("—")
    if isinstance(value, bool):
        raise TypeError("a template printed a bool; say what it means in words")
    if isinstance(value, int):
        return vn(value)
    if isinstance(value, (Decimal, Fraction)):
        return vn(value)
    if isinstance(value, str):
        return md_text(value)
    raise TypeError(f"a template printed a {type(value).__name__}")


def environment(template_dirs: list[Path]) -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs]),
        undefined=StrictUndefined,
        autoescape=True,  # then _finalize: markdown-safe text; Markup passes untouched
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Jinja's own filters that build Markup (join, replace, format, safe, urlize…) would only
    # HTML-escape; keep the ones that do not touch text and use ours for the rest.
    env.filters = {k: v for k, v in env.filters.items() if k in _KEPT_FILTERS}
    env.filters.update(
        t=md_text, lines=md_lines, vn=vn, pts=pts_text, signed=signed, vdate=vdate, join=md_join
    )
    env.globals.update(link=link, wide=wide, page_href=page_href, web_href=web_href, percent=percent)
    return env


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
        self, path: str, template: str, title: str, *, hide: tuple[str, ...] = (), **context: Any
    ) -> None:
        """Render a page; its title goes in the front matter already escaped, because the
        theme prints `page.meta.title` as HTML (and would unescape a title taken from the H1)."""
        heading = md_text(title)
        front = {"title": str(heading)} | ({"hide": list(hide)} if hide else {})
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
    if h is not None and h.known and h.commit:
        when = f", {vdate(h.commit_date)}" if h.commit_date else ""
        return f"Dữ liệu từ commit {md_text(h.commit[:10])}{when}."
    return "Dữ liệu đọc từ thư mục, không có lịch sử Git: thời điểm nộp phiếu không xác định."


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
