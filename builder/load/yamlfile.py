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
from dataclasses import dataclass, field
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


@dataclass
class YNode:
    """A YAML node: `value` is dict[str, YNode], list[YNode] or the scalar's text as written."""

    kind: str  # map | seq | str | int | float | bool | null | date | other
    value: Any
    loc: Loc
    quoted: bool = False
    flow: bool = False  # written inline: {a: 1} or [1, 2]
    key_locs: dict[str, Loc] = field(default_factory=dict)

    def get(self, key: str) -> YNode | None:
        if self.kind != "map":
            return None
        node: YNode | None = self.value.get(key)
        return node

    def key_loc(self, key: str) -> Loc:
        return self.key_locs.get(key, self.loc)


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


def read_yaml(root: Path, relpath: str, data: bytes | None = None) -> YamlFile:
    """Read `root/relpath` (or the given bytes, e.g. a blob from Git history)."""
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
        node = yaml.compose(text, Loader=_Loader)
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
    converter = _Converter(relpath)
    try:
        ynode = converter.convert(node)
    except _TooManyNodes as err:
        problems.append(problem("yaml-too-many-nodes", err.loc, limit=MAX_NODES))
        return YamlFile(relpath, None, problems)
    return YamlFile(relpath, ynode, problems + converter.problems)


def _tab_indent(text: str) -> tuple[int, int] | None:
    """The first tab used for indentation: YAML forbids it and PyYAML's message is cryptic."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return number, len(line) - len(stripped) + 1
    return None


class _Converter:
    """Turns PyYAML nodes into YNodes; refuses aliases, merge keys and duplicate keys."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.count = 0

    def convert(self, node: yaml.Node, where: Loc | None = None) -> YNode:
        loc = _loc(self.path, node.start_mark)
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooManyNodes(loc)
        if id(node) in self.seen:
            # The same node twice is an alias (*name): refusing it stops "billion laughs".
            self.problems.append(problem("yaml-alias", where or loc))
            return YNode("null", "", loc)
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return YNode(
                "seq", [self.convert(item, loc) for item in node.value], loc, flow=bool(node.flow_style)
            )
        kind = _TAGS.get(node.tag, "other")
        if kind == "other":
            self.problems.append(problem("yaml-tag", loc, tag=node.tag))
            kind = "str"
        value = unicodedata.normalize("NFC", node.value)  # NFD "Cụm 1" is the same group as NFC
        return YNode(kind, value, loc, quoted=getattr(node, "style", None) in ("'", '"'))

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> YNode:
        values: dict[str, YNode] = {}
        key_locs: dict[str, Loc] = {}
        for key_node, value_node in node.value:
            key_loc = _loc(self.path, key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(problem("yaml-complex-key", key_loc))
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(problem("yaml-alias", key_loc))
                continue
            key = unicodedata.normalize("NFC", key_node.value)
            if key in values:
                first = key_locs[key]
                self.problems.append(problem("duplicate-key", key_loc, key=key, line=first.line))
                continue
            key_locs[key] = key_loc
            values[key] = self.convert(value_node, key_loc)
        return YNode("map", values, loc, key_locs=key_locs, flow=bool(node.flow_style))


class _TooManyNodes(Exception):
    def __init__(self, loc: Loc) -> None:
        self.loc = loc


NUMBER_RE = re.compile(r"^[-+]?[0-9]+(\.[0-9]+)?\Z")  # 0-9 only: \d would take "１" and "٣"
