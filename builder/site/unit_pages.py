"""Site stage, unit pages: fields and criteria with points, evidence, comments and history."""

from __future__ import annotations

import json
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from markupsafe import Markup, escape

from builder.links import site as link_states
from builder.links import store as link_store
from builder.load.cycle import Tree
from builder.model import Assessment, CriteriaSet, Criterion, Evidence, Loc, Request, Scorecard
from builder.office.export import dumps, files_record, unit_record
from builder.results import (
    CycleResult,
    FieldResult,
    LeafResult,
    UnitHistory,
    UnitResult,
    appraised_sum,
    results_under,
)
from builder.rules.evidence import file_problem
from builder.rules.evidence_files import FileFacts, file_checks, size_text, unit_files
from builder.rules.registry import Context
from builder.site.charts import Bar, bar_chart
from builder.site.columns import columns, max_text
from builder.site.cycle_pages import STATUS_VI, leaves_record, submission_text, tier_name
from builder.site.lineage import lineage
from builder.site.provenance import provenance
from builder.site.report import letterhead, signature
from builder.site.text import anchor, md_lines, md_text, page_href, percent, pts_text, slug, vdate, web_href
from builder.site.writer import SiteCycle, Writer

# Evidence files published as they are; anything a browser could run (HTML, SVG, scripts, and
# Markdown that MkDocs would render) stays in the repository and is named, not linked.
PUBLISHED_SUFFIXES = frozenset(
    "pdf doc docx xls xlsx ppt pptx odt ods odp rtf txt csv jpg jpeg png gif webp zip rar 7z".split()
)
SEARCH_UNITS_MAX = 500
EVENT_VI = {"created": "Tạo phiếu", "submitted": "Nộp phiếu", "changed": "Sửa phiếu"}


@dataclass(frozen=True)
class Row:
    """One line of a field's table: a criterion with its (summed) points for the unit."""

    node: Criterion
    depth: int
    max: Decimal
    self: Decimal | None
    appraised: Decimal | None
    final: Decimal | None
    leaf: LeafResult | None


@dataclass
class Detail:
    """What the unit and the council wrote about one leaf."""

    node: Criterion
    value: Markup | None = None
    evidence: list[Markup] = field(default_factory=list)
    explanation: Markup | None = None
    reason: Markup | None = None
    comments: list[Markup] = field(default_factory=list)
    requests: list[Markup] = field(default_factory=list)

    def empty(self) -> bool:
        return not (
            self.value or self.evidence or self.explanation or self.reason or self.comments or self.requests
        )


@dataclass(frozen=True)
class FieldBlock:
    node: Criterion
    result: FieldResult | None
    rows: list[Row]
    details: list[Detail]
    appraised: Decimal | None


def tier_averages(result: CycleResult) -> dict[str, dict[str, Fraction]]:
    """Per tier and field: the mean share of the field's max reached by submitted units (%)."""
    shares: dict[str, dict[str, list[Fraction]]] = defaultdict(lambda: defaultdict(list))
    for r in result.units:
        if r.status != "submitted":
            continue
        for fid, f in r.fields.items():
            if (p := percent(f.final, f.max)) is not None:
                shares[r.tier][fid].append(p)
    return {tier: {fid: sum(v, Fraction(0)) / len(v) for fid, v in by.items()} for tier, by in shares.items()}


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def field_rows(s: CriteriaSet, top: Criterion, leaves: dict[str, LeafResult]) -> list[Row]:
    """The field's nodes in tree order, parents with sums over their applicable leaves."""
    rows = []

    def visit(node: Criterion, depth: int) -> None:
        found = results_under(node, leaves)
        if not found:
            return
        rows.append(
            Row(
                node,
                depth,
                sum((r.max for r in found), Decimal(0)),
                _sum([r.self_points for r in found]),
                appraised_sum(found),
                _sum([r.final_points for r in found]),
                leaves.get(node.id) if node.is_leaf else None,
            )
        )
        for child in node.children:
            visit(child, depth + 1)

    for child in top.children or (top,):
        visit(child, 0)
    return rows


