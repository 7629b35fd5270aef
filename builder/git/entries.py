"""Git stage: what history needs of one scorecard version, parsing only the entries that changed.

History asks three things of every version of a scorecard file: its status, each criterion's
entry (as written, without positions or notes) and the evidence files each criterion cites.
A commit usually changes a few lines, so a file in the usual block layout is cut into its
top-level part and one piece of text per entry of `scores:`; a piece whose text is the same as
in the file's previous version gives the same entry, and only new pieces are parsed (each as
the small YAML document it is). Anything outside that layout (anchors, flow-style scores, odd
indentation, a piece that is not one `key: value`, a file that does not parse) is read whole,
as before: the pieces are a shortcut to the same answer, never a different one.

History only asks whether an entry changed, so an entry is kept as a fingerprint of its plain
data (16 bytes), and a piece of text as a fingerprint of the text: what is remembered of each
file is a few bytes per entry, not its parsed values or its text (at 1,000 units the plain
values and piece texts were most of the history's memory). Each criterion id is kept once for
all files, an entry that cites no file shares one empty set, and a piece's answer is one tuple:
at 3,321 units that took the history's working set down by about a third (peak of `score` with
history 310 → 287 MB).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.load.yamlfile import MAX_FILE_BYTES, YNode, read_yaml

Entry = tuple[bytes, frozenset[str]]  # the entry's fingerprint, and the evidence files it cites
Piece = tuple[str, bytes, frozenset[str]]  # a piece's criterion id, and its entry (one tuple, not two)
_NO_FILES: frozenset[str] = frozenset()  # most entries cite no file: one object for all of them


@dataclass
class Part:
    status: str | None
    entries: dict[str, bytes]  # criterion id → the fingerprint of its plain data (no positions)
    files: dict[str, set[str]]  # evidence file (relative to the unit folder) → criterion ids


EMPTY = Part(None, {}, {})
_SCORES = re.compile(r"^scores:[ ]*(?:#.*)?\n", re.M)
_TOP = re.compile(r"^[^ #\n]", re.M)  # a line that starts a top-level key (or anything else)
_SPECIAL = re.compile(r"^(?:---|\.\.\.|%)", re.M)  # documents and directives: read whole
_LINE_BREAKS = ("\r", "\x85", "\u2028", "\u2029", "\t", "&", "\ufeff")
_WHOLE_ABOVE = 300_000  # characters: beyond this a file might reach the node limit


def fingerprint(value: Any) -> bytes:
    """16 bytes that differ when plain data (nested tuples of str) or a text differ."""
    text = value if isinstance(value, str) else repr(value)  # repr of nested str tuples is exact
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def plain(node: YNode) -> Any:
    if node.kind == "map":
        return tuple(sorted((k, plain(v)) for k, v in node.value.items() if k != "note"))
    if node.kind == "seq":
        return tuple(plain(v) for v in node.value)
    return (node.kind, node.value)


def _entry(node: YNode) -> Entry:
    files = set()
    evidence = node.get("evidence")
    for item in evidence.value if evidence is not None and evidence.kind == "seq" else ():
        if (f := item.get("file")) is not None and isinstance(f.value, str):
            files.add(posixpath.normpath(f.value.replace("\\", "/")))
    return fingerprint(plain(node)), frozenset(files) if files else _NO_FILES


def _assemble(status: str | None, entries: dict[str, Entry]) -> Part:
    files: dict[str, set[str]] = defaultdict(set)
    for cid, (_, cited) in entries.items():
        for f in cited:
            files[f].add(cid)
    return Part(status, {cid: e[0] for cid, e in entries.items()}, dict(files))


def _whole(path: str, data: bytes | None) -> tuple[str | None, list[tuple[str, Entry]], bool] | None:
    """The file read whole: its status, its entries in order, and whether it read cleanly."""
    loaded = read_yaml(Path("."), path, data) if data is not None else None
    root = loaded.root if loaded is not None else None
    if loaded is None or root is None or root.kind != "map":
        return None
    status, scores = root.get("status"), root.get("scores")
    entries = [
        (cid, _entry(node))
        for cid, node in (scores.value.items() if scores is not None and scores.kind == "map" else ())
    ]
    return (status.value if status is not None else None), entries, not loaded.problems


def whole(path: str, data: bytes | None) -> Part:
    """The file read whole: what history needs of it (EMPTY when it does not parse)."""
    read = _whole(path, data)
    return _assemble(read[0], dict(read[1])) if read is not None else EMPTY


@dataclass
class _Answers:
    """What one version's pieces said: the status, and each entry piece's answer in the order
    of the pieces (a piece written twice counts once, where it first is); pieces are known by
    the fingerprint of their text."""

    top: bytes
    status: str | None
    entries: dict[bytes, Piece]

    def part(self) -> Part:
        entries: dict[str, Entry] = {}
        for cid, print_, files in self.entries.values():
            entries.setdefault(cid, (print_, files))  # a duplicate key: the first one counts, as in a load
        return _assemble(self.status, entries)


class Versions:
    """Reads successive versions of scorecard files, remembering only each file's latest
    pieces (memory follows the files kept, not the length of the log)."""

    def __init__(self) -> None:
        self.latest: dict[str, tuple[str, _Answers]] = {}  # path → (blob, its answers)
        self.ids: dict[str, str] = {}  # one copy of each criterion id, kept for every file
        self.parsed = 0  # pieces or files parsed: the cost (for tests and benchmarks)

    def forget(self, path: str) -> None:
        self.latest.pop(path, None)

    def part(self, path: str, blob: str, data: bytes | None) -> Part:
        kept = self.latest.get(path)
        if kept is not None and kept[0] == blob:  # the same blob again
            return kept[1].part()
        pieces = _pieces(data)
        if kept is None or pieces is None:  # a new file is read whole, its pieces remembered
            return self._first(path, blob, data, pieces)
        answers = self._answers(path, pieces, kept[1])
        if answers is None:
            return self._first(path, blob, data, None)
        self.latest[path] = (blob, answers)
        return answers.part()

    def _first(self, path: str, blob: str, data: bytes | None, pieces: tuple[str, list[str]] | None) -> Part:
        self.parsed += 1
        self.forget(path)
        read = _whole(path, data)
        if read is None:
            return EMPTY
        status, found, clean = read
        entries = [(self.ids.setdefault(cid, cid), entry) for cid, entry in found]
        if pieces is not None and clean and len(pieces[1]) == len(entries):
            # one piece per key at the entries' indentation: piece i is entry i
            keys = [fingerprint(text) for text in pieces[1]]
            known = {key: (cid, e[0], e[1]) for key, (cid, e) in zip(keys, entries, strict=True)}
            self.latest[path] = (blob, _Answers(fingerprint(pieces[0]), status, known))
        return _assemble(status, dict(entries))

    def _answers(self, path: str, pieces: tuple[str, list[str]], before: _Answers) -> _Answers | None:
        """Each piece's answer, parsed only when its text is new; None: read the file whole."""
        top, texts = pieces
        top_key = fingerprint(top)
        if before.top == top_key:
            status = before.status
        else:
            self.parsed += 1
            read = _top(path, top)
            if read is None:
                return None
            status = read[0]
        known = before.entries
        entries: dict[bytes, Piece] = {}
        for text in texts:
            key = fingerprint(text)
            if key in entries:
                continue
            found = known.get(key)
            if found is None:
                self.parsed += 1
                one = _one_entry(path, text)
                if one is None:
                    return None
                (cid, (print_, files)) = one
                found = (self.ids.setdefault(cid, cid), print_, files)
            entries[key] = found
        return _Answers(top_key, status, entries)


