"""Git stage, lateness: what lateness means. `submitted-late` and `late-change` problems
from a cycle's history, and under `late_changes: freeze` the data to score: each scorecard
as it stood at the deadline (read with `GitTree`, so this module needs no git of its own).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from builder.git.history import vn_datetime
from builder.git.repo import GitTree, open_repo
from builder.load.cycle import NarrowedTree, load_cycle
from builder.model import Assessment, CycleData, Loc, Problem, Scorecard
from builder.problems import problem
from builder.results import CycleHistory


class LateWarnings:
    """The submitted-late and late-change warnings of a cycle, worded once for every caller
    (history here, the pull-request check in check.py)."""

    def __init__(self, a: Assessment) -> None:
        assert a.deadline is not None
        self.deadline = a.deadline.strftime("%d/%m/%Y")
        self.tail = "; không tính vào điểm (late_changes: freeze)" if a.late_changes == "freeze" else ""

    def submitted(self, loc: Loc, when: datetime, sha: str) -> Problem:
        date = vn_datetime(when)
        return problem("submitted-late", loc, date=date, commit=sha[:7], deadline=self.deadline)

    def unverifiable(self, loc: Loc, when: datetime, sha: str, reason: str) -> Problem:
        tail = "; các thay đổi của commit này không tính vào điểm" if self.tail else ""
        return problem(
            "landing-time-unverifiable", loc, commit=sha[:7], date=vn_datetime(when), reason=reason, hint=tail
        )

    def changed(self, loc: Loc, cid: str, when: datetime, sha: str) -> Problem:
        return problem(
            "late-change",
            loc,
            id=cid,
            deadline=self.deadline,
            commit=sha[:7],
            date=vn_datetime(when),
            hint=self.tail,
        )


def history_problems(history: CycleHistory, data: CycleData) -> list[Problem]:
    """submitted-late and late-change warnings (none when history is unknown)."""
    a = data.assessment
    if not history.known or a is None or a.deadline is None:
        return []
    warn = LateWarnings(a)
    found = []
    for uid, h in history.units.items():
        card = data.scorecards.get(uid)
        where = card.loc if card else Loc(f"submissions/{data.cycle}/{uid}")
        if h.late and h.submitted_at is not None:
            sha = next((c.commit for c in h.changes if c.event == "submitted"), "")
            found.append(warn.submitted(where, h.submitted_at, sha))
        for change in h.changes:
            if change.unverified:  # one warning for the commit, not one per criterion
                found.append(warn.unverifiable(where, change.date, change.commit, change.unverified))
                continue
            for cid in change.late_criteria:
                loc = card.scores[cid].loc if card and cid in card.scores else where
                found.append(warn.changed(loc, cid, change.date, change.commit))
    return found


class _OneUnit(NarrowedTree):
    """A Tree that shows only one unit's folder of a cycle and no appraisals (to read one
    scorecard as it was at a commit)."""

    def __init__(self, tree: GitTree, cycle: str, unit: str) -> None:
        super().__init__(tree)
        self.cycle, self.unit = cycle, unit

    def list_dir(self, relpath: str) -> list[tuple[str, bool]]:
        if relpath == f"appraisals/{self.cycle}":
            return []
        found = self.tree.list_dir(relpath)
        return [e for e in found if e[0] == self.unit] if relpath == f"submissions/{self.cycle}" else found


def apply_late_changes(root: Path, data: CycleData, history: CycleHistory) -> CycleData:
    """Under `late_changes: freeze`, the data to score: each unit's scorecard as it stood at
    the deadline (or at its late submission), except criteria whose later changes were under
    a supplement request, which take the value of their last requested change."""
    a = data.assessment
    if a is None or a.late_changes != "freeze" or not history.known:
        return data
    frozen = {
        uid: h
        for uid, h in history.units.items()
        if h.deadline_commit and any(c.late_criteria for c in h.changes)
    }
    repo = open_repo(root) if frozen else None
    if repo is None:
        return data
    cards = dict(data.scorecards)
    try:
        for uid, h in frozen.items():
            assert h.deadline_commit is not None
            card = _card_at(repo, h.deadline_commit, data.cycle, uid)
            if card is None:
                cards.pop(uid, None)
                continue
            commits = [c.commit for c in h.changes]
            start = commits.index(h.deadline_commit) + 1 if h.deadline_commit in commits else 0
            legit: dict[str, str] = {}  # criterion → the commit of its last legitimate change
            for change in h.changes[start:]:
                for cid in change.criteria:
                    if cid not in change.late_criteria:
                        legit[cid] = change.commit
            scores = dict(card.scores)
            for cid, sha in legit.items():
                later = _card_at(repo, sha, data.cycle, uid)
                if later is not None and cid in later.scores:
                    scores[cid] = later.scores[cid]
                else:
                    scores.pop(cid, None)
            cards[uid] = replace(card, scores=scores)
    finally:
        repo.close()
    return replace(data, scorecards=cards)


def _card_at(repo: Any, sha: str, cycle: str, unit: str) -> Scorecard | None:
    return load_cycle(_OneUnit(GitTree(repo, sha), cycle, unit), cycle).scorecards.get(unit)
