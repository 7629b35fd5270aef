"""Git stage: open the data's repository, read a commit as a `Tree`, list what a change touched."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.load.yamlfile import NOT_REGULAR, OUTSIDE, UNOPENABLE
from builder.problems import UsageError

if TYPE_CHECKING:
    import git

SYMLINK = 0o120000
NULL_SHA = "0" * 40


def open_repo(root: Path) -> git.Repo | None:
    """The Git repository whose work tree is exactly `root`; None for a plain folder (also a
    folder nested inside another repository: its history is not the data's) or without git."""
    try:
        import git
    except ImportError:  # GitPython cannot find the git program
        return None
    try:
        repo = git.Repo(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    top = repo.working_tree_dir
    if repo.bare or top is None or Path(top).resolve() != root.resolve():
        repo.close()
        return None
    return repo


class GitTree:
    """A `Tree` (builder/load/cycle.py) over one commit: reads files as they were, without checkout."""

    def __init__(self, repo: git.Repo, rev: str) -> None:
        self.repo = repo
        self.commit = repo.commit(rev)
        self.sha: str = self.commit.hexsha
        self.date: datetime = self.commit.committed_datetime
        self._dirs: dict[str, dict[str, Any]] = {"": {o.name: o for o in self.commit.tree}}

    def _entries(self, parts: list[str]) -> dict[str, Any] | None:
        key = "/".join(parts)
        if key not in self._dirs:
            parent = self._entries(parts[:-1])
            obj = parent.get(parts[-1]) if parent is not None else None
            if obj is None or obj.type != "tree":
                return None
            self._dirs[key] = {o.name: o for o in obj}
        return self._dirs[key]

    def _resolve(self, relpath: str) -> tuple[list[str], Any] | None:
        """Walk the path, following symlink blobs; (resolved parts, object) or None. Parts
        starting with '..' mean the path leaves the repository."""
        pending = [p for p in relpath.split("/") if p not in ("", ".")]
        done: list[str] = []
        obj: Any = None
        hops = 0
        while pending:
            name = pending.pop(0)
            if name == "..":
                if not done:  # above the root: outside the repository
                    return ["..", *pending], None
                done.pop()
                obj = None
                continue
            entries = self._entries(done)
            obj = entries.get(name) if entries is not None else None
            if obj is None:
                return None
            if obj.type == "blob" and obj.mode == SYMLINK:
                hops += 1
                target = obj.data_stream.read().decode("utf-8", "replace")
                if hops > 40 or target.startswith("/"):
                    return ["..", target.lstrip("/")], None
                pending = [p for p in target.split("/") if p not in ("", ".")] + pending
                continue
            done.append(name)
        return done, obj

    def list_dir(self, relpath: str) -> list[tuple[str, bool]]:
        found = self._resolve(relpath)
        if found is None or (found[1] is not None and found[1].type != "tree"):
            return []
        entries = self._entries(found[0]) if found[0][:1] != [".."] else None
        out = []
        for name, obj in (entries or {}).items():
            if obj.type == "blob" and obj.mode == SYMLINK:
                target = self._resolve("/".join([*found[0], name]))
                out.append((name, bool(target and target[1] is not None and target[1].type == "tree")))
            elif obj.type in ("blob", "tree"):
                out.append((name, obj.type == "tree"))
        return sorted(out)

    def read_bytes(self, relpath: str) -> bytes | None:
        found = self._resolve(relpath)
        if found is None or found[1] is None or found[1].type != "blob":
            return None
        data: bytes = found[1].data_stream.read()
        return data

    def file_size(self, relpath: str) -> int | str:
        """A blob's size from the object database, without reading it; symlink blobs are
        followed inside the commit, one out of it (or to /dev/zero) is refused."""
        found = self._resolve(relpath)
        if found is None:
            return UNOPENABLE
        if found[1] is None and found[0][:1] == [".."]:
            return OUTSIDE
        if found[1] is None or found[1].type != "blob":
            return NOT_REGULAR
        size: int = found[1].size
        return size

    def real_path(self, relpath: str) -> str | None:
        found = self._resolve(relpath)
        if found is None:
            return None
        return "/".join(found[0])


def open_tree(root: Path, rev: str) -> GitTree:
    """The data at `rev`, for `--rev`; a usage error (exit 2) when there is no such commit."""
    repo = open_repo(root)
    if repo is None:
        raise UsageError(f"{root} không phải gốc của một kho Git: không dùng được --rev/--base")
    try:
        return GitTree(repo, rev)
    except Exception as err:  # gitdb BadName, ValueError, GitCommandError: an unknown revision
        raise UsageError(f"Không có phiên bản (commit) '{rev}' trong kho Git ({type(err).__name__})") from err


def changed_paths(base: GitTree, head: GitTree) -> tuple[list[str], str | None]:
    """Paths changed from the merge base of `base` and `head` to `head` (what a pull request
    changes); a two-point diff with a note when the two have no common history here."""
    note = None
    try:
        start = base.repo.git.merge_base(base.sha, head.sha).split()[0]
    except Exception:  # no common ancestor (e.g. a shallow clone): compare the two commits
        start = base.sha
        note = "Không tìm thấy commit chung của --base và --head: so sánh trực tiếp hai commit."
    out = head.repo.git.diff("--name-only", "--no-renames", "-z", start, head.sha)
    return sorted({p for p in out.split("\0") if p}), note


def uncommitted_paths(root: Path, folders: tuple[str, ...]) -> tuple[str, ...] | None:
    """Files under `folders` that differ from HEAD in the work tree (changed, staged, new or
    deleted), relative to the root; None when `root` is not a repository (nothing to compare)."""
    repo = open_repo(root)
    if repo is None:
        return None
    try:
        if not repo.head.is_valid():
            return None
        out = repo.git.status("--porcelain=v1", "-z", "--untracked-files=all", "--", *folders)
    except Exception:  # a broken repository: the footer then names no version at all
        return None
    finally:
        repo.close()
    paths, entries = [], out.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        if len(entry) > 3:
            paths.append(entry[3:])
            if entry[0] in "RC":  # a rename or copy carries its old path next
                i += 1
        i += 1
    return tuple(sorted(set(paths)))
