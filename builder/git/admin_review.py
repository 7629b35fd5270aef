"""Git stage, the pull-request check: which changed paths need a district administrator's review.

Anything that is not a unit's or the council's data, or prose. The code, the workflows, the
Makefile, pyproject.toml, the site's templates and the schemas decide every unit's result, so a
change to them is never judged by the check alone (the check runs the base branch's code; a change
to that code has its effect only after it is merged)."""

from __future__ import annotations

# data and prose: what units, reviewers and the district edit day to day
DATA = ("submissions/", "appraisals/", "criteria/", "docs/")
PROSE = (".md",)  # README.md and other top-level notes


def needs_admin_review(paths: list[str]) -> list[str]:
    """The paths of a change that are code, workflows, build files or templates (an allowlist of
    data: a new kind of file, e.g. a `conftest.py` or `mkdocs.yml`, needs review too)."""
    found = []
    for path in paths:
        if path.startswith(DATA):
            continue
        if "/" not in path and path.endswith(PROSE):
            continue
        found.append(path)
    return found
