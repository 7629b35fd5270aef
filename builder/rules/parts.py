"""Rules on the district's own scorecard, written in parts by its departments."""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Iterator

from builder.model import Problem
from builder.problems import problem
from builder.rules.registry import Context, rule


@rule
def department_parts(ctx: Context) -> Iterator[Problem]:
    """part-outside-department: in the folder of a unit alone in its tier (the district), the
    part `<reviewer>.yaml` is that department's (Công văn 1202, mục 2; it also owns the file
    in CODEOWNERS) and may score only the criteria of the reviewer's `criteria`."""
    a = ctx.data.assessment
    if a is None or not a.reviewers:
        return
    per_tier = Counter(u.tier for u in a.units.values())
    for uid, card in ctx.data.scorecards.items():
        unit = a.units.get(uid)
        if unit is None or per_tier[unit.tier] != 1:
            continue
        for cid, score in card.scores.items():
            name = posixpath.basename(score.loc.path)
            reviewer = a.reviewers.get(name.rsplit(".", 1)[0])
            if reviewer is None or any(cid == c or cid.startswith(c + ".") for c in reviewer.criteria):
                continue
            assigned = ", ".join(reviewer.criteria) or "chưa giao tiêu chí nào"
            yield problem(
                "part-outside-department",
                score.loc,
                id=cid,
                reviewer=reviewer.name,
                assigned=assigned,
                part=name,
            )
