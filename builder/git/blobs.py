"""Git stage: blob contents streamed in a known order from one `git cat-file --batch`.

History knows every blob it will read as soon as the log is parsed. Asking for them one at a
time costs a round trip to `git` per blob (a flush, a wait, a read: most of the history's wall
time on a busy machine); here a thread writes all the ids ahead and the contents are read back
in the same order as they are needed. The pipe's buffer bounds what waits in memory, not the
length of the log. A blob needed again later is asked for once: its reader keeps the answer
(see `history.py`), so each id is in the list once.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from builder.load.yamlfile import MAX_FILE_BYTES

if TYPE_CHECKING:
    import git


class BlobStream:
    """The contents of `ids`, one `next(id)` call each, in the order given; None for a blob
    that is missing (beyond a shallow boundary) or larger than `MAX_FILE_BYTES` (drained, never
    kept). Always `close()` it (a `with` block): the `git` process is ended there."""

    def __init__(self, repo: git.Repo, ids: Iterable[str]) -> None:
        self._ids = list(ids)
        self._proc: subprocess.Popen[bytes] | None = None
        self._handle: Any = None
        self._writer: threading.Thread | None = None
        if not self._ids:
            return
        # GitPython's handle ends the process when it is collected: kept for as long as it is read
        self._handle = repo.git.cat_file("--batch", as_process=True, istream=subprocess.PIPE)
        proc = self._proc = self._handle.proc
        self._writer = threading.Thread(target=_feed, args=(proc.stdin, self._ids), daemon=True)
        self._writer.start()

    def __enter__(self) -> BlobStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def next(self, sha: str) -> bytes | None:
        proc = self._proc
        if proc is None or proc.stdout is None:
            raise RuntimeError(f"blob {sha} was not asked for")  # a bug in the caller, not bad data
        out = proc.stdout
        header = out.readline().decode("ascii", "replace").split()
        if not header or header[0] != sha:
            raise RuntimeError(f"git cat-file answered {header!r} for {sha}")  # out of step: a bug
        if len(header) < 3 or header[1] == "missing":
            return None
        size = int(header[2])
        if size > MAX_FILE_BYTES:  # read past it in small pieces: never held whole
            left = size + 1
            while left > 0:
                left -= len(out.read(min(left, 1 << 16)) or b"x" * left)
            return None
        data = out.read(size)
        out.read(1)  # the newline after each content
        return data if header[1] == "blob" else None

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for stream in (proc.stdout, proc.stdin):
            try:
                if stream is not None:
                    stream.close()
            except OSError:  # the writer thread may be closing stdin at the same moment
                pass
        proc.kill()
        proc.wait()
        if self._writer is not None:
            self._writer.join()


def _feed(stdin: IO[bytes] | None, ids: list[str]) -> None:
    if stdin is None:
        return
    try:
        for start in range(0, len(ids), 512):
            stdin.write("".join(f"{sha}\n" for sha in ids[start : start + 512]).encode("ascii"))
        stdin.close()
    except (OSError, ValueError):  # the reader stopped early and closed the pipe: nothing to do
        pass
