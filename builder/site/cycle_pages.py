"""Site stage, cycle pages: home, ranking and status, methodology, downloads, validation."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from markupsafe import Markup

from builder.model import Assessment, Criterion, Unit
from builder.office.export import criteria_csv, cycle_record, dumps, summary_csv_vi, units_csv
from builder.office.xlsx import write_workbook
from builder.results import CycleResult, UnitResult
from builder.site.charts import Bar, bar_chart, class_css
from builder.site.columns import Columns, columns, max_text
from builder.site.lineage import lineage
from builder.site.text import md_lines, md_text, pts_text, slug, vn
from builder.site.writer import SiteCycle, Writer

STATUS_VI = {"submitted": "Đã nộp", "draft": "Bản nháp", "missing": "Chưa nộp"}


def submission_text(r: UnitResult) -> str:
    """On time, late or unknown (no history) for a submitted unit; else draft or missing."""
    if r.status != "submitted":
        return STATUS_VI[r.status]
    if r.late is True:
        return "Trễ hạn"
    if r.late is False:
        return "Đúng hạn"
    return "Không xác định"


@dataclass(frozen=True)
class RankRow:
    r: UnitResult
    change: Markup
    submission: str
    href: str


@dataclass(frozen=True)
class RankGroup:
    tier: str
    title: str
    rows: list[RankRow]
    chart: Markup
    cols: Columns


@dataclass(frozen=True)
class StatusRow:
    title: str
    units: int
    submitted: int
    draft: int
    missing: int
    late: int | None
    appraised: Fraction | None  # share of applicable criteria appraised, in percent


def tier_name(a: Assessment, tier: str) -> str:
    t = a.tiers.get(tier)
    return t.name if t else tier


def change_text(r: UnitResult, previous: CycleResult | None, unit: Unit) -> Markup:
    """The index change against the previous cycle: +1,23 / -0,45, following a rename;
    'hợp nhất' for a unit merged from others (no single earlier index compares); 'mới' else."""
    if previous is None or r.index is None:
        return Markup("—")
    line = lineage(unit, previous)
    if line.merged:
        return Markup("hợp nhất")
    if line.same is None:
        return Markup("mới")
    if line.same.index is None:
        return Markup("—")
    delta = r.index - line.same.index
    text = vn(delta)
    return Markup(text if str(text).startswith("-") or str(text) == "0,00" else f"+{text}")


def ranking_groups(cycle: SiteCycle, previous: SiteCycle | None, units_href: str) -> list[RankGroup]:
    """The ranking tables of a cycle: one per tier and group, in the results' order."""
    a = cycle.data.assessment
    if a is None:
        return []
    labels = [c.label for c in a.classification]
    groups: dict[tuple[str, str | None], list[UnitResult]] = {}
    for r in cycle.result.units:
        groups.setdefault((r.tier, r.group), []).append(r)
    out = []
    for (tier, group), members in groups.items():
        title = tier_name(a, tier) + (f" — {group}" if group else "")
        rows = [
            RankRow(
                r,
                change_text(r, previous.result if previous else None, a.units[r.unit]),
                "Dữ liệu đang có lỗi" if r.unit in cycle.broken else submission_text(r),
                f"{units_href}{slug(r.unit)}.md",
            )
            for r in members
        ]
        bars = [
            Bar(md_text(r.name), r.index, class_css(labels, r.classification))
            for r in members
            if r.index is not None
        ]
        legend = [(class_css(labels, c.label), md_text(c.label)) for c in a.classification]
        caption = Markup(
            f"Chỉ số CCHC của từng đơn vị — {md_text(title)} "
            "(số liệu trong bảng xếp hạng ở trên; màu theo xếp loại)"
        )
        chart = bar_chart(bars, caption, legend=legend)
        out.append(RankGroup(tier, title, rows, chart, columns(cycle.data.criteria.get(tier))))
    return out


def status_rows(cycle: SiteCycle) -> list[StatusRow]:
    a = cycle.data.assessment
    if a is None:
        return []
    known = cycle.history is not None and cycle.history.known
    rows = []
    tiers = list(dict.fromkeys(r.tier for r in cycle.result.units))
    for tier in [*tiers, None]:
        members = [r for r in cycle.result.units if tier is None or r.tier == tier]
        if tier is None and len(tiers) < 2:
            continue
        count = Counter(r.status for r in members)
        appraisable = sum(r.appraisable_leaves for r in members)
        appraised = sum(r.appraised_leaves for r in members)
        rows.append(
            StatusRow(
                tier_name(a, tier) if tier else "Tổng cộng",
                len(members),
                count["submitted"],
                count["draft"],
                count["missing"],
                sum(1 for r in members if r.late) if known else None,
                Fraction(appraised * 100, appraisable) if appraisable else None,
            )
        )
    return rows


def class_counts(cycle: SiteCycle) -> list[tuple[str, list[tuple[str, int]], Markup]]:
    """Per tier: (tier name, [(class, submitted units in it)], chart)."""
    a = cycle.data.assessment
    if a is None:
        return []
    labels = [c.label for c in a.classification]
    out = []
    for tier in dict.fromkeys(r.tier for r in cycle.result.units):
        count = Counter(
            r.classification for r in cycle.result.units if r.tier == tier and r.status == "submitted"
        )
        rows = [(label, count[label]) for label in labels]
        top = max([n for _, n in rows] + [1])
        bars = [Bar(md_text(label), Decimal(n), class_css(labels, label), shown=str(n)) for label, n in rows]
        caption = Markup(
            f"Số đơn vị đã nộp theo xếp loại — {md_text(tier_name(a, tier))} (số liệu trong bảng ở trên)"
        )
        out.append((tier_name(a, tier), rows, bar_chart(bars, caption, scale=Decimal(top))))
    return out


