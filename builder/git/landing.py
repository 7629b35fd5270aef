"""History stage, part 3: which first-parent commits give a landing time we can trust.

A date on `main` means "landed then" only where the platform made the commit (a merge or
squash commit of a pull request, by one of `trusted_committers`) and it is not dated before
its parent. Anyone can set GIT_COMMITTER_DATE and have a branch fast-forwarded; such commits
get no "on time". One `git log --first-parent` of the main line, no file contents.
"""

from __future__ import annotations

import subprocess
import tempfile
from typing import Any

KEYS = ".github/trusted-keys.asc"  # the platform's public signing keys, for verify_signatures

# untrusted: why, in Vietnamese (the reason of the landing-time-unverifiable warning)
NOT_PLATFORM = (
    "không do nền tảng tạo khi hợp nhất yêu cầu thay đổi (người commit {who} không thuộc trusted_committers)"
)
BACKWARDS = "ghi ngày sớm hơn commit trước nó trên nhánh chính"
UNSIGNED = f"không có chữ ký hợp lệ của nền tảng (verify_signatures: true, khóa trong {KEYS})"


def untrusted_commits(repo: Any, tip: str, trusted: tuple[str, ...], verify: bool = False) -> dict[str, str]:
    """First-parent commits of `tip` whose landing time cannot be trusted → the reason. With
    `verify`, a trusted commit must also carry a good signature by a key of KEYS (at `tip`)."""
    with tempfile.TemporaryDirectory(prefix="builder-gpg-") as home:
        signed = verify and _keyring(repo, tip, home)
        fmt = "--format=%H%x1f%P%x1f%ct%x1f%G?%x1f%cn <%ce>"
        with repo.git.custom_environment(GNUPGHOME=home):
            config = ["log.showSignature=false", "gpg.program=gpg"]
            out = repo.git(c=config).log("--first-parent", fmt if signed else fmt.replace("%G?", "N"), tip)
    rows = [line.split("\x1f", 4) for line in out.splitlines() if line]
    dates = {sha: int(stamp) for sha, _, stamp, _, _ in rows}
    allowed = {t.strip().lower() for t in trusted}
    found: dict[str, str] = {}
    for sha, parents, stamp, mark, who in rows:
        first = parents.split()[:1]
        if who.strip().lower() not in allowed:
            found[sha] = NOT_PLATFORM.format(who=who.strip())
        elif first and first[0] in dates and int(stamp) < dates[first[0]]:
            found[sha] = BACKWARDS
        elif verify and mark not in ("G", "U"):  # U: good, the key's owner trust unknown
            found[sha] = UNSIGNED
    return found


def _keyring(repo: Any, tip: str, home: str) -> bool:
    """Import the keys shipped at `tip` into a fresh GnuPG home; False without usable keys."""
    try:
        keys = repo.git.show(f"{tip}:{KEYS}", stdout_as_string=False)
        done = subprocess.run(
            ["gpg", "--batch", "--quiet", "--homedir", home, "--import"],
            input=keys,
            capture_output=True,
            timeout=60,
        )
    except Exception:  # no key file at tip, or no gpg program: nothing verifies
        return False
    return done.returncode == 0
