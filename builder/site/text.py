"""Site stage, text: untrusted text escaped for Markdown and HTML at once, safe links,
Vietnamese number and date formats, and the strict Jinja2 environment that applies them.

Every value a template prints goes through `_finalize`: text is escaped (ASCII punctuation as
numeric character references, which no Markdown engine reads as syntax and every browser shows
as the character), numbers are formatted the Vietnamese way, and only `Markup` built here
passes as it is. Data never becomes template source.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, Undefined
from markupsafe import Markup
from slugify import slugify

from builder.numbers import vn_number
from builder.site import html_blocks

# Markdown (CommonMark, Python-Markdown and their extensions) and HTML give meaning to these;
# written as &#NN; they are only characters. `,` `/` `?` `%` `;` mean nothing in running text.
_SPECIAL = frozenset("!\"#$&'()*+-.:<=>@[\\]^_`{|}~")
_ENCODE = str.maketrans({c: f"&#{ord(c)};" for c in _SPECIAL})


# --- escaping ------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Drop control and format characters (NUL, bidi overrides) that only hide or reorder text."""
    if text.isprintable():  # the usual case, checked in C
        return text
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf"))


def _encode(text: str) -> str:
    return text.translate(_ENCODE)


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


def h(value: object) -> Markup:
    """Untrusted text for HTML that Markdown never reads (a raw HTML block: our tables and lists):
    control characters dropped, whitespace collapsed to one line, `& < > " '` escaped by
    MarkupSafe. Markup passed in is text too (as in `md_text`)."""
    return Markup.escape(" ".join(_clean(str(value)).split()))


def h_lines(value: object) -> Markup:
    """Untrusted text keeping its line breaks (as <br>), for HTML that Markdown never reads."""
    paragraphs = re.split(r"\n\s*\n", _clean(str(value)).strip())
    return Markup("<br><br>").join(
        Markup("<br>").join(h(line) for line in p.splitlines() if line.strip()) for p in paragraphs
    )


def anchor(text: object, href: str) -> Markup:
    """An HTML link (`href` from `web_href`/`page_href`); a relative link to a page's `.md` is
    written as its `.html`, since MkDocs rewrites links only in Markdown, not in raw HTML."""
    label = text if isinstance(text, Markup) else h(text)
    if "://" not in href:
        path, sep, frag = href.partition("#")
        if path.endswith(".md"):
            href = f"{path[:-3]}.html{sep}{frag}"
    return Markup('<a href="{}">{}</a>').format(href, label)


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
    plain = slugify(value, max_length=40, word_boundary=True)  # "Đường" → "duong", not "u-o-ng"
    return f"{plain or 'x'}-{hashlib.sha1(value.encode()).hexdigest()[:8]}"


# --- formatting ----------------------------------------------------------------------------


def vn(value: Decimal | Fraction | int | None, places: int = 2) -> Markup:
    """A number the Vietnamese way (89,29; 1.234), rounded half-up from the exact value."""
    if isinstance(value, bool):
        raise TypeError("a bool is not a number to show")
    if isinstance(value, int):
        return Markup(vn_number(Decimal(value), 0))
    return Markup(vn_number(value, places))


def pts_text(value: Decimal | None) -> Markup:
    """Points exactly as written (1,675; 0,5; 100), Vietnamese separators; '—' when none.

    No rounding is involved (as many places as the value has), so the Decimal is formatted
    directly, in the same shape as `numbers.vn_number`."""
    if value is None:
        return Markup("—")
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    text = f"{value:,.{places}f}"
    return Markup(text.replace(",", "\u2009").replace(".", ",").replace("\u2009", "."))


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


def _finalize_html(value: Any) -> Any:
    """What `{{ … }}` prints in an `.html.j2` partial: as `_finalize`, but text is HTML-escaped."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return h(value)
    return _finalize(value)


def h_wide(value: object) -> Markup:
    inner = value if isinstance(value, Markup) else h(value)
    return Markup('<span class="par-wide">{}</span>').format(inner)


def h_join(values: object, separator: str = ", ") -> Markup:
    items = values if isinstance(values, (list, tuple)) else list(values)  # type: ignore[call-overload]
    return Markup(separator).join(h(v) for v in items)


def _strict(template_dirs: list[Path], finalize: Any) -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs]),
        undefined=StrictUndefined,
        autoescape=True,  # then finalize: escaped text; Markup passes untouched
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Jinja's own filters that build Markup (join, replace, format, safe, urlize…) would only
    # HTML-escape; keep the ones that do not touch text and use ours for the rest.
    env.filters = {k: v for k, v in env.filters.items() if k in _KEPT_FILTERS}
    env.filters.update(vn=vn, pts=pts_text, signed=signed, vdate=vdate)
    env.globals.update(wide=wide, page_href=page_href, web_href=web_href, percent=percent)
    return env


def html_block(html: Markup | str) -> Markup:
    """HTML we built, as a block Markdown never reads: its lines without blank ones, between the
    marker lines that MkDocs' hook sets aside (`site/html_blocks.py`)."""
    body = "\n".join(line for line in html.splitlines() if line.strip())
    return Markup(f"{html_blocks.OPEN}\n{body}\n{html_blocks.CLOSE}")


def environment(template_dirs: list[Path]) -> Environment:
    """The strict environment: undefined names fail, values are escaped by `_finalize`.

    Pages are Markdown (`*.md.j2`); their data tables and long lists are HTML partials
    (`*.html.j2`, rendered with `html("name", …)`) between marker lines, which MkDocs sets aside
    before Markdown and puts back after it (`site/html_blocks.py`): there text is HTML-escaped
    by MarkupSafe (`h`), links are `<a>`."""
    env = _strict(template_dirs, _finalize)
    env.filters.update(t=md_text, lines=md_lines, join=md_join)
    env.globals.update(link=link)
    html_env = _strict(template_dirs, _finalize_html)
    html_env.filters.update(t=h, lines=h_lines, join=h_join)
    html_env.globals.update(link=anchor, wide=h_wide)

    def html(name: str, **context: Any) -> Markup:
        """An HTML partial on lines of its own, no blank line inside (one raw HTML block)."""
        return html_block(html_env.get_template(name).render(**context))

    env.globals["html"] = html
    html_env.globals["html"] = html
    return env
