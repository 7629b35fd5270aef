"""Git stage, ownership: who may change which file, from the `owners` of units and reviewers and the
`admins` of assessment.yaml; written as `.github/CODEOWNERS` and checked by `check --actor`.

Units own `submissions/<cycle>/<unit>/`, reviewers `appraisals/<cycle>/<reviewer>.yaml`; in
the folder of a unit alone in its tier (the district itself) each reviewer (department) also
owns its part `<reviewer>.yaml`; the newest cycle's `admins` own everything else. Only
assessment.yaml decides, so adding a scorecard never makes CODEOWNERS stale.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

from builder.load.cycle import Tree, cycles
from builder.load.parse_config import parse_assessment
from builder.load.reader import Reader
from builder.load.yamlfile import read_yaml
from builder.model import Assessment

CODEOWNERS = ".github/CODEOWNERS"
# GitHub and GitLab logins, @org/team, or an e-mail address; anything else could inject lines
OWNER = re.compile(r"^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$|^[^@\s]+@[^@\s]+$")
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
ADMIN_PATHS = ["/criteria/", "/.github/", "/builder/", "/site_templates/", "/schemas/"]

HEADER = """\
# Tệp do `python -m builder codeowners` sinh ra từ criteria/*/assessment.yaml: đừng sửa tay.
# Generated from the owners of units and reviewers and the admins of the newest cycle; CI
# runs `python -m builder codeowners --check`. The last matching line wins.
"""


@dataclass(frozen=True)
class Rule:
    pattern: str
    owners: tuple[str, ...]
    comment: str = ""


@dataclass
class Ownership:
    rules: list[Rule] = field(default_factory=list)
    admins: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)

    def owners_of(self, path: str) -> tuple[str, ...]:
        """The owners of a path relative to the root (the last matching rule wins)."""
        found: tuple[str, ...] = ()
        for rule in self.rules:
            if matches(rule.pattern, path):
                found = rule.owners
        return found

    def may_change(self, login: str, path: str) -> bool:
        """Whether `login` owns `path` or is an admin (teams are not expanded)."""
        who = normalize(login).lower()
        return who in {o.lower() for o in (*self.admins, *self.owners_of(path))}


def normalize(owner: str) -> str:
    """'ban-bo' → '@ban-bo'; '@ban-bo' and e-mail addresses are kept."""
    owner = owner.strip()
    return owner if owner.startswith("@") or "@" in owner else f"@{owner}"


def matches(pattern: str, path: str) -> bool:
    """CODEOWNERS matching for the patterns written here: '*', '/dir/' and '/file'."""
    if pattern == "*":
        return True
    anchored = pattern.lstrip("/")
    if pattern.endswith("/"):
        parts, prefix = path.split("/"), anchored.rstrip("/").split("/")
        return len(parts) > len(prefix) and all(
            fnmatch.fnmatchcase(p, q) for p, q in zip(parts, prefix, strict=False)
        )
    parts, wanted = path.split("/"), anchored.split("/")
    return len(parts) == len(wanted) and all(
        fnmatch.fnmatchcase(p, q) for p, q in zip(parts, wanted, strict=True)
    )


_PARSED: dict[tuple[str, bytes], Assessment | None] = {}  # a national registry parses in seconds
PARSED_KEPT = 8  # one run reads the same file at base, head, for ownership and closing


def read_assessment(tree: Tree, cycle: str) -> Assessment | None:
    """A cycle's configuration; the same bytes at another commit (or read again) are parsed once
    per process (an Assessment is frozen and never changed by its readers)."""
    path = f"criteria/{cycle}/assessment.yaml"
    data = tree.read_bytes(path)
    if data is None:
        return None
    if (path, data) not in _PARSED:
        root = read_yaml(Path("."), path, data).root
        remember_assessment(path, data, parse_assessment(Reader(path), root) if root is not None else None)
    return _PARSED[(path, data)]


def remember_assessment(path: str, data: bytes, a: Assessment | None) -> None:
    """What `path` with these bytes parses to (the loader read it already, the same way)."""
    if len(_PARSED) >= PARSED_KEPT:
        _PARSED.pop(next(iter(_PARSED)))
    _PARSED[(path, data)] = a


def ownership(tree: Tree) -> Ownership:
    """Rules from every cycle's assessment; admins from the newest cycle that declares any."""
    result = Ownership()

    def owners(values: tuple[str, ...], where: str) -> tuple[str, ...]:
        good = []
        for value in values:
            owner = normalize(value)
            if OWNER.match(owner):
                good.append(owner)
            else:
                result.warnings.append(f"{where}: bỏ qua người phụ trách không hợp lệ '{value}'")
        return tuple(dict.fromkeys(good))

    per_cycle: list[tuple[str, Assessment]] = []
    for cycle in cycles(tree):
        a = read_assessment(tree, cycle)
        if a is None:
            continue
        if not SAFE_NAME.match(cycle):
            result.warnings.append(f"kỳ '{cycle}': tên thư mục có ký tự đặc biệt, bỏ qua")
            continue
        per_cycle.append((cycle, a))
        if a.admins:
            result.admins = owners(a.admins, f"criteria/{cycle}/assessment.yaml (admins)")
    if not result.admins:
        result.warnings.append(
            "chưa khai báo 'admins' trong assessment.yaml: criteria/, .github/ và các tệp "
            "chung không có người phụ trách"
        )
    if result.admins:
        result.rules.append(Rule("*", result.admins, "Cán bộ huyện (admins): mọi tệp chung"))
        result.rules += [Rule(p, result.admins) for p in ADMIN_PATHS]
    for cycle, a in per_cycle:
        where = f"criteria/{cycle}/assessment.yaml"
        reviewer_owners = {r.id: owners(r.owners, where) for r in a.reviewers.values()}
        first = True
        for unit in a.units.values():
            unit_owners = owners(unit.owners, where)
            if unit_owners:
                comment = f"Kỳ {cycle}: mỗi đơn vị phụ trách thư mục phiếu của mình" if first else ""
                result.rules.append(Rule(f"/submissions/{cycle}/{unit.id}/", unit_owners, comment))
                first = False
            # the district's own scorecard (the only unit of its tier) is written by the
            # departments, each its own part file (Công văn 1202, mục 2)
            if sum(1 for u in a.units.values() if u.tier == unit.tier) == 1:
                for rid, rev_owners in reviewer_owners.items():
                    both = tuple(dict.fromkeys((*unit_owners, *rev_owners)))
                    if rev_owners:
                        result.rules.append(Rule(f"/submissions/{cycle}/{unit.id}/{rid}.yaml", both))
        first = True
        for rid, rev_owners in reviewer_owners.items():
            if rev_owners:
                comment = f"Kỳ {cycle}: mỗi thành viên Hội đồng phụ trách tệp thẩm định" if first else ""
                result.rules.append(Rule(f"/appraisals/{cycle}/{rid}.yaml", rev_owners, comment))
                first = False
    return result


def render(own: Ownership) -> str:
    lines = [HEADER.rstrip("\n")]
    for rule in own.rules:
        if rule.comment:
            lines += ["", f"# {rule.comment}"]
        lines.append(f"{rule.pattern} {' '.join(rule.owners)}")
    return "\n".join(lines) + "\n"
