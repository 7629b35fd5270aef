"""Rules on evidence items: a safe link or a file inside the unit's folder, full details."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from builder.model import Evidence, Problem, Score
from builder.problems import problem
from builder.rules.registry import Context, rule

_DETAILS = [
    ("number", "số hiệu (number)"),
    ("date", "ngày ban hành (date)"),
    ("issuer", "cơ quan ban hành (issuer)"),
]


def file_problem(ctx: Context, folder: str, item: Evidence) -> Problem | None:
    """evidence-file-outside or evidence-file-missing for a `file:` entry."""
    name = (item.file or "").replace("\\", "/")
    joined = posixpath.normpath(posixpath.join(folder, name))
    if name.startswith("/") or ":" in name.split("/")[0] or not joined.startswith(folder + "/"):
        return problem("evidence-file-outside", item.loc, file=item.file)
    real = ctx.tree.real_path(joined)
    if real is None:
        return problem("evidence-file-missing", item.loc, file=item.file)
    if not real.startswith(folder + "/"):  # a symlink that leaves the unit's folder
        return problem("evidence-file-outside", item.loc, file=item.file)
    return None


def item_problems(ctx: Context, folder: str, score: Score, item: Evidence) -> Iterator[Problem]:
    if not item.url and not item.file:
        yield problem("evidence-no-link", item.loc)
    if item.url and not item.url.lower().startswith(("http://", "https://")):
        yield problem("evidence-bad-url", item.loc, url=item.url)
    if item.file and (found := file_problem(ctx, folder, item)) is not None:
        yield found
    missing = [label for key, label in _DETAILS if not getattr(item, key)]
    if missing and not score.explanation:
        yield problem("evidence-incomplete", item.loc, missing=", ".join(missing))


@rule
def evidence(ctx: Context) -> Iterator[Problem]:
    """evidence-no-link, evidence-bad-url, evidence-file-outside, evidence-file-missing,
    evidence-incomplete."""
    for card in ctx.data.scorecards.values():
        for score in card.scores.values():
            for item in score.evidence:
                yield from item_problems(ctx, card.folder, score, item)
