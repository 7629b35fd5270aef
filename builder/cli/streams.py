"""Command line: standard streams in an encoding that cannot hold Vietnamese (an ASCII or
cp1252 console on Windows, a redirected file) print escapes instead of crashing."""

from __future__ import annotations

import codecs
import io
import sys

_SAMPLE = "Không có lỗi: điểm, đơn vị"


def _can_encode(encoding: str | None) -> bool:
    try:
        codecs.encode(_SAMPLE, encoding or "ascii")
    except (LookupError, UnicodeEncodeError):
        return False
    return True


def tolerate_narrow_encodings() -> None:
    """Reconfigure sys.stdout and sys.stderr with errors='backslashreplace' if needed."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and not _can_encode(stream.encoding):
            stream.reconfigure(errors="backslashreplace")
