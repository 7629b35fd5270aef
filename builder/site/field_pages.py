"""Site stage, criteria views: a page per field (every unit on every criterion) and a heatmap."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from markupsafe import Markup

from builder.model import Assessment, CriteriaSet, Criterion
from builder.numbers import vn_number
from builder.results import LeafResult, UnitResult
from builder.site.charts import Bar, bar_chart, class_css
from builder.site.columns import columns, max_text
from builder.site.cycle_pages import tier_name
from builder.site.text import html_block, md_text, percent, pts_text, slug
from builder.site.writer import SiteCycle, Writer

CHANGED = Markup("&#42;")  # marks a leaf whose appraised points differ from the self score


@dataclass(frozen=True)
class FieldRow:
    r: UnitResult
    cells: list[Markup]
    share: Fraction | None


def field_page_name(tier: str, field_id: str) -> str:
    return f"{slug(tier)}-{slug(field_id)}.md"


def cell(leaf: LeafResult | None) -> Markup:
    if leaf is None or not leaf.applicable:
        return Markup("không áp dụng")
    text = pts_text(leaf.final_points)
    changed = (
        leaf.appraised_points is not None
        and leaf.self_points is not None
        and leaf.appraised_points != leaf.self_points
    )
    return Markup(f"{text}{CHANGED}") if changed else text


def kind_note(c: Criterion) -> str:
    """ "(điểm thưởng)", "(điểm trừ)", "(điều tra xã hội học)" after a name, unless the name
    already says it (the sample's names do: it was printed twice)."""
    notes = []
    if c.kind == "bonus":
        notes.append("(điểm thưởng)")
    elif c.kind == "deduction":
        notes.append("(điểm trừ)")
    if c.source == "survey":
        notes.append("(điều tra xã hội học)")
    return "".join(f" {n}" for n in notes if n not in c.name.lower())


def leaf_average(units: list[UnitResult], leaf_id: str) -> Fraction | None:
    values = [
        Fraction(lr.final_points)
        for r in units
        if (lr := r.leaves.get(leaf_id)) is not None and lr.applicable and lr.final_points is not None
    ]
    return sum(values, Fraction(0)) / len(values) if values else None


def field_leaves(s: CriteriaSet, top: Criterion) -> list[Criterion]:
    return [c for c in s.leaves.values() if c.field_id == top.id]


def heat_css(labels: list[str], label: str | None) -> str:
    return class_css(labels, label).replace("par-c", "par-h")


def heatmap(a: Assessment, s: CriteriaSet, units: list[UnitResult], caption: str) -> Markup:
    """Units × fields: the share of each field's max the unit reached, coloured by class band."""
    labels = [c.label for c in a.classification]
    head = "".join(
        f'<th scope="col"><abbr title="{md_text(top.name)}">{md_text(top.id)}</abbr></th>' for top in s.fields
    )
    body = []
    for r in units:
        cells = []
        for top in s.fields:
            f = r.fields.get(top.id)
            share = percent(f.final, f.max) if f else None
            if share is None:
                cells.append('<td class="par-hx">—</td>')
                continue
            band = next((c.label for c in a.classification if Fraction(c.min) <= share), None)
            css = heat_css(labels, band)
            cells.append(f'<td class="{css}">{vn_number(share, 1)}</td>')
        body.append(f'<tr><th scope="row">{md_text(r.name)}</th>{"".join(cells)}</tr>')
    legend = "".join(
        f'<span class="par-key"><span class="par-swatch {heat_css(labels, c.label)}"></span>'
        f"{md_text(c.label)} (từ {vn_number(c.min, 0)} %)</span>"
        for c in a.classification
    )
    table = html_block(  # left out of the search index, like the data tables (site/html_blocks.py)
        '<div class="par-scroll" data-search-exclude>'
        f'<table class="par-heatmap"><caption>{md_text(caption)}</caption>'
        f'<thead><tr><th scope="col">Đơn vị</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
    return table + Markup("\n") + html_block(f'<p class="par-legend">{legend}</p>')


def write_fields(w: Writer, base: str, cycle: SiteCycle) -> None:
    a = cycle.data.assessment
    assert a is not None
    tiers = []
    for tier, s in cycle.data.criteria.items():
        units = [r for r in cycle.result.units if r.tier == tier and r.leaves and r.fields]
        name = tier_name(a, tier)
        tiers.append(
            (tier, name, s, units, heatmap(a, s, units, f"Tỷ lệ điểm đạt theo lĩnh vực (%) — {name}"))
        )
        for top in s.fields:
            write_field(w, base, cycle, tier, name, s, top, units)
    w.page(
        f"{base}fields/index.md",
        "fields_index.md.j2",
        f"Lĩnh vực kỳ {cycle.data.cycle}",
        hide=("toc",),
        cycle=cycle,
        a=a,
        base=base,
        tiers=tiers,
        page_name=field_page_name,
    )


def write_field(
    w: Writer,
    base: str,
    cycle: SiteCycle,
    tier: str,
    name: str,
    s: CriteriaSet,
    top: Criterion,
    units: list[UnitResult],
) -> None:
    leaves = field_leaves(s, top)
    rows = []
    for r in units:
        f = r.fields.get(top.id)
        rows.append(
            FieldRow(r, [cell(r.leaves.get(c.id)) for c in leaves], percent(f.final, f.max) if f else None)
        )
    averages = [leaf_average(units, c.id) for c in leaves]
    bars = [
        Bar(md_text(f"{c.id}. {c.name}"), percent(avg, c.max), "par-c1")
        for c, avg in zip(leaves, averages, strict=True)
        if c.kind == "normal" and c.max > 0 and avg is not None
    ]
    caption = Markup(
        f"Tỷ lệ điểm đạt trung bình theo tiêu chí (%) — {md_text(name)} "
        "(số liệu ở dòng “Trung bình” của bảng)"
    )
    w.page(
        f"{base}fields/{field_page_name(tier, top.id)}",
        "field.md.j2",
        f"{top.id}. {top.name} — {name}, kỳ {cycle.data.cycle}",
        hide=(
            "navigation",
            "toc",
        ),
        cycle=cycle,
        a=cycle.data.assessment,
        base=base,
        tier=name,
        top=top,
        leaves=leaves,
        rows=rows,
        averages=averages,
        chart=bar_chart(bars, caption),
        slug=slug,
        cols=columns(s),
        max_text=max_text,
        kind_note=kind_note,
        field_max=max((f.max for r in units if (f := r.fields.get(top.id))), default=Decimal(0)),
    )
