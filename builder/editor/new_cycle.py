"""Editor stage: the next cycle's `assessment.yaml`, made from the previous one's text.

Units, groups, reviewers, owners, admins, classes and tiers carry over with their comments;
the cycle, the year in the title and the deadline change; what belonged to the old cycle only
(`closed`, `corrections`, `history: false` of imported data) is left out. Pure text in, text out.
"""

from __future__ import annotations

import re
from datetime import date

_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*):")
DROPPED = ("closed", "corrections", "history")


def next_deadline(previous: date) -> date:
    try:
        return previous.replace(year=previous.year + 1)
    except ValueError:  # 29 February
        return previous.replace(year=previous.year + 1, day=28)


def new_assessment_text(text: str, old: str, new: str, deadline: date) -> tuple[str, list[str]]:
    """The new cycle's assessment text, and notes on what changed for the district to review."""
    notes: list[str] = []
    out: list[str] = []
    dropping = False
    for line in text.splitlines():
        key = _TOP_KEY.match(line)
        if key:
            dropping = key.group(1) in DROPPED
            if dropping:
                notes.append(f"bỏ khóa '{key.group(1)}' của kỳ {old}")
                continue
        elif dropping and (line.startswith((" ", "\t", "-")) or not line.strip()):
            continue
        else:
            dropping = False
        if key and key.group(1) == "cycle":
            line = f'cycle: "{new}"'
        elif key and key.group(1) == "title" and old in line:
            line = line.replace(old, new)
        elif key and key.group(1) == "deadline":
            comment = "  # hạn nộp kỳ mới: huyện kiểm tra lại"
            line = f"deadline: {deadline.isoformat()}{comment}"
            notes.append(f"hạn nộp: {deadline.strftime('%d/%m/%Y')}")
        out.append(line)
    return "\n".join(out) + "\n", notes
