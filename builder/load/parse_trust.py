"""Load stage, part 3b: the keys of assessment.yaml that make the record trustworthy:
`trusted_committers` (whose first-parent commits give a landing time), `closed` (the decision
that published a cycle) and `corrections` (what the district changed after closing)."""

from __future__ import annotations

import re

from builder.load.reader import Reader
from builder.load.yamlfile import YNode
from builder.model import Correction, Decision, Loc

DEFAULT_TRUSTED = ("GitHub <noreply@github.com>",)
IDENTITY = re.compile(r"^[^<>\n]*[^<>\s] <[^<>\s]+>$")
DECISION_KEYS = ["number", "date", "note"]
CORRECTION_KEYS = ["number", "date", "unit", "criterion", "old", "new", "reason", "note"]


def trusted_committers(r: Reader, node: YNode | None) -> tuple[str, ...]:
    """The committer identities, exactly as Git writes them; absent: GitHub's web flow."""
    if node is None:
        return DEFAULT_TRUSTED
    good = []
    for item in r.sequence(node, "trusted_committers") if node.kind == "seq" else [node]:
        text = r.text(item, "trusted_committers")
        if text is None:
            continue
        if IDENTITY.match(text.strip()):
            good.append(text.strip())
        else:
            r.report("trusted-committer-bad", item.loc, text=text)
    return tuple(good)


def _decision(r: Reader, entries: dict[str, YNode], loc: Loc, what: str) -> Decision | None:
    number = r.text(entries.get("number"), "number")
    day = r.date(entries.get("date"), "date")
    if not number or day is None:
        if not number or "date" not in entries:  # a malformed date is already bad-date
            r.report("closed-bad", loc, what=what)
        return None
    return Decision(number, day, loc)


def closed(r: Reader, node: YNode | None) -> Decision | None:
    entries = r.mapping(node, "closed", DECISION_KEYS)
    if entries is None:
        return None
    assert node is not None
    return _decision(r, entries, node.loc, "closed")


def corrections(r: Reader, node: YNode | None) -> tuple[Correction, ...]:
    found = []
    for item in r.sequence(node, "corrections"):
        entries = r.mapping(item, "corrections", CORRECTION_KEYS, ["unit", "criterion"])
        if entries is None:
            continue
        decision = _decision(r, entries, item.loc, "corrections")
        unit, criterion = r.text(entries.get("unit"), "unit"), r.text(entries.get("criterion"), "criterion")
        if decision is None or not unit or not criterion:
            continue
        old, new = r.number(entries.get("old"), "old"), r.number(entries.get("new"), "new")
        reason = r.text(entries.get("reason"), "reason")
        found.append(Correction(decision, unit, criterion, old, new, item.loc, reason))
    return tuple(found)
