"""Site stage: publish atomically: one build at a time, a sibling temp folder swapped in on success.

`site/` is replaced by two renames (old away, new in); between them, a few microseconds, a kill
leaves the previous site as `site.old-<pid>`, which the next build puts back before starting.
Folders of builds that died (`site.tmp-<pid>`, `site.old-<pid>`) are removed by the next build.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.problems import UsageError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: msvcrt's lock, also released on death
    fcntl = None  # type: ignore[assignment]
    import msvcrt

LOCK = ".par-build.lock"
PAUSE = "PAR_FAULT_PAUSE"


def fault_point(name: str) -> None:
    """For the fault tests only: with PAR_FAULT_PAUSE=<name>, say so on stderr and wait there
    until killed, so a test can interrupt the build at a named point without timing."""
    if os.environ.get(PAUSE) == name:
        sys.stderr.write(f"{PAUSE} {name}\n")
        sys.stderr.flush()
        while True:
            time.sleep(1)


@contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """Hold `<folder>/.par-build.lock` (flock: released when the process dies, however it
    dies); a second build meanwhile is a usage error."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK, "a+b") as handle:
        try:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:  # pragma: no cover
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError as err:
            if fcntl is not None and not isinstance(err, BlockingIOError):
                raise
            raise UsageError(
                f"một lệnh dựng trang khác đang chạy (đang giữ {folder / LOCK}); "
                "hãy chờ lệnh đó xong rồi chạy lại"
            ) from None
        yield  # closing the file releases the lock


def _pid_of(path: Path, prefix: str) -> int | None:
    tail = path.name[len(prefix) :]
    return int(tail) if tail.isdigit() else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a folder left by an earlier process that had our number
    if os.name == "nt":  # pragma: no cover - no signal 0 there (os.kill would terminate it)
        return False  # the build lock already keeps builds of one build folder apart
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed process not yet reaped (a zombie) is dead too
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def recover(site: Path) -> None:
    """Undo what a killed build left: the previous site put back if the kill fell between the
    two renames, then the temp folders of dead builds removed."""
    leftovers = []
    for kind in ("old", "tmp"):
        prefix = f"{site.name}.{kind}-"
        for path in sorted(site.parent.glob(f"{prefix}*")):
            pid = _pid_of(path, prefix)
            if pid is not None and path.is_dir() and not _alive(pid):
                leftovers.append((kind, path))
    for kind, path in leftovers:
        if kind == "old" and not site.exists():
            path.rename(site)
        else:
            shutil.rmtree(path, ignore_errors=True)


def temp_site(site: Path) -> Path:
    """A fresh sibling folder for MkDocs to write the new site into (same file system, so the
    swap is a rename)."""
    tmp = site.parent / f"{site.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    return tmp


def swap(tmp: Path, site: Path) -> None:
    """Put the finished site in place of the previous one."""
    old = site.parent / f"{site.name}.old-{os.getpid()}"
    if site.exists():
        site.rename(old)
    try:
        fault_point("swap")
        tmp.rename(site)
    except BaseException:  # Ctrl+C between the two renames: the previous site back in place
        if old.exists() and not site.exists():
            old.rename(site)
        raise
    if old.exists():
        shutil.rmtree(old)
