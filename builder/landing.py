"""History stage, part 3: which first-parent commits give a landing time we can trust.

A date on `main` means "landed then" only where the platform made the commit (a merge or
squash commit of a pull request, by one of `trusted_committers`) and it is not dated before
its parent. Anyone can set GIT_COMMITTER_DATE and have a branch fast-forwarded; such commits
get no "on time". One `git log --first-parent` of the main line, no file contents.
"""

from __future__ import annotations

from typing import Any

# untrusted: why, in Vietnamese (the reason of the landing-time-unverifiable warning)
NOT_PLATFORM = (
    "không do nền tảng tạo khi hợp nhất yêu cầu thay đổi (người commit {who} không thuộc trusted_committers)"
)
BACKWARDS = "ghi ngày sớm hơn commit trước nó trên nhánh chính"


def untrusted_commits(repo: Any, tip: str, trusted: tuple[str, ...]) -> dict[str, str]:
    """First-parent commits of `tip` whose landing time cannot be trusted → the reason."""
    config = ["log.showSignature=false"]
    out = repo.git(c=config).log("--first-parent", "--format=%H%x1f%P%x1f%ct%x1f%cn <%ce>", tip)
    rows = [line.split("\x1f", 3) for line in out.splitlines() if line]
    dates = {sha: int(stamp) for sha, _, stamp, _ in rows}
    allowed = {t.strip().lower() for t in trusted}
    found: dict[str, str] = {}
    for sha, parents, stamp, who in rows:
        first = parents.split()[:1]
        if who.strip().lower() not in allowed:
            found[sha] = NOT_PLATFORM.format(who=who.strip())
        elif first and first[0] in dates and int(stamp) < dates[first[0]]:
            found[sha] = BACKWARDS
    return found
