"""Load stage, part 3b: scorecard files and appraisal files → model objects."""

from __future__ import annotations

from builder.load.reader import Reader
from builder.load.yamlfile import YNode
from builder.model import Appraisal, AppraisedScore, Approval, Evidence, Loc, Request, Score

SCORECARD_KEYS = [
    "unit",
    "cycle",
    "status",
    "approved_by",
    "scores",
    "difficulties",
    "recommendations",
    "note",
]
SCORE_KEYS = ["points", "value", "evidence", "explanation", "not_applicable", "reason", "note"]
EVIDENCE_KEYS = ["title", "number", "date", "issuer", "url", "file", "note"]
APPROVAL_KEYS = ["name", "title", "date"]
APPRAISAL_KEYS = ["reviewer", "cycle", "appraised_by", "units", "requests", "note"]
REQUEST_KEYS = ["unit", "criteria", "document", "date", "due", "note"]


def _written(node: YNode | None) -> Loc | None:
    """Where a value was written, or None when the key is absent or left empty."""
    return node.loc if node is not None and node.kind != "null" else None


def _approval(r: Reader, node: YNode | None, what: str) -> Approval | None:
    entries = r.mapping(node, what, APPROVAL_KEYS, APPROVAL_KEYS)
    if entries is None or node is None:
        return None
    return Approval(
        r.text(entries.get("name"), "name"),
        r.text(entries.get("title"), "title"),
        r.date(entries.get("date"), "date"),
        node.loc,
    )


# --- assessment ----------------------------------------------------------------------------


class ScorecardPart:
    """One file of a unit's scorecard, before the parts are merged."""

    def __init__(self, path: str, loc: Loc) -> None:
        self.path = path
        self.loc = loc
        self.unit: str | None = None
        self.unit_loc = loc
        self.cycle: str | None = None
        self.cycle_loc = loc
        self.status: str = "draft"
        self.approved_by: Approval | None = None
        self.scores: list[Score] = []
        self.difficulties: str | None = None
        self.recommendations: str | None = None


def parse_scorecard(r: Reader, root: YNode) -> ScorecardPart | None:
    entries = r.mapping(root, "phiếu chấm điểm", SCORECARD_KEYS, ["unit", "status"])
    if entries is None:
        if root.kind != "map":
            return None
        entries = {}
    part = ScorecardPart(r.path, root.loc)
    part.unit = r.text(entries.get("unit"), "unit")
    part.unit_loc = entries["unit"].loc if "unit" in entries else root.loc
    part.cycle = r.text(entries.get("cycle"), "cycle")
    part.cycle_loc = entries["cycle"].loc if "cycle" in entries else root.loc
    part.status = r.enum(entries.get("status"), "status", ["draft", "submitted"]) or "draft"
    part.approved_by = _approval(r, entries.get("approved_by"), "approved_by")
    part.difficulties = r.text(entries.get("difficulties"), "difficulties")
    part.recommendations = r.text(entries.get("recommendations"), "recommendations")
    scores_node = entries.get("scores")
    if scores_node is not None and scores_node.kind == "map":
        for cid, node in scores_node.value.items():
            if not r.identifier(cid, scores_node.key_loc(cid), "scores"):
                continue
            score = _score(r, cid, node, scores_node.key_loc(cid))
            if score is not None:
                part.scores.append(score)
    else:
        r.mapping(scores_node, "scores", [])
    return part


def _score(r: Reader, cid: str, node: YNode, key_loc: Loc) -> Score | None:
    if node.kind in ("int", "float", "str", "bool"):
        # `"1.1.1": 1` is shorthand for `{points: 1}`
        return Score(cid, key_loc, points=r.number(node, "points"), points_loc=_written(node))
    s = r.mapping(node, cid, SCORE_KEYS)
    if s is None:  # reported as wrong-type; points_loc marks it as written, not missing
        return Score(cid, key_loc, points_loc=node.loc if node.kind != "null" else None)
    evidence = []
    for item in r.sequence(s.get("evidence"), "evidence"):
        e = r.mapping(item, "evidence", EVIDENCE_KEYS)
        if e is None:
            if item.kind == "str":  # a bare title is still something: it lacks a link
                evidence.append(Evidence(item.loc, title=item.value))
            continue
        evidence.append(
            Evidence(
                item.loc,
                title=r.text(e.get("title"), "title"),
                number=r.text(e.get("number"), "number"),
                date=r.date(e.get("date"), "date"),
                issuer=r.text(e.get("issuer"), "issuer"),
                url=r.text(e.get("url"), "url"),
                file=r.text(e.get("file"), "file"),
            )
        )
    return Score(
        cid,
        key_loc,
        points=r.number(s.get("points"), "points"),
        value=r.number(s.get("value"), "value"),
        evidence=tuple(evidence),
        explanation=_given(r.text(s.get("explanation"), "explanation")),
        not_applicable=bool(r.boolean(s.get("not_applicable"), "not_applicable")),
        reason=_given(r.text(s.get("reason"), "reason")),
        points_loc=_written(s.get("points")),
        value_loc=_written(s.get("value")),
    )


def _given(text: str | None) -> str | None:
    """A text of only spaces is not given, like "" (an explanation of blanks explains nothing)."""
    return text if text is not None and text.strip() else None


# --- appraisals ----------------------------------------------------------------------------


def parse_appraisal(r: Reader, root: YNode, reviewer_id: str) -> Appraisal | None:
    entries = r.mapping(root, "tệp thẩm định", APPRAISAL_KEYS, ["reviewer"])
    if entries is None:
        return None
    reviewer = r.text(entries.get("reviewer"), "reviewer") or reviewer_id
    scores = []
    units_node = entries.get("units")
    if units_node is not None and units_node.kind == "map":
        for unit_id, unit_node in units_node.value.items():
            if unit_node.kind != "map":
                r.mapping(unit_node, unit_id, [])
                continue
            for cid, node in unit_node.value.items():
                key_loc = unit_node.key_loc(cid)
                if node.kind in ("int", "float", "str", "bool"):
                    scores.append(
                        AppraisedScore(
                            reviewer,
                            unit_id,
                            cid,
                            key_loc,
                            r.number(node, "points"),
                            points_loc=_written(node),
                        )
                    )
                    continue
                a = r.mapping(node, cid, ["points", "comment", "note"])
                if a is not None:
                    scores.append(
                        AppraisedScore(
                            reviewer,
                            unit_id,
                            cid,
                            key_loc,
                            r.number(a.get("points"), "points"),
                            r.text(a.get("comment"), "comment"),
                            points_loc=_written(a.get("points")),
                        )
                    )
    else:
        r.mapping(units_node, "units", [])
    requests = []
    for item in r.sequence(entries.get("requests"), "requests"):
        q = r.mapping(item, "requests", REQUEST_KEYS, ["unit", "criteria"])
        if q is None:
            continue
        requests.append(
            Request(
                reviewer,
                r.text(q.get("unit"), "unit") or "",
                r.texts(q.get("criteria"), "criteria"),
                item.loc,
                document=r.text(q.get("document"), "document"),
                date=r.date(q.get("date"), "date"),
                due=r.date(q.get("due"), "due"),
            )
        )
    return Appraisal(
        reviewer=reviewer,
        path=r.path,
        loc=root.loc,
        cycle=r.text(entries.get("cycle"), "cycle"),
        appraised_by=_approval(r, entries.get("appraised_by"), "appraised_by"),
        scores=tuple(scores),
        requests=tuple(requests),
    )
