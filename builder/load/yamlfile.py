"""Load stage, part 1: read one YAML file into nodes that keep their line and column.

PyYAML's C loader composes the node graph; we turn it into `YNode`s whose scalars keep the
text exactly as written (`1.10` stays "1.10", `"01"` is not 1). Nothing here raises for bad
input: every defect becomes a `Problem` and the file is skipped or read as far as it goes.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from builder.load.yaml_hints import explain
from builder.model import Loc, Problem
from builder.problems import problem

try:
    from yaml import CSafeLoader as _Loader

    HAS_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    HAS_LIBYAML = False
    warnings.warn(
        "PyYAML không có LibYAML: đọc YAML chậm hơn khoảng 5 lần. Cài PyYAML kèm libyaml.",
        stacklevel=1,
    )

UNOPENABLE = "không mở được tệp"
OUTSIDE = "đây là liên kết (symlink) trỏ ra ngoài kho dữ liệu; hãy thay bằng chính tệp đó"
NOT_REGULAR = "đây không phải tệp thông thường (mà là thư mục, FIFO hay thiết bị); hãy thay bằng tệp YAML"


class _Composer(_Loader):  # type: ignore[misc,valid-type]
    """The C loader with a cheaper tag resolution: the composer asks Python for the tag of
    every scalar; a plain scalar whose first character starts no implicit type (a title, a
    name) is a string at once, the others are remembered by text (keys repeat in every file).
    Same tags as PyYAML's: only the way to them is shorter (no path resolvers are declared)."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode:
            if implicit[0] and (not value or value[0] in _IMPLICIT_FIRST):
                tag = _RESOLVED.get(value)
                if tag is None:
                    tag = super().resolve(kind, value, implicit)
                    if len(_RESOLVED) < 50_000:
                        _RESOLVED[value] = tag
                return tag
            return _STR
        return super().resolve(kind, value, implicit)


_IMPLICIT_FIRST = frozenset(k for k in _Loader.yaml_implicit_resolvers if k)
assert None not in _Loader.yaml_implicit_resolvers  # no wildcard resolver to consult
_RESOLVED: dict[str, str] = {}
_STR = "tag:yaml.org,2002:str"


MAX_FILE_BYTES = 2 * 1024 * 1024  # a scorecard is a few KB; 2 MB is generous
MAX_NODES = 200_000

_TAGS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "date",
    "tag:yaml.org,2002:map": "map",
    "tag:yaml.org,2002:seq": "seq",
}


class YNode:
    """A YAML node: `value` is dict[str, YNode], list[YNode] or the scalar's text as written.

    A plain object with slots that keeps its position as two integers: the `Loc` of a node or
    of a key is made only when asked for (a rule reporting on it), not once per scalar read.
    """

    __slots__ = ("kind", "value", "path", "line", "col", "quoted", "flow", "key_marks")

    def __init__(
        self,
        kind: str,  # map | seq | str | int | float | bool | null | date | other
        value: Any,
        path: str,
        line: int,
        col: int,
        quoted: bool = False,
        flow: bool = False,  # written inline: {a: 1} or [1, 2]
        key_marks: dict[str, tuple[int, int]] | None = None,  # key → (line, column) of a map
    ) -> None:
        self.kind, self.value, self.path, self.line, self.col = kind, value, path, line, col
        self.quoted, self.flow, self.key_marks = quoted, flow, key_marks

    @property
    def loc(self) -> Loc:
        return Loc(self.path, self.line, self.col)

    def get(self, key: str) -> YNode | None:
        if self.kind != "map":
            return None
        node: YNode | None = self.value.get(key)
        return node

    def key_loc(self, key: str) -> Loc:
        mark = self.key_marks.get(key) if self.key_marks else None
        return Loc(self.path, *mark) if mark else self.loc

    def __repr__(self) -> str:
        return f"YNode({self.kind!r}, {self.value!r}, {self.path}:{self.line}:{self.col})"


@dataclass
class YamlFile:
    """One file read: its root node (None when unreadable) and the problems found."""

    path: str
    root: YNode | None
    problems: list[Problem]


def _loc(path: str, mark: Any) -> Loc:
    return Loc(path, mark.line + 1, mark.column + 1)


# non-blocking (a FIFO), never a controlling terminal, binary on Windows (no CRLF translation)
_OPEN_FLAGS = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