class UnitPage:
    """Builds the context of one unit's page; copies its published evidence files."""

    def __init__(self, w: Writer, base: str, cycle: SiteCycle, tree: Tree) -> None:
        self.w, self.base, self.cycle, self.tree = w, base, cycle, tree
        self.ctx = Context(cycle.data, tree)
        a = cycle.data.assessment
        self.reviewers = {rid: rv.name for rid, rv in a.reviewers.items()} if a else {}
        self.requests: dict[str, list[Request]] = defaultdict(list)
        self.comments: dict[tuple[str, str], list[tuple[str, Decimal | None, str | None]]] = defaultdict(list)
        self.appraised_at: dict[tuple[str, str, str], Loc] = {}  # (unit, leaf, reviewer) → where
        self.source = provenance(cycle)
        for reviewer_id, appraisal in cycle.data.appraisals.items():  # keyed as in score.py
            for req in appraisal.requests:
                self.requests[req.unit].append(req)
            for sc in appraisal.scores:
                self.comments[(sc.unit, sc.criterion_id)].append((sc.reviewer, sc.points, sc.comment))
                self.appraised_at.setdefault((sc.unit, sc.criterion_id, reviewer_id), sc.points_loc or sc.loc)
        self.copied: set[str] = set()
        self.files: dict[str, FileFacts] = {}  # the unit's evidence files by path: size, SHA-256
        self.links = link_store.read(tree, cycle.data.cycle)  # states from `links`, read offline

    def point(self, unit: str, row: Row, kind: str) -> Markup:
        """A leaf's self or appraised points linked to the line that states them (provenance)."""
        leaf = row.leaf
        if leaf is None:
            return pts_text(row.self if kind == "self" else row.appraised)
        if kind == "self":
            card = self.cycle.data.scorecards.get(unit)
            score = card.scores.get(row.node.id) if card else None
            where = (score.points_loc or score.loc) if score is not None else None
            return self.source.point(leaf.self_points, where)
        by = leaf.appraised_by[0] if leaf.appraised_by else None
        return self.source.point(leaf.appraised_points, self.appraised_at.get((unit, row.node.id, by or "")))

    def request_text(self, req: Request) -> Markup:
        who = md_text(self.reviewers.get(req.reviewer, req.reviewer))
        what = ", ".join(str(md_text(c)) for c in req.criteria)
        doc = f" theo {md_text(req.document)}" if req.document else ""
        when = f", ngày {vdate(req.date)}" if req.date else ""
        due = f", hạn bổ sung {vdate(req.due)}" if req.due else ""
        return Markup(f"{who} yêu cầu bổ sung tài liệu cho tiêu chí {what}{doc}{when}{due}")

    def evidence_text(self, unit: str, card: Scorecard, item: Evidence) -> Markup:
        title = item.title or item.number or "Tài liệu kiểm chứng"
        meta = [
            f"số {md_text(item.number)}" if item.number and item.title else "",
            f"ngày {vdate(item.date)}" if item.date else "",
            str(md_text(item.issuer)) if item.issuer else "",
        ]
        details = ", ".join(m for m in meta if m)
        parts = []
        if item.url:
            href = web_href(item.url)
            state = link_states.badge(self.links, item.url) if href else ""
            parts.append(
                str(anchor(title, href)) + (f" · {escape(state)}" if state else "")
                if href
                else f"{md_text(title)} (đường dẫn không được mở vì không phải http/https: "
                f"{md_text(item.url)})"
            )
        if item.file:
            parts.append(self.file_link(unit, card, item, title if not item.url else "tệp"))
        if not parts:
            parts.append(str(md_text(title)))
        return Markup(" — ".join(parts) + (f" ({details})" if details else ""))

    def file_link(self, unit: str, card: Scorecard, item: Evidence, title: str) -> str:
        """Copy a published evidence file into the site and link it; else name it as text."""
        name = posixpath.normpath((item.file or "").replace("\\", "/"))
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if file_problem(self.ctx, card.folder, item) is not None:
            return f"{md_text(title)} (tệp không hợp lệ: {md_text(item.file or '')})"
        if checks := file_checks(self.ctx, card, item):  # too large, or not what its name says
            why = "quá lớn" if checks[0].code == "evidence-file-too-large" else "nội dung không khớp đuôi tệp"
            return f"{md_text(title)} (tệp {md_text(name)} không đăng lên trang: {why})"
        if suffix not in PUBLISHED_SUFFIXES:
            return (
                f"{md_text(title)} (tệp {md_text(name)} không đăng lên trang vì định dạng "
                "không được hỗ trợ; xem trong kho dữ liệu)"
            )
        target = f"files/{slug(unit)}/{name}"
        if target not in self.copied:
            content = self.tree.read_bytes(f"{card.folder}/{name}")
            if content is None:
                return f"{md_text(title)} (không đọc được tệp {md_text(name)})"
            self.w.bytes(f"{self.base}{target}", content)
            self.copied.add(target)
        link = str(anchor(title, page_href(f"../{target}")))
        found = self.files.get(f"{card.folder}/{name}")  # the same facts as the unit's JSON record
        return link + (f" ({size_text(found.size)}, SHA-256 <code>{found.sha256}</code>)" if found else "")

    def details(self, unit: str, card: Scorecard | None, rows: list[Row]) -> list[Detail]:
        out = []
        for row in rows:
            if row.leaf is None:
                continue
            node, d = row.node, Detail(row.node)
            score = card.scores.get(node.id) if card else None
            if score is not None and card is not None:
                if score.value is not None:
                    unit_text = f" {md_text(node.measure_unit)}" if node.measure_unit else ""
                    measure = md_text(node.measure_name or "Giá trị đo")
                    d.value = Markup(f"{measure}: {pts_text(score.value)}{unit_text}")
                d.evidence = [self.evidence_text(unit, card, e) for e in score.evidence]
                d.explanation = md_lines(score.explanation) if score.explanation else None
                if score.not_applicable:
                    d.reason = md_lines(score.reason) if score.reason else Markup("(không ghi lý do)")
            for reviewer, points, comment in self.comments.get((unit, node.id), []):
                self_points = row.leaf.self_points
                if points is None or self_points is None or points == self_points:
                    continue
                who = md_text(self.reviewers.get(reviewer, reviewer))
                said = md_lines(comment) if comment else Markup("(không có nhận xét)")
                d.comments.append(
                    Markup(
                        f"{who} thẩm định {pts_text(points)} điểm (tự chấm {pts_text(self_points)}): {said}"
                    )
                )
            d.requests = [self.request_text(q) for q in self.requests.get(unit, []) if node.id in q.criteria]
            if not d.empty():
                out.append(d)
        return out

    def blocks(self, r: UnitResult, s: CriteriaSet | None) -> list[FieldBlock]:
        if s is None or not r.leaves:
            return []
        card = self.cycle.data.scorecards.get(r.unit)
        out = []
        for top in s.fields:
            rows = field_rows(s, top, r.leaves)
            if not rows:
                continue
            leaves = [row.leaf for row in rows if row.leaf is not None]
            out.append(
                FieldBlock(
                    top,
                    r.fields.get(top.id),
                    rows,
                    self.details(r.unit, card, rows),
                    appraised_sum(leaves),
                )
            )
        return out

    def chart(self, r: UnitResult, s: CriteriaSet | None, averages: dict[str, Fraction]) -> Markup:
        if s is None or not r.fields:
            return Markup("")
        bars = [
            Bar(
                md_text(f"{top.id}. {top.name}"),
                percent(f.final, f.max),
                "par-c1",
                second=averages.get(top.id),
            )
            for top in s.fields
            if (f := r.fields.get(top.id)) is not None
        ]
        caption = Markup(
            "Tỷ lệ điểm đạt theo lĩnh vực (%) so với trung bình của các đơn vị cùng "
            "cấp đã nộp (số liệu trong bảng bên dưới)"
        )
        return bar_chart(
            bars, caption, legend=[("par-c1", Markup("Đơn vị"))], second_label=Markup("Trung bình cùng cấp")
        )


