"""Git stage: a content-addressed cache of what `check` needs of an untouched unit to rank the others.

A unit's result depends only on its folder (git tree id at the commit), the cycle's criteria
and configuration (the tree id of `criteria/<cycle>`), the appraisal files that mention it (blob
ids) and the code (a hash of the `builder` package's source). The key hashes all of them; the
value is the unit's status, totals, index and class, as a small JSON file under the git dir
(`<git-dir>/par-cache/`, never in the work tree). It is a local speed-up, never a source of
truth: an entry is read defensively (any doubt is a miss, recomputed), written atomically, and a
read-only or full git dir just means no cache. See docs/git-workflow.md "Result cache".
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import yaml

from builder.git.repo import SYMLINK, GitTree
from builder.results import UnitResult

if TYPE_CHECKING:
    from collections.abc import Iterable

SCHEMA = 1  # bump when the value's meaning changes (the code hash changes anyway)
MAX_ENTRY = 16 * 1024  # an entry is a few hundred bytes: anything bigger is not ours
STATUSES = ("submitted", "draft", "missing")
DISABLE_ENV = "PAR_NO_CACHE"


@cache
def code_hash() -> str:
    """The `builder` package's source and its parser's and sums' versions: a result computed by
    other code is never reused."""
    top = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    # the parser and the sums are libraries: another version is another code
    h.update(f"{sys.version_info[:2]} {yaml.__version__} {pd.__version__}\0".encode())
    for path in sorted(top.rglob("*.py")):
        h.update(path.relative_to(top).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def disabled_by_env() -> bool:
    return os.environ.get(DISABLE_ENV, "").strip() not in ("", "0")


def _objects(tree: GitTree, parts: list[str]) -> dict[str, Any] | None:
    """A folder's entries at the commit, without following symlinks (None: not a real folder)."""
    return tree._entries(parts)


def _plain(entries: dict[str, Any]) -> bool:
    """No symlink among the entries: a symlink's blob id says nothing of what it points to."""
    return not any(o.type == "blob" and o.mode == SYMLINK for o in entries.values())


class ResultCache:
    """Entries of one cycle at one commit; `folder` None (a directory that is not ours, or
    symlinks where content is read) means no cache for this run."""

    def __init__(self, folder: Path | None, tree: GitTree, cycle: str) -> None:
        self.folder, self.cycle, self.tree = folder, cycle, tree
        self.hits = self.misses = self.written = 0
        criteria = _objects(tree, ["criteria", cycle])
        units = _objects(tree, ["submissions", cycle])
        appraisals = _objects(tree, ["appraisals", cycle])
        if criteria is None or not _plain(criteria) or (appraisals is not None and not _plain(appraisals)):
            self.folder = None  # content could come from outside what the ids cover
        top = _objects(tree, ["criteria"]) or {}
        self._criteria_id = top[cycle].hexsha if cycle in top else ""
        self._units = units or {}
        self._appraisals = appraisals or {}

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def appraisal_names(self) -> dict[str, list[str]]:
        """Reviewer id (the file's stem, as the loader keys appraisals) → the file names."""
        out: dict[str, list[str]] = {}
        for name in sorted(self._appraisals):
            out.setdefault(name.rsplit(".", 1)[0], []).append(name)
        return out

    def key(self, unit: str, mentions: Iterable[str]) -> str | None:
        """The entry's key; None when the unit's content is not covered by ids (no folder or a
        symlinked one, an appraisal file that is not a plain blob). A symlink inside the folder
        is refused when writing: a tree id names its entries, so a hit had none."""
        obj = self._units.get(unit)
        if obj is None or obj.type != "tree":
            return None
        blobs = []
        for name in sorted(set(mentions)):
            found = self._appraisals.get(name)
            if found is None or found.type != "blob":
                return None
            blobs.append([name, found.hexsha])
        parts = {
            "schema": SCHEMA,
            "code": code_hash(),
            "cycle": self.cycle,
            "unit": unit,
            "folder": obj.hexsha,
            "criteria": self._criteria_id,
            "appraisals": blobs,
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, unit: UnitResult) -> UnitResult | None:
        """The cached result over `unit` (the registry's name, tier and group), or None."""
        if self.folder is None:
            return None
        path = self._path(key)
        found = _parse(_read_small(path), key) if _real_dir(path.parent) else None
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        status, self_total, final_total, maximum, index, classification = found
        return UnitResult(
            unit=unit.unit,
            name=unit.name,
            tier=unit.tier,
            group=unit.group,
            status=status,  # type: ignore[arg-type]
            self_total=self_total,
            final_total=final_total,
            max=maximum,
            index=index,
            classification=classification,
            rank=None,
            late=None,
            fields={},
            leaves={},
        )

    def put(self, key: str, r: UnitResult) -> None:
        """Store atomically (temp file + rename); any OSError (read-only, full disk) turns the
        cache off for the rest of the run, silently: the output never depends on it. Not for a
        folder with a symlink: what it points to is not in the tree id."""
        entries = self.tree._entries(["submissions", self.cycle, r.unit])  # listed by the loader
        if self.folder is None or entries is None or not _plain(entries):
            return
        entry = {
            "schema": SCHEMA,
            "key": key,
            "status": r.status,
            "self_total": _dec(r.self_total),
            "final_total": _dec(r.final_total),
            "max": _dec(r.max),
            "index": [r.index.numerator, r.index.denominator] if r.index is not None else None,
            "classification": r.classification,
        }
        target = self._path(key)
        tmp = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not _real_dir(target.parent):  # a planted symlink would send the write elsewhere
                self.folder = None
                return
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(json.dumps(entry, sort_keys=True))
            os.replace(tmp, target)
            tmp = None
            self.written += 1
        except OSError:
            self.folder = None
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


