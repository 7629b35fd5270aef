"""The placeholder test's shortcut (a character no placeholder has) never changes its answer."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.rules.evidence_text import is_placeholder

_ELLIPSIS = re.compile(r"(\u2026|\.{2,}|_{2,}|x{3,})", re.IGNORECASE)
_SCHEME = re.compile(r"^https?://", re.IGNORECASE)


def _reference(text: str) -> bool:  # the rule as it was written before the shortcut
    rest = _SCHEME.sub("", text.strip(), count=1)
    if rest != text.strip() and rest.strip() in ("", "/"):
        return True
    return bool(rest.strip()) and _ELLIPSIS.fullmatch(rest.strip()) is not None


_PIECES = st.sampled_from(
    [
        "https://",
        "HTTP://",
        "http:/",
        "…",
        "...",
        "..",
        "__",
        "xxx",
        "XxX",
        "/",
        " ",
        "\u00a0",
        "\u3000",
        "\n",
    ]
    + ["a", "Báo cáo", "1", "ẋ", "K", "\u212a", "ſ", "x", "h", "t", "p", "s", ":", "httpſ://", "hTtPS:/"]
)


@given(st.lists(_PIECES, max_size=6).map("".join) | st.text(max_size=12))
@settings(max_examples=3000, deadline=None)
def test_same_answer_as_the_rule_without_the_shortcut(text: str) -> None:
    assert is_placeholder(text) == _reference(text)


def test_known_answers() -> None:
    assert is_placeholder(" https://… ") and is_placeholder("http:///") and is_placeholder("xxxx")
    assert is_placeholder("httpſ://")  # "ſ" matches "s" case-insensitively, in the scheme too
    assert not is_placeholder("Báo cáo …") and not is_placeholder("https://example.org/x")
