"""Rules on evidence files: a size limit, content that matches the extension, SHA-256 and size."""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from builder.load.cycle import FolderTree, Tree
from builder.model import Evidence, Problem, Scorecard
from builder.problems import problem
from builder.rules.evidence import file_problem
from builder.rules.registry import Context, rule

DEFAULT_MAX_MB = 50
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# suffix → (what the officer calls it, the signatures its first bytes may start with)
SIGNATURES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("PDF", (b"%PDF-",)),
    "docx": ("Word (.docx)", _ZIP),
    "xlsx": ("Excel (.xlsx)", _ZIP),
    "pptx": ("PowerPoint (.pptx)", _ZIP),
    "odt": ("OpenDocument", _ZIP),
    "ods": ("OpenDocument", _ZIP),
    "odp": ("OpenDocument", _ZIP),
    "zip": ("ZIP", _ZIP),
    "doc": ("Word (.doc)", _OLE),
    "xls": ("Excel (.xls)", _OLE),
    "ppt": ("PowerPoint (.ppt)", _OLE),
    "png": ("ảnh PNG", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("ảnh JPEG", (b"\xff\xd8\xff",)),
    "jpeg": ("ảnh JPEG", (b"\xff\xd8\xff",)),
    "gif": ("ảnh GIF", (b"GIF87a", b"GIF89a")),
    "rtf": ("RTF", (b"{\\rtf",)),
    "rar": ("RAR", (b"Rar!\x1a\x07",)),
    "7z": ("7z", (b"7z\xbc\xaf\x27\x1c",)),
}
HEAD = 16


def max_bytes(ctx: Context) -> int:
    a = ctx.data.assessment
    mb = a.evidence_max_mb if a is not None else DEFAULT_MAX_MB
    return int(mb * 1024 * 1024)


def size_text(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",") if n >= 1024 * 1024 else f"{n} byte"


def file_size(tree: Tree, path: str) -> int | None:
    """A regular file's size, without reading it (a folder's stat, a blob's size in a commit);
    None for a FIFO, a device, a symlink out of the repository or a missing file: never read."""
    size = tree.file_size(path)
    return size if isinstance(size, int) else None


def first_bytes(tree: Tree, path: str) -> bytes:
    if isinstance(tree, FolderTree):
        try:
            with (tree.root / path).open("rb") as f:
                return f.read(HEAD)
        except OSError:
            return b""
    return (tree.read_bytes(path) or b"")[:HEAD]


def matches(suffix: str, start: bytes) -> bool:
    """Whether the first bytes fit the extension (unknown extensions always fit)."""
    if suffix == "webp":
        return start[:4] == b"RIFF" and start[8:12] == b"WEBP"
    if suffix not in SIGNATURES:
        return True
    return start.startswith(SIGNATURES[suffix][1])


def file_path(card: Scorecard, item: Evidence) -> str:
    return posixpath.normpath(f"{card.folder}/{(item.file or '').replace(chr(92), '/')}")


def file_checks(ctx: Context, card: Scorecard, item: Evidence) -> list[Problem]:
    """evidence-file-too-large and evidence-file-type for an existing file inside the folder."""
    if not item.file or file_problem(ctx, card.folder, item) is not None:
        return []
    path = file_path(card, item)
    size = file_size(ctx.tree, path)
    if size is None:
        return []
    limit = max_bytes(ctx)
    if size > limit:
        return [
            problem(
                "evidence-file-too-large",
                item.loc,
                file=item.file,
                size=size_text(size),
                limit=size_text(limit),
            )
        ]
    suffix = item.file.rsplit(".", 1)[-1].lower() if "." in item.file else ""
    if not matches(suffix, first_bytes(ctx.tree, path)):
        kind = SIGNATURES[suffix][0] if suffix in SIGNATURES else suffix.upper()
        return [problem("evidence-file-type", item.loc, file=item.file, kind=kind, suffix=suffix)]
    return []


@rule
def evidence_files(ctx: Context) -> Iterator[Problem]:
    """evidence-file-too-large, evidence-file-type."""
    for card in ctx.data.scorecards.values():
        for score in card.scores.values():
            for item in score.evidence:
                yield from file_checks(ctx, card, item)


@dataclass(frozen=True)
class FileFacts:
    """What anyone can check a published evidence file against."""

    criterion: str
    file: str  # as the unit wrote it
    path: str  # in the repository
    size: int
    sha256: str


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unit_files(ctx: Context, card: Scorecard) -> list[FileFacts]:
    """Each valid evidence file of a unit once per criterion, with its size and SHA-256
    (files over the size limit are named with their size but not hashed: sha256 "")."""
    out = []
    limit = max_bytes(ctx)
    for cid, score in card.scores.items():
        for item in score.evidence:
            if not item.file or file_problem(ctx, card.folder, item) is not None:
                continue
            path = file_path(card, item)
            size = file_size(ctx.tree, path)
            if size is None:
                continue
            data = ctx.tree.read_bytes(path) if size <= limit else None
            sha = digest(data) if data is not None else ""
            out.append(FileFacts(cid, item.file, path, size, sha))
    return out
