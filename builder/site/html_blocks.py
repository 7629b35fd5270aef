"""Site stage, inside MkDocs: our HTML partials set aside before Markdown and put back after it.

A generated page's data tables are HTML we built and escaped ourselves (`text.environment`'s
`html(…)`, between `OPEN` and `CLOSE` marker lines). Python-Markdown would pass them through
unchanged, but only after three Python HTML parsers have read every tag: its raw-HTML block
preprocessor, MkDocs' anchor scanner and its own stash (two thirds of MkDocs' time on a unit
page). This MkDocs hook (listed under `hooks:` in the generated configuration) swaps each block
for a one-line comment token in `on_page_markdown` and the token back for the block in
`on_page_content`: the HTML written is the same, byte for byte, as without the hook (less the
marker comments), and the tokens carry a per-run nonce, so text on a page cannot forge one
(untrusted text is escaped anyway: it never holds `<!--`).
"""

from __future__ import annotations

import secrets
from typing import Any

OPEN = "<!--par-html-->"
CLOSE = "<!--/par-html-->"
_NONCE = secrets.token_hex(8)
_pending: dict[str, list[str]] = {}  # page source path → its blocks, from markdown to content


def _token(nonce: str, n: int) -> str:
    return f"<!--par-html:{nonce}:{n}-->"


def set_aside(markdown: str, nonce: str = _NONCE) -> tuple[str, list[str]]:
    """The page's Markdown with each outermost marked block replaced by a token line, and the
    blocks (marker lines removed). An unclosed block is left as it is, for Markdown to read."""
    out: list[str] = []
    blocks: list[str] = []
    block: list[str] = []
    depth = 0
    for line in markdown.split("\n"):
        if line == OPEN:
            depth += 1
            continue
        if line == CLOSE and depth:
            depth -= 1
            if depth == 0:
                out.append(_token(nonce, len(blocks)))
                blocks.append("\n".join(block))
                block = []
            continue
        (block if depth else out).append(line)
    if depth:  # no closing marker: give the lines back as they were written
        out.append(OPEN)
        out.extend(block)
    return "\n".join(out), blocks


def put_back(html: str, blocks: list[str], nonce: str = _NONCE) -> str:
    """The converted page with each token replaced by its block."""
    for n, block in enumerate(blocks):
        html = html.replace(_token(nonce, n), block, 1)
    return html


def strip_markers(markdown: str) -> str:
    """The page as Markdown reads it without this hook (the marker comments removed)."""
    return "\n".join(line for line in markdown.split("\n") if line not in (OPEN, CLOSE))


# --- MkDocs events ------------------------------------------------------------------------


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if OPEN not in markdown:
        return markdown
    text, blocks = set_aside(markdown)
    if blocks:
        _pending[page.file.src_uri] = blocks
    return text


def on_page_content(html: str, page: Any, **_: Any) -> str:
    blocks = _pending.pop(page.file.src_uri, None)
    return put_back(html, blocks) if blocks else html
