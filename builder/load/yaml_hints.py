"""Load stage: a YAML syntax error explained as the editing mistake behind it, at the line of that mistake.

PyYAML stops where the text stopped making sense, often a line after the real mistake (a key
indented one space too far is reported on the next key, a missing closing quote on the next
line's quote). Each finder below looks at the raw text just before PyYAML's mark for one of the
common mistakes of an officer editing a scorecard by hand; the first that matches names the
cause and its position. Nothing matches: PyYAML's own message, put in plain Vietnamese.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Found = tuple[int, int, str]  # 1-based line and column, Vietnamese detail
WINDOW = 12  # lines above the mark where the real mistake may be

_DASH = re.compile(r"-[^\s\-0-9.]")
_KEY = re.compile(r"[^\s:#\"'{}\[\],-][^:#]*?")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _starts_scalar(line: str, i: int) -> bool:
    before = line[:i].rstrip()
    return not before or before[-1] in ":-[{,?"


def scan_quotes(line: str) -> tuple[int, str] | None:
    """(0-based column, quote) of a quote opened on this line and not closed by its end;
    quotes count only where a scalar starts (a `'` inside plain text is an apostrophe)."""
    spans = quoted_spans([line])
    last = spans[-1] if spans else None
    return (last[1], last[4]) if last is not None and last[2] is None else None


def quoted_spans(lines: list[str]) -> list[tuple[int, int, int | None, int, str]]:
    """Every quoted scalar: (start line, start column, end line or None when never closed,
    end column, quote), 0-based, following quotes across lines as YAML does."""
    spans: list[tuple[int, int, int | None, int, str]] = []
    quote, start = "", (0, 0)
    for n, line in enumerate(lines):
        i, previous = 0, " "
        while i < len(line):
            c = line[i]
            if quote == '"' and c == "\\":
                i += 1
            elif quote == "'" and c == "'" and line[i + 1 : i + 2] == "'":
                i += 1
            elif quote and c == quote:
                spans.append((*start, n, i, quote))
                quote = ""
            elif not quote and c == "#" and previous in " \t":
                break
            elif not quote and c in "\"'" and _starts_scalar(line, i):
                quote, start = c, (n, i)
            previous = c
            i += 1
    if quote:
        spans.append((*start, None, 0, quote))
    return spans


def _unclosed_quote(lines: list[str], at: int, err: Any) -> Found | None:
    """A quote left open: YAML reads on to the next line's quote and stops just after it."""
    context, mark = err.context_mark, err.problem_mark
    if err.context == "while scanning a quoted scalar" and context is not None:
        quote = lines[context.line][context.column : context.column + 1] if context.line < len(lines) else '"'
        return context.line + 1, context.column + 1, _quote(quote)
    if mark is None:
        return None
    for line, col, end, end_col, quote in quoted_spans(lines[: at + 1]):
        if end == at and line < at and 0 <= mark.column - end_col <= 2:
            return line + 1, col + 1, _quote(quote)
        # in a flow mapping ({title: "…, number: "…"}) the string runs on to the next key's
        # opening quote: its text then ends with ", key: "
        inside = lines[at][col + 1 : end_col] if end == at == line else ""
        if 0 <= mark.column - end_col <= 2 and _NEXT_KEY.search(inside):
            return line + 1, col + 1, _quote(quote)
    return None


_NEXT_KEY = re.compile(r",\s*[\w-]+:\s*$")


def _quote(quote: str) -> str:
    name = 'dấu ngoặc kép (")' if quote == '"' else "dấu nháy đơn (')"
    return f"{name} mở ở đây chưa được đóng; hãy thêm {quote} ở cuối chuỗi"


def _unclosed_bracket(lines: list[str], at: int, err: Any) -> Found | None:
    problem = err.problem or ""
    context = err.context_mark
    if not problem.startswith("did not find expected ','") or context is None:
        return None
    close = problem[-2]
    opening = "[" if close == "]" else "{"
    if context.line == err.problem_mark.line:  # on one line: something between two items
        mark = err.problem_mark
        return mark.line + 1, mark.column + 1, f"thiếu dấu ',' giữa hai phần tử, hoặc thiếu dấu '{close}'"
    return (
        context.line + 1,
        context.column + 1,
        f"dấu '{opening}' mở ở đây chưa được đóng bằng '{close}' trên cùng dòng",
    )


def _dash_without_space(lines: list[str], at: int, err: Any) -> Found | None:
    for n in range(min(at, len(lines) - 1), max(-1, at - 4), -1):
        stripped = lines[n].lstrip(" ")
        if _DASH.match(stripped) and not stripped.startswith("---"):
            col = _indent(lines[n]) + 1
            shown = f"- {stripped[1:].strip()}"
            return n + 1, col, f"sau dấu '-' của mục danh sách cần một dấu cách: '{shown[:40]}'"
    return None


