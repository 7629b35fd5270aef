"""Rules on what an officer wrote as evidence: scaffold placeholders left, dates after the deadline, http."""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.model import Day, Evidence, Problem, Score
from builder.problems import problem
from builder.rules.registry import Context, rule

# What `python -m builder new` writes as placeholders (builder/editor/scaffold.py), and what an
# officer types instead of the ellipsis: "…", "...", "https://…", a bare "https://".
_ELLIPSIS = re.compile(r"(\u2026|\.{2,}|_{2,}|x{3,})", re.IGNORECASE)
_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
_FIELDS = [
    ("title", "tên văn bản (title)"),
    ("number", "số hiệu (number)"),
    ("issuer", "cơ quan ban hành (issuer)"),
    ("url", "đường dẫn (url)"),
    ("file", "tệp (file)"),
]


# Every character a placeholder can have (the scheme's, the ellipsis', spaces): a text with any
# other one (nearly every real title or explanation, at its first letter) is not one, found
# without the strips and substitutions below (five calls per evidence item, every load).
# Case-insensitive like the patterns below, so "ſ" (a long s, which matches "s") counts too.
_ONLY_PLACEHOLDER_CHARS = re.compile(r"[\u2026._xhtps:/\s]*\Z", re.IGNORECASE)


def is_placeholder(text: str) -> bool:
    """Only an ellipsis (or dots, underscores, xxx), a bare scheme, or a scheme and an ellipsis."""
    if _ONLY_PLACEHOLDER_CHARS.match(text) is None:
        return False
    rest = _SCHEME.sub("", text.strip(), count=1)
    if rest != text.strip() and rest.strip() in ("", "/"):
        return True  # "https://", "http:///"
    return bool(rest.strip()) and _ELLIPSIS.fullmatch(rest.strip()) is not None


def _item(item: Evidence, deadline: Day | None) -> Iterator[Problem]:
    found = [(label, getattr(item, key).strip()) for key, label in _FIELDS if _left(getattr(item, key))]
    if found:  # one problem for the item, naming every field still a placeholder
        text = ", ".join(dict.fromkeys(f"'{value}'" for _, value in found))
        yield problem("evidence-placeholder", item.loc, text=text, field=", ".join(f for f, _ in found))
    url = (item.url or "").strip()
    if url.lower().startswith("http://") and not is_placeholder(url):
        yield problem("evidence-not-https", item.loc, url=url)
    if item.date is not None and deadline is not None and item.date > deadline:
        yield problem(
            "evidence-after-deadline",
            item.loc,
            date=f"{item.date:%d/%m/%Y}",
            deadline=f"{deadline:%d/%m/%Y}",
        )


def _left(value: str | None) -> bool:
    return bool(value) and is_placeholder(value or "")


def _score(score: Score, deadline: Day | None) -> Iterator[Problem]:
    for item in score.evidence:
        yield from _item(item, deadline)
    for value, label in ((score.explanation, "giải trình (explanation)"), (score.reason, "lý do (reason)")):
        if value and is_placeholder(value):
            yield problem("evidence-placeholder", score.loc, text=f"'{value.strip()}'", field=label)


@rule
def evidence_text(ctx: Context) -> Iterator[Problem]:
    """evidence-placeholder, evidence-after-deadline, evidence-not-https."""
    a = ctx.data.assessment
    deadline = a.deadline if a is not None else None
    for card in ctx.data.scorecards.values():
        for score in card.scores.values():
            yield from _score(score, deadline)
        approval = card.approved_by  # the scaffold's `# approved_by: {name: "…", …}` uncommented
        if approval is not None and approval.name and is_placeholder(approval.name):
            text, field = f"'{approval.name.strip()}'", "họ tên người phê duyệt (approved_by)"
            yield problem("evidence-placeholder", approval.loc, text=text, field=field)