def open_regular(inside: Path, path: Path) -> tuple[int, int] | str:
    """(descriptor, size) of the regular file `path` if it lies inside the folder `inside`
    (resolved), else why not (Vietnamese). Opened non-blocking, so a FIFO never hangs, and
    checked with fstat after opening, so nothing is swapped in between."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a broken symlink, a symlink loop
        return UNOPENABLE
    if not real.is_relative_to(inside):
        return OUTSIDE
    try:
        fd = os.open(real, os.O_RDONLY | _OPEN_FLAGS)
    except OSError as err:
        return err.strerror or UNOPENABLE
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        return NOT_REGULAR
    return fd, info.st_size


def read_yaml(
    root: Path, relpath: str, data: bytes | None = None, texts: dict[str, str] | None = None
) -> YamlFile:
    """Read `root/relpath` (or the given bytes, e.g. a blob from Git history). `texts`, shared
    by the files of one load, keeps one copy of each scalar text that repeats (an issuer, a
    document number, a template title): a loaded cycle holds its texts for the whole run."""
    problems: list[Problem] = []
    if data is None:
        opened = open_regular(root.resolve(), root / relpath)
        if isinstance(opened, str):
            return YamlFile(relpath, None, [problem("file-unreadable", Loc(relpath), reason=opened)])
        fd, size = opened
        if size > MAX_FILE_BYTES:
            os.close(fd)
            return YamlFile(
                relpath, None, [problem("file-too-large", Loc(relpath), size=size, limit=MAX_FILE_BYTES)]
            )
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        problems.append(problem("file-too-large", Loc(relpath), size=len(data), limit=MAX_FILE_BYTES))
        return YamlFile(relpath, None, problems)
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(problem("yaml-bom", Loc(relpath)))
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        line_start = data.rfind(b"\n", 0, err.start) + 1
        col = len(data[line_start : err.start].decode("utf-8", "replace")) + 1
        problems.append(problem("not-utf8", Loc(relpath, line, col)))
        return YamlFile(relpath, None, problems)
    tab = _tab_indent(text)
    if tab:
        problems.append(problem("yaml-tab", Loc(relpath, tab[0], tab[1])))
        return YamlFile(relpath, None, problems)
    try:
        node = yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as err:  # named as the mistake that caused it, where it is
        found = explain(text, err)
        loc = Loc(relpath, found[0], found[1]) if found else Loc(relpath)
        detail = found[2] if found else (err.problem or "cú pháp không hợp lệ")
        problems.append(problem("yaml-syntax", loc, detail=detail))
        return YamlFile(relpath, None, problems)
    except yaml.YAMLError as err:  # e.g. several documents in one file
        problems.append(problem("yaml-syntax", Loc(relpath), detail=str(err).splitlines()[0]))
        return YamlFile(relpath, None, problems)
    if node is None:
        return YamlFile(relpath, None, [*problems, problem("empty-file", Loc(relpath))])
    converter = _Converter(relpath, anchors="&" in text, texts=texts)
    try:
        ynode = converter.convert(node)
    except _TooManyNodes as err:
        problems.append(problem("yaml-too-many-nodes", err.loc, limit=MAX_NODES))
        return YamlFile(relpath, None, problems)
    return YamlFile(relpath, ynode, problems + converter.problems)


def _tab_indent(text: str) -> tuple[int, int] | None:
    """The first tab used for indentation: YAML forbids it and PyYAML's message is cryptic."""
    if "\t" not in text:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return number, len(line) - len(stripped) + 1
    return None


class _Converter:
    """Turns PyYAML nodes into YNodes; refuses aliases, merge keys and duplicate keys."""

    def __init__(self, path: str, anchors: bool = True, texts: dict[str, str] | None = None) -> None:
        self.path = path
        self.texts: dict[str, str] = {} if texts is None else texts  # one copy of each text
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.anchors = anchors  # False when the text has no '&': no node can appear twice
        self.count = 0

    def convert(self, node: yaml.Node, where: Loc | None = None) -> YNode:
        mark = node.start_mark
        line, col = mark.line + 1, mark.column + 1
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooManyNodes(Loc(self.path, line, col))
        if self.anchors:
            if id(node) in self.seen:
                # The same node twice is an alias (*name): refusing it stops "billion laughs".
                self.problems.append(problem("yaml-alias", where or Loc(self.path, line, col)))
                return YNode("null", "", self.path, line, col)
            self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            kind = _TAGS.get(node.tag, "other")
            if kind == "other":
                self.problems.append(problem("yaml-tag", Loc(self.path, line, col), tag=node.tag))
                kind = "str"
            value = node.value
            if not value.isascii():  # NFD "Cụm 1" is the same group as NFC
                value = unicodedata.normalize("NFC", value)
            value = self.texts.setdefault(value, value)
            return YNode(kind, value, self.path, line, col, node.style in _QUOTES)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, line, col)
        assert isinstance(node, yaml.SequenceNode)
        here = Loc(self.path, line, col) if self.anchors else None
        items = [self.convert(item, here) for item in node.value]
        return YNode("seq", items, self.path, line, col, flow=bool(node.flow_style))

    def _mapping(self, node: yaml.MappingNode, line: int, col: int) -> YNode:
        path, anchors, problems, texts = self.path, self.anchors, self.problems, self.texts
        values: dict[str, YNode] = {}
        marks: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            key_mark = (mark.line + 1, mark.column + 1)
            if type(key_node) is not _SCALAR:
                problems.append(problem("yaml-complex-key", Loc(path, *key_mark)))
                continue
            if key_node.tag == _MERGE:
                problems.append(problem("yaml-alias", Loc(path, *key_mark)))
                continue
            key = key_node.value
            if not key.isascii():
                key = unicodedata.normalize("NFC", key)
            key = texts.setdefault(key, key)
            if key in values:
                first = marks[key][0]
                problems.append(problem("duplicate-key", Loc(path, *key_mark), key=key, line=first))
                continue
            marks[key] = key_mark
            kind = _TAGS.get(value_node.tag) if type(value_node) is _SCALAR else None
            if kind is None or anchors or self.count >= MAX_NODES:
                values[key] = self.convert(value_node, Loc(path, *key_mark) if anchors else None)
                continue
            # the common case inlined (a plain scalar value, no anchor in the file): one call less
            self.count += 1
            mark = value_node.start_mark
            text = value_node.value
            if not text.isascii():
                text = unicodedata.normalize("NFC", text)
            text = texts.setdefault(text, text)
            values[key] = YNode(kind, text, path, mark.line + 1, mark.column + 1, value_node.style in _QUOTES)
        return YNode("map", values, path, line, col, flow=bool(node.flow_style), key_marks=marks)


_QUOTES = ("'", '"')
_SCALAR = yaml.ScalarNode
_MERGE = "tag:yaml.org,2002:merge"


class _TooManyNodes(Exception):
    def __init__(self, loc: Loc) -> None:
        self.loc = loc


NUMBER_RE = re.compile(r"^[-+]?[0-9]+(\.[0-9]+)?\Z")  # 0-9 only: \d would take "１" and "٣"