def _odd_indent(lines: list[str], at: int, err: Any) -> Found | None:
    """The file steps by two spaces (as the scaffold writes it): a line one space off is the
    mistake, even when the parser stops on the line after it."""
    indents = [_indent(line) for line in lines if _content(line)]
    odd = [i for i in indents if i % 2]
    if not indents or len(odd) * 5 > len(indents):
        return None
    for n in range(min(at, len(lines) - 1), max(-1, at - 4), -1):
        line = lines[n]
        if not _content(line) or _indent(line) % 2 == 0:
            continue
        i = _indent(line)
        after = [x for x in lines[n + 1 : n + 3] if _content(x)]
        before = [x for x in reversed(lines[max(0, n - 3) : n]) if _content(x)]
        near = [_key_column(x) for x in (*after, *before)]
        should = next((j for j in near if abs(j - i) == 1), i - 1)
        return (
            n + 1,
            i + 1,
            f"dòng này thụt lề {i} dấu cách, lệch một dấu cách so với các dòng cùng cấp "
            f"(thụt {should}); các khóa cùng cấp phải thẳng cột",
        )
    return None


def _key_column(line: str) -> int:
    """Where the keys of a line start: after the indentation and any list dashes."""
    match = re.match(r"[ ]*(- +)*", line)
    return match.end() if match else 0


def _text_after_quote(lines: list[str], at: int, err: Any) -> Found | None:
    """Text after a closed quote on the line, typically an apostrophe inside '…'."""
    mark = err.problem_mark
    if mark is None or at >= len(lines):
        return None
    for line, _, end, end_col, quote in quoted_spans(lines[: at + 1]):
        rest = lines[at][end_col + 1 : mark.column + 1].strip() if end == at else ""
        if line == at and rest and not rest.startswith(("#", ",", "]", "}", ":")):
            other = '"' if quote == "'" else "'"
            return (
                at + 1,
                end_col + 2,
                f"sau chuỗi trong dấu {quote}…{quote} còn chữ; nếu trong chuỗi có dấu {quote} "
                f"thì hãy bao cả chuỗi bằng dấu {other}",
            )
    return None


def _previous(lines: list[str], at: int) -> int | None:
    return next((n for n in range(at - 1, -1, -1) if _content(lines[n])), None)


def _missing_colon(lines: list[str], at: int, err: Any) -> Found | None:
    if not (err.problem or "").startswith("mapping values are not allowed") or at >= len(lines):
        return None
    p = _previous(lines, at)
    if p is None or _indent(lines[p]) != _indent(lines[at]) or scan_quotes(lines[p]) is not None:
        return None
    text = lines[p].strip()
    if text.startswith(("-", "{", "[", '"', "'")) or text.endswith(":") or ": " in text:
        return None
    col = _indent(lines[p]) + 1
    glued = re.match(r"([^\s:]+):(\S)", text)
    if glued:
        fixed = f"{glued.group(1)}: {text[glued.end(1) + 1 :]}"
        return p + 1, col + glued.end(1) + 1, f"sau dấu ':' cần một dấu cách (viết '{fixed[:40]}')"
    key = text.split()[0]
    fixed = f"{key}: {text[len(key) :].strip()}"
    return p + 1, col + len(key), f"thiếu dấu ':' sau tên khóa '{key[:30]}' (viết '{fixed[:40]}')"


def _colon_in_value(lines: list[str], at: int, err: Any) -> Found | None:
    if not (err.problem or "").startswith("mapping values are not allowed") or at >= len(lines):
        return None
    line, col = lines[at], err.problem_mark.column
    first = line.find(": ")
    if first < 0 or first >= col:
        return None
    key = line[:first].strip()
    value = line[first + 2 :].strip()
    return (
        at + 1,
        col + 1,
        f"giá trị có dấu ':'; hãy đặt cả giá trị trong ngoặc kép: {key}: \"{value[:40]}\"",
    )


FINDERS: list[Callable[[list[str], int, Any], Found | None]] = [
    _unclosed_quote,
    _unclosed_bracket,
    _dash_without_space,
    _odd_indent,
    _text_after_quote,
    _missing_colon,
    _colon_in_value,
]

_HINTS = [
    ("found character '\\t'", "có ký tự tab; YAML chỉ cho phép thụt lề bằng dấu cách"),
    ("mapping values are not allowed", "dấu ':' đặt sai chỗ (hãy đặt chuỗi có ':' trong ngoặc kép)"),
    ("could not find expected ':'", "thiếu dấu ':' sau tên khóa"),
    ("did not find expected key", "thụt lề không thẳng hàng với các khóa cùng cấp"),
    ("did not find expected '-' indicator", "thụt lề không thẳng hàng với các mục cùng danh sách"),
    ("found undefined alias", "dùng bí danh (*alias) chưa được định nghĩa"),
    ("found unexpected end of stream", "tệp kết thúc khi chuỗi hoặc ngoặc chưa đóng"),
    ("expected <block end>", "thụt lề không đúng"),
]


def explain(text: str, err: Any) -> Found | None:
    """The likeliest real mistake behind PyYAML's error `err` (a MarkedYAMLError) in `text`;
    None when the error has no position."""
    mark = err.problem_mark or err.context_mark
    if mark is None:
        return None
    lines = text.splitlines()
    for finder in FINDERS:
        found = finder(lines, mark.line, err)
        if found is not None:
            return found
    words = f"{err.context or ''} {err.problem or ''}"
    detail = next((hint for needle, hint in _HINTS if needle in words), None)
    return (
        mark.line + 1,
        mark.column + 1,
        detail or (err.problem or err.context or "cú pháp không hợp lệ").strip(),
    )