def cache_folder(tree: GitTree) -> Path | None:
    """`<git-dir>/par-cache/v<SCHEMA>` (the common dir, shared by worktrees: entries are keyed
    by content), or None when it is not a real directory we may use."""
    try:
        common = Path(tree.repo.common_dir)
    except Exception:  # GitPython without common_dir, a broken repository: no cache
        return None
    folder = common / "par-cache" / f"v{SCHEMA}"
    for p in (common / "par-cache", folder):
        try:
            st = os.lstat(p)
        except FileNotFoundError:
            continue
        except OSError:
            return None
        if not stat.S_ISDIR(st.st_mode):  # a symlink planted to redirect writes: not ours
            return None
    return folder


def _real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _read_small(path: Path) -> bytes | None:
    """The entry's bytes if it is a small regular file (not a symlink, FIFO or device)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_ENTRY:
            return None
        return os.read(fd, MAX_ENTRY + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _undec(value: object) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise ValueError(value)
    d = Decimal(value)
    if not d.is_finite():
        raise ValueError(value)
    return d


def _parse(
    data: bytes | None, key: str
) -> tuple[str, Decimal | None, Decimal | None, Decimal | None, Fraction | None, str | None] | None:
    """A well-formed entry for exactly this key and schema, or None (then it is recomputed)."""
    if data is None or len(data) > MAX_ENTRY:
        return None
    try:
        e = json.loads(data.decode("utf-8"))
        if not isinstance(e, dict) or e.get("schema") != SCHEMA or e.get("key") != key:
            return None
        status, index, label = e["status"], e["index"], e["classification"]
        if status not in STATUSES or not (label is None or (isinstance(label, str) and len(label) < 200)):
            return None
        fraction = None
        if index is not None:
            num, den = index
            if type(num) is not int or type(den) is not int or den <= 0 or max(abs(num), den) > 10**60:
                return None
            fraction = Fraction(num, den)
        totals = (_undec(e["self_total"]), _undec(e["final_total"]), _undec(e["max"]))
    except (ValueError, TypeError, KeyError, InvalidOperation, RecursionError, UnicodeDecodeError):
        return None
    return (status, *totals, fraction, label)
