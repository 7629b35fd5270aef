"""Command line: text from a file is never printed raw to a terminal.

Terminal control characters (C0 and C1 controls, ESC sequences, a carriage return that moves
back over the line) and bidi overrides (which reorder what the reader sees) become visible
escapes such as `\\x1b` or `\\u202e`. Tab and newline inside a message are escaped too: every
problem is one line.
"""

from __future__ import annotations

import re

_BIDI = "\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f{_BIDI}]")  # json.dumps escapes C0 in strings


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe(text: str) -> str:
    """`text` with every control or bidi character as a visible escape."""
    return _UNSAFE.sub(_escape, text)


def safe_json(text: str) -> str:
    """JSON text with C1 controls and bidi overrides as JSON `\\uXXXX` escapes (json.dumps
    already escapes C0 controls); the value decoded is unchanged."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