def _pieces(data: bytes | None) -> tuple[str, list[str]] | None:
    """The top-level text (without `scores:`) and the text of each entry of `scores:`, or None
    when the file is not in the plain block layout that makes this safe."""
    if data is None or len(data) > MAX_FILE_BYTES or data.startswith(b"\xef\xbb\xbf"):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(text) > _WHOLE_ABOVE or any(c in text for c in _LINE_BREAKS) or _SPECIAL.search(text):
        return None
    if not text.endswith("\n"):
        text += "\n"
    found = _SCORES.search(text)
    if found is None:
        return None
    end_match = _TOP.search(text, found.end())
    end = end_match.start() if end_match else len(text)
    if _SCORES.search(text, end):  # `scores:` twice
        return None
    section = text[found.end() : end]
    first = re.search(r"^( +)[^ #\n]", section, re.M)
    if first is None:  # `scores:` empty, or only comments
        return text[: found.start()] + text[end:], []
    indent = len(first.group(1))
    if indent > 1 and re.search(rf"^ {{1,{indent - 1}}}[^ #\n]", section, re.M):
        return None  # a line less indented than the entries: not the usual layout
    starts = [m.start() for m in re.finditer(rf"^ {{{indent}}}[^ #\n]", section, re.M)]
    starts[0] = 0  # comments before the first entry go with it
    bounds = [*starts, len(section)]
    entries = [section[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    return text[: found.start()] + text[end:], entries


def _top(path: str, text: str) -> tuple[str | None] | None:
    """The status written in the top-level text (in a 1-tuple); None: read the file whole."""
    loaded = read_yaml(Path("."), path, text.encode("utf-8"))
    root = loaded.root
    if root is None:  # nothing but `scores:` and comments is fine; a syntax error is not
        return (None,) if [p.code for p in loaded.problems] == ["empty-file"] else None
    if root.kind != "map" or "scores" in root.value or loaded.problems:
        return None
    status = root.get("status")
    return (status.value if status is not None else None,)


def _one_entry(path: str, text: str) -> tuple[str, Entry] | None:
    loaded = read_yaml(Path("."), path, text.encode("utf-8"))
    root = loaded.root
    if root is None or root.kind != "map" or len(root.value) != 1 or loaded.problems:
        return None
    (cid, node), *_ = root.value.items()
    return cid, _entry(node)