def units_index(cycle: SiteCycle, a: Assessment) -> str:
    """The small index of units the units page's search box reads: name, code, page (JSON)."""
    rows = [
        {"name": r.name, "code": a.units[r.unit].code or "", "url": f"{slug(r.unit)}.html"}
        for r in cycle.result.units
    ]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def write_units(w: Writer, base: str, cycle: SiteCycle, previous: SiteCycle | None, tree: Tree) -> None:
    a = cycle.data.assessment
    assert a is not None
    averages = tier_averages(cycle.result)
    page = UnitPage(w, base, cycle, tree)
    w.page(
        f"{base}units/index.md",
        "units_index.md.j2",
        f"Đơn vị kỳ {cycle.data.cycle}",
        hide=("toc",),
        cycle=cycle,
        a=a,
        base=base,
        rows=[
            (r, a.units[r.unit], "Dữ liệu đang có lỗi" if r.unit in cycle.broken else submission_text(r))
            for r in cycle.result.units
        ],
        tier_name=lambda t: tier_name(a, t),
        slug=slug,
    )
    w.text(f"{base}data/units-index.json", units_index(cycle, a) + "\n")
    # Past this many units, unit pages stay out of the search index (the site's search index is
    # downloaded whole by the first search); every unit stays findable by name and code in the
    # units page's own box, from data/units-index.json (docs/site.md, "Search at scale").
    searchable = len(cycle.result.units) <= SEARCH_UNITS_MAX
    for r in cycle.result.units:
        s = cycle.data.criteria.get(r.tier)
        history: UnitHistory | None = None
        if cycle.history is not None and cycle.history.known:
            history = cycle.history.units.get(r.unit)
        line = lineage(a.units[r.unit], previous.result if previous else None)
        record = unit_record(r) | {"cycle": cycle.data.cycle, "leaves": leaves_record(r)}
        card = cycle.data.scorecards.get(r.unit)
        files = unit_files(page.ctx, card) if card is not None else []
        page.files = {f.path: f for f in files}
        record["evidence_files"] = files_record(files)
        urls = [e.url for sc in card.scores.values() for e in sc.evidence if e.url] if card else []
        w.text(f"{base}data/units/{slug(r.unit)}.json", dumps(record) + "\n")
        w.page(
            f"{base}units/{slug(r.unit)}.md",
            "unit.md.j2",
            f"{r.name} — kỳ {cycle.data.cycle}",
            hide=("navigation",),
            searchable=searchable,
            cycle=cycle,
            a=a,
            base=base,
            r=r,
            unit=a.units[r.unit],
            card=cycle.data.scorecards.get(r.unit),
            slug=slug,
            tier=tier_name(a, r.tier),
            submission=submission_text(r),
            blocks=page.blocks(r, s),
            cols=columns(s),
            point=lambda row, kind, unit=r.unit: page.point(unit, row, kind),
            print_head=letterhead(a, a.units[r.unit]),
            print_foot=signature(a.units[r.unit], cycle.data.scorecards.get(r.unit)),
            max_text=max_text,
            appraised_total=appraised_sum(r.leaves.values()),
            chart=page.chart(r, s, averages.get(r.tier, {})),
            averages=averages.get(r.tier, {}),
            history=history,
            history_known=cycle.history is not None and cycle.history.known,
            status_vi=STATUS_VI,
            requests=[page.request_text(q) for q in page.requests.get(r.unit, [])],
            previous=previous,
            before=line.same,
            renamed=line.renamed,
            merged=line.merged,
            event_vi=EVENT_VI,
            links_text=link_states.unit_links_text(page.links, urls),
        )
