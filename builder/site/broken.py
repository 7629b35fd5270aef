"""One unit can never block publication for everyone: errors on `main` inside one unit's
folder (two green pull requests that together score a criterion twice, say) keep that unit
out of the ranking, published as "dữ liệu đang có lỗi" with its problem lines; every other
unit is scored and ranked as usual. Errors outside unit folders (criteria, assessment,
appraisals) still stop the build: they are the district's and concern every unit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from builder.model import Problem
from builder.score import score_cycle
from builder.site.writer import SiteCycle

LABEL = "Dữ liệu đang có lỗi"


def unit_of(cycle: str, p: Problem) -> str | None:
    """The unit folder a problem is in (submissions/<cycle>/<unit>/…), else None."""
    parts = p.path.split("/")
    if len(parts) >= 4 and parts[0] == "submissions" and parts[1] == cycle:
        return parts[2]
    return None


def quarantine(c: SiteCycle) -> tuple[SiteCycle, list[Problem]]:
    """The cycle with units whose folder has errors unscored and unranked (their scorecards
    left out, so others rank as usual), and the errors that no unit owns (these block)."""
    broken: dict[str, list[Problem]] = defaultdict(list)
    blocking = []
    for p in c.problems:
        if p.level != "error":
            continue
        uid = unit_of(c.data.cycle, p)
        if uid is None:
            blocking.append(p)
        else:
            broken[uid].append(p)
    if not broken:
        return c, blocking
    kept = {uid: card for uid, card in c.data.scorecards.items() if uid not in broken}
    data = replace(c.data, scorecards=kept)
    late = c.history.late() if c.history is not None else None
    marked = {uid: tuple(found) for uid, found in broken.items()}
    return replace(c, data=data, result=score_cycle(data, late), broken=marked), blocking