def scoring_rule(c: Criterion) -> Markup:
    """How a criterion is scored, in words (for the methodology page)."""
    if c.children:
        return Markup("Tổng điểm các tiêu chí thành phần")
    parts: list[str] = []
    if c.kind == "bonus":
        parts.append(f"Điểm thưởng, từ 0 đến {pts_text(c.max)} (không tính vào điểm tối đa)")
    elif c.kind == "deduction":
        parts.append(f"Điểm trừ, từ {max_text(c)} đến 0")
    if c.source == "survey":
        parts.append("Điểm điều tra xã hội học (Hội đồng ghi, đơn vị không tự chấm)")
    if c.levels:
        parts.extend(f"{pts_text(lv.points)} điểm: {md_text(lv.when)}" for lv in c.levels)
    if c.bands:
        measure = md_text(c.measure_name or "giá trị đo")
        unit = f" ({md_text(c.measure_unit)})" if c.measure_unit else ""
        parts.append(
            f"Theo {measure}{unit}: "
            + "; ".join(f"từ {pts_text(b.min)} được {pts_text(b.points)} điểm" for b in c.bands)
        )
    if not (c.levels or c.bands) and c.kind == "normal" and c.source != "survey":
        parts.append(f"Từ 0 đến {pts_text(c.max)} điểm")
    if c.na_allowed:
        parts.append("Có thể đánh dấu không áp dụng (ghi lý do)")
    if c.applies_to is not None:
        parts.append("Chỉ áp dụng cho: " + ", ".join(str(md_text(k)) for k in c.applies_to))
    if c.description:
        parts.append(str(md_lines(c.description)))
    return Markup("<br>".join(parts))


def write_cycle(w: Writer, base: str, cycle: SiteCycle, previous: SiteCycle | None) -> None:
    data, a = cycle.data, cycle.data.assessment
    assert a is not None  # a cycle without assessment has an error and is never rendered
    common: dict[str, Any] = {"cycle": cycle, "a": a, "base": base}
    c = data.cycle
    w.page(
        f"{base}index.md",
        "ranking.md.j2",
        f"Xếp hạng kỳ {c}",
        hide=("toc",),
        **common,
        groups=ranking_groups(cycle, previous, "units/"),
        status=status_rows(cycle),
        classes=class_counts(cycle),
        previous=previous,
    )
    criteria_rows = {
        tier: [(node, node.id.count("."), scoring_rule(node)) for node in s.nodes.values()]
        for tier, s in data.criteria.items()
    }
    w.page(
        f"{base}methodology.md",
        "methodology.md.j2",
        f"Phương pháp đánh giá kỳ {c}",
        hide=("navigation",),
        **common,
        criteria_rows=criteria_rows,
        max_text=max_text,
        tier_name=lambda t: tier_name(a, t),
    )
    workbook = f"data/chi-so-cchc-{slug(data.cycle)}.xlsx"
    w.page(
        f"{base}downloads.md",
        "downloads.md.j2",
        f"Tải xuống kỳ {c}",
        **common,
        workbook=workbook,
    )
    w.page(
        f"{base}validation.md",
        "validation.md.j2",
        f"Kiểm tra dữ liệu kỳ {c}",
        **common,
        problems=sorted(cycle.problems, key=lambda p: p.sort_key()),
    )
    w.text(f"{base}data/units.csv", units_csv(cycle.result))
    w.text(f"{base}data/criteria.csv", criteria_csv(cycle.result))
    tiers = {k: t.name for k, t in data.assessment.tiers.items()} if data.assessment else {}
    w.text(f"{base}data/tong-hop.csv", summary_csv_vi(cycle.result, tiers))
    w.text(f"{base}data/results.json", dumps(cycle_record(cycle.result)) + "\n")
    w.text(f"{base}data/criteria.json", dumps(criteria_record(cycle.result)) + "\n")
    w.produce(f"{base}{workbook}", lambda path: write_workbook(path, data, cycle.result))


def criteria_record(result: CycleResult) -> dict[str, object]:
    """Per unit and leaf: max, applicable, self, appraised and final points (exact)."""
    return {
        "cycle": result.cycle,
        "units": [{"unit": r.unit, "status": r.status, "leaves": leaves_record(r)} for r in result.units],
    }


def leaves_record(r: UnitResult) -> dict[str, object]:
    return {
        cid: {
            "max": leaf.max,
            "applicable": leaf.applicable,
            "self": leaf.self_points,
            "appraised": leaf.appraised_points,
            "final": leaf.final_points,
            "appraised_by": list(leaf.appraised_by),
        }
        for cid, leaf in r.leaves.items()
    }


def write_home(w: Writer, newest_first: list[SiteCycle], oldest_first: list[SiteCycle]) -> None:
    newest = newest_first[0] if newest_first else None
    previous = oldest_first[-2] if len(oldest_first) > 1 else None
    base = f"{slug(newest.data.cycle)}/" if newest else ""
    authority = newest.data.assessment.authority if newest and newest.data.assessment else ""
    title = "Chỉ số cải cách hành chính" + (f" — {authority}" if authority else "")
    w.page(
        "index.md",
        "home.md.j2",
        title,
        hide=("toc",),
        cycles=newest_first,
        newest=newest,
        base=base,
        slug=slug,
        groups=ranking_groups(newest, previous, f"{base}units/") if newest else [],
        status=status_rows(newest) if newest else [],
        classes=class_counts(newest) if newest else [],
        previous=previous,
        demo=any(c.data.assessment.demo for c in newest_first if c.data.assessment),
    )
