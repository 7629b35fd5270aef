"""Load stage, part 2: typed access to YAML nodes that records a Problem instead of raising."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache

from builder.load.yamlfile import NUMBER_RE, YNode
from builder.model import Loc, Problem
from builder.problems import did_you_mean, problem

_COMMA_NUMBER = re.compile(r"^[-+]?[0-9]+,[0-9]+\Z")
_ANY_DIGITS = re.compile(r"^[-+]?\d+([.,]\d+)?\Z")  # digits of any script: "１.５", "٣"
_NOT_FINITE = {".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "-.inf", "+.Inf", "-.Inf"}
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
INT_DIGITS = 6  # points, maxima and values are small: a bound keeps every sum exact and cheap
FRACTION_DIGITS = 6
# What identifies something is one line of visible text: no control or bidi characters.
IDENTIFIERS = ("id", "unit", "cycle", "reviewer", "group", "kind", "tier", "owners", "admins")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


# A number or a date is immutable: one object per text written, shared by every scorecard that
# writes it (points 0.5, a report's date), rather than a new one per scalar for the whole run.
@lru_cache(maxsize=4096)
def _decimal(text: str) -> Decimal:
    return Decimal(text)


@lru_cache(maxsize=4096)
def _date(text: str) -> date:
    return date.fromisoformat(text)  # ValueError (not cached) for a day that does not exist


class Reader:
    """Reads values of one file; every defect is appended to `problems`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def report(self, code: str, loc: Loc, **fields: object) -> None:
        self.problems.append(problem(code, loc, **fields))  # type: ignore[arg-type]

    def mapping(
        self,
        node: YNode | None,
        what: str,
        allowed: Iterable[str],
        required: Iterable[str] = (),
    ) -> dict[str, YNode] | None:
        """The node's entries if it is a mapping; unknown and missing keys are reported."""
        if node is None or node.kind == "null":
            return None
        if node.kind != "map":
            self.report("wrong-type", node.loc, what=what, expected="một bảng khóa: giá trị")
            return None
        allowed = list(allowed)
        previous: tuple[str, YNode] | None = None
        for key, value in node.value.items():
            if key not in allowed:
                comma = _split_decimal(node, previous, key)
                if comma and previous:
                    loc = node.key_loc(key)
                    self.report("decimal-comma", loc, what=previous[0], text=comma[0], fixed=comma[1])
                else:
                    self.report("unknown-key", node.key_loc(key), key=key, hint=did_you_mean(key, allowed))
            previous = (key, value)
        for key in required:
            if key not in node.value:
                self.report("missing-key", node.loc, key=key)
        entries: dict[str, YNode] = node.value
        return entries

    def sequence(self, node: YNode | None, what: str) -> list[YNode]:
        if node is None or node.kind == "null":
            return []
        if node.kind != "seq":
            self.report(
                "wrong-type", node.loc, what=what, expected="một danh sách (các dòng bắt đầu bằng '- ')"
            )
            return []
        items: list[YNode] = node.value
        return items

    def text(self, node: YNode | None, what: str) -> str | None:
        """A scalar as written (`2019` and "2019" both give "2019")."""
        if node is None or node.kind == "null":
            return None
        if node.kind in ("map", "seq"):
            self.report("wrong-type", node.loc, what=what, expected="một chuỗi")
            return None
        if node.kind == "bool" and what in ("id", "unit", "cycle", "reviewer"):
            self.report("yaml-boolean", node.loc, what=what, text=node.value)
            return None
        value: str = node.value
        if what in IDENTIFIERS and not self.identifier(value, node.loc, what):
            return None
        return value

    def identifier(self, value: str, loc: Loc, what: str) -> bool:
        """False (and a problem) if an id, a group or a criterion key holds a control character."""
        found = _CONTROL.search(value)
        if found is None:
            return True
        char = f"U+{ord(found.group()):04X}"
        self.report("id-control-char", loc, what=what, text=_visible(value), char=char)
        return False

    def texts(self, node: YNode | None, what: str) -> tuple[str, ...]:
        if node is not None and node.kind not in ("seq", "null"):
            single = self.text(node, what)  # a single string is accepted as a one-item list
            return (single,) if single else ()
        return tuple(t for item in self.sequence(node, what) if (t := self.text(item, what)))

    def number(self, node: YNode | None, what: str) -> Decimal | None:
        """An exact Decimal from the text as written; never a binary float."""
        if node is None or node.kind == "null":
            return None
        raw = node.value if isinstance(node.value, str) else ""
        if node.kind in ("int", "float"):
            if NUMBER_RE.match(raw):
                return _decimal(raw) if self._digits_ok(node, what, raw) else None
            if raw in _NOT_FINITE:
                self.report("number-not-finite", node.loc, what=what, text=raw)
            else:
                self.report("bad-number", node.loc, what=what, text=raw)
            return None
        if node.kind == "bool":
            self.report("yaml-boolean", node.loc, what=what, text=raw)
            return None
        if node.kind == "str":
            stripped = raw.strip()
            if NUMBER_RE.match(stripped):
                self.report("quoted-number", node.loc, what=what, text=raw)
                return _decimal(stripped) if self._digits_ok(node, what, stripped) else None
            if _COMMA_NUMBER.match(stripped):
                fixed = stripped.replace(",", ".")
                self.report("decimal-comma", node.loc, what=what, text=raw, fixed=fixed)
                return None
            number, hash_, _ = stripped.partition("#")
            if hash_ and NUMBER_RE.match(number.strip()):  # 0.5#ghi chú: no space, no comment
                fixed = f"{number.strip()} #{stripped.partition('#')[2]}"
                self.report("yaml-comment-glued", node.loc, what=what, text=raw, fixed=fixed)
                return None
            if _ANY_DIGITS.match(stripped):  # full-width or Arabic-Indic digits: never a number
                fixed = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in stripped)
                self.report("number-not-ascii", node.loc, what=what, text=raw, fixed=fixed.replace(",", "."))
                return None
        self.report("not-a-number", node.loc, what=what, text=_short(node))
        return None

    def _digits_ok(self, node: YNode, what: str, raw: str) -> bool:
        """At most INT_DIGITS digits before the point and FRACTION_DIGITS after it."""
        whole, _, fraction = raw.lstrip("+-").partition(".")
        if len(whole.lstrip("0")) <= INT_DIGITS and len(fraction) <= FRACTION_DIGITS:
            return True
        text = raw if len(raw) <= 40 else raw[:37] + "…"
        self.report(
            "number-too-long", node.loc, what=what, text=text, whole=INT_DIGITS, fraction=FRACTION_DIGITS
        )
        return False

    def date(self, node: YNode | None, what: str) -> date | None:
        if node is None or node.kind == "null":
            return None
        raw = node.value if isinstance(node.value, str) else ""
        if node.kind in ("date", "str") and _DATE.match(raw.strip()):
            try:
                return _date(raw.strip())
            except ValueError:
                pass
        self.report("bad-date", node.loc, what=what, text=_short(node))
        return None

    def boolean(self, node: YNode | None, what: str) -> bool | None:
        if node is None or node.kind == "null":
            return None
        if node.kind == "bool":
            return node.value.lower() in ("true", "yes", "on", "y")
        self.report("bad-enum", node.loc, what=what, allowed="true, false", text=_short(node))
        return None

    def enum(self, node: YNode | None, what: str, allowed: Iterable[str]) -> str | None:
        value = self.text(node, what)
        allowed = list(allowed)
        if value is None or value in allowed:
            return value
        assert node is not None
        self.report("bad-enum", node.loc, what=what, allowed=", ".join(allowed), text=value)
        return None


def _split_decimal(node: YNode, previous: tuple[str, YNode] | None, key: str) -> tuple[str, str] | None:
    """`{points: 0,5}` parses as points: 0 plus a key '5': recognise the decimal comma."""
    if not node.flow or previous is None or not key.isdigit() or node.value[key].kind != "null":
        return None
    before = previous[1]
    if before.kind != "int":
        return None
    return f"{before.value},{key}", f"{before.value}.{key}"


def _visible(text: str) -> str:
    escaped = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return escaped if len(escaped) <= 40 else escaped[:37] + "…"


def _short(node: YNode) -> str:
    if node.kind == "map":
        return "{…}"
    if node.kind == "seq":
        return "[…]"
    text = str(node.value)
    return text if len(text) <= 40 else text[:37] + "…"
