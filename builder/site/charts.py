"""Site stage, charts: bar charts as plain HTML/CSS built at build time (no script, no CDN).

Each chart is a `<figure>` whose bars are real text rows, so it stays readable on a phone and
by a screen reader; the page always shows the same numbers in a table next to it. A chart is an
HTML block of its own (`text.html_block`), left out of the search index like the tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from markupsafe import Markup

from builder.numbers import vn_number
from builder.score import round_half_up
from builder.site.text import html_block

MAX_BARS = 200  # beyond this a chart says so and the table carries the data


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: an escaped label, a value and a CSS class for its colour."""

    label: Markup
    value: Fraction | Decimal | None
    css: str = "par-c0"
    shown: str | None = None  # the text after the bar; default: the value, Vietnamese format
    second: Fraction | Decimal | None = None  # a comparison value (e.g. the tier's average)


def _width(value: Fraction | Decimal | None, scale: Fraction) -> str:
    """A CSS percentage of the track, clamped to [0, 100], from the exact value."""
    if value is None or scale <= 0:
        return "0"
    share = min(max(Fraction(value) * 100 / scale, Fraction(0)), Fraction(100))
    return format(round_half_up(share, 2), "f")


def bar_chart(
    bars: Sequence[Bar],
    caption: Markup,
    scale: Fraction | Decimal = Decimal(100),
    legend: Sequence[tuple[str, Markup]] = (),
    second_label: Markup | None = None,
) -> Markup:
    """A horizontal bar chart; `scale` is the value of a full bar (raised to fit the data)."""
    values = [Fraction(b.value) for b in bars if b.value is not None]
    values += [Fraction(b.second) for b in bars if b.second is not None]
    top = max([Fraction(scale), *values])
    rows = []
    for bar in bars[:MAX_BARS]:
        shown = bar.shown if bar.shown is not None else vn_number(bar.value)
        second = ""
        if bar.second is not None:
            second = f'<span class="par-bar par-bar--second" style="width:{_width(bar.second, top)}%"></span>'
        rows.append(
            '<div class="par-bar-row">'
            f'<span class="par-bar-label">{bar.label}</span>'
            '<span class="par-bar-track">'
            f'<span class="par-bar {bar.css}" style="width:{_width(bar.value, top)}%"></span>'
            f"{second}</span>"
            f'<span class="par-bar-value">{shown}</span>'
            "</div>"
        )
    more = ""
    if len(bars) > MAX_BARS:
        more = (
            f'<p class="par-note">Biểu đồ chỉ vẽ {MAX_BARS} trên {len(bars)} dòng; '
            "bảng số liệu ở trên có đủ mọi đơn vị.</p>"
        )
    keys = [
        f'<span class="par-key"><span class="par-swatch {css}"></span>{text}</span>' for css, text in legend
    ]
    if second_label is not None:
        keys.append(
            f'<span class="par-key"><span class="par-swatch par-bar--second"></span>{second_label}</span>'
        )
    legend_html = f'<p class="par-legend">{"".join(keys)}</p>' if keys else ""
    return html_block(  # Markdown never reads it; the search index leaves it out (site/html_blocks.py)
        '<figure class="par-chart" data-search-exclude>'
        f"<figcaption>{caption}</figcaption>"
        f'<div class="par-bars" aria-hidden="true">{"".join(rows)}</div>'
        f"{legend_html}{more}</figure>"
    )


def class_css(labels: Sequence[str], label: str | None) -> str:
    """The colour class of a classification label: its position among the cycle's classes."""
    if label is None or label not in labels:
        return "par-cx"
    return f"par-c{min(list(labels).index(label), 5)}"
