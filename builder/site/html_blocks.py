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

MkDocs converts every page before it writes any, and keeps each page's HTML until the end: at
3,321 units that is 360 MB of tables. So the blocks stay packed (UTF-8, zlib) from
`on_page_content` until the page is written: `on_page_context` puts them back before any plugin
reads the page (the search index) or the theme renders it, and `on_post_page` lets them go.

A block whose root element carries `data-search-exclude` (the data tables: numbers and ids,
noise in a search index) is one the search plugin skips whole, yet its parser would still read
every tag of it. So `on_page_context` gives the search plugin the page without those blocks
(their tokens, comments the index ignores: the same index, `searched`, `for_search`), and
`on_post_page` puts them into the written page.
"""

from __future__ import annotations

import secrets
import zlib
from collections.abc import Sequence
from typing import Any

OPEN = "<!--par-html-->"
CLOSE = "<!--/par-html-->"
UNSEARCHED = " data-search-exclude>"  # ends a block's first tag: the search index skips the block
_NONCE = secrets.token_hex(8)
_pending: dict[str, list[str]] = {}  # page source path → its blocks, from markdown to content
_packed: dict[str, bytes] = {}  # page source path → its blocks packed, until the page is written
_shown: dict[str, str] = {}  # page source path → its content with tokens, while it is written
_unsearched: dict[str, list[str | None]] = {}  # page source path → its held-back blocks, until written


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


def put_back(html: str, blocks: Sequence[str | None], nonce: str = _NONCE) -> str:
    """The converted page with each token replaced by its block (a None keeps its token)."""
    for n, block in enumerate(blocks):
        if block is not None:
            html = html.replace(_token(nonce, n), block, 1)
    return html


def for_search(blocks: list[str]) -> tuple[list[str | None], list[str | None]]:
    """The blocks split for `put_back`: those the search index reads, then those it skips
    (`searched`), each list holding None where the other has the block."""
    read: list[str | None] = []
    held: list[str | None] = []
    for block in blocks:
        shown = searched(block)
        read.append(block if shown else None)
        held.append(None if shown else block)
    return read, held


def searched(block: str) -> bool:
    """False for a block that is one element whose first tag ends in `UNSEARCHED`
    (`<table data-search-exclude>…</table>`): Material's search parser skips such an element
    and all it holds, so the index is the same without it."""
    head = block[: block.find(">") + 1]
    if not head.startswith("<") or not head.endswith(UNSEARCHED):
        return True
    tag = head[1:].split(" ", 1)[0]
    # one element: no other of its kind opens in it, and its first closing tag ends the block
    closing = f"</{tag}>"
    alone = block.count(f"<{tag} ") + block.count(f"<{tag}>") == 1
    return not (alone and block.find(closing) == len(block) - len(closing))


def strip_markers(markdown: str) -> str:
    """The page as Markdown reads it without this hook (the marker comments removed)."""
    return "\n".join(line for line in markdown.split("\n") if line not in (OPEN, CLOSE))


def pack(blocks: list[str]) -> bytes:
    """The blocks as one compressed byte string: their UTF-8 lengths, a line, then their bytes."""
    encoded = [b.encode("utf-8") for b in blocks]
    header = " ".join(str(len(b)) for b in encoded).encode("ascii")
    return zlib.compress(header + b"\n" + b"".join(encoded), 1)


def unpack(data: bytes) -> list[str]:
    header, _, body = zlib.decompress(data).partition(b"\n")
    blocks, at = [], 0
    for size in map(int, header.split()):
        blocks.append(body[at : at + size].decode("utf-8"))
        at += size
    return blocks


# --- MkDocs events ------------------------------------------------------------------------


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    src = page.file.src_uri
    _packed.pop(src, None)  # an earlier build's (mkdocs serve), never put into this one
    _shown.pop(src, None)
    _unsearched.pop(src, None)
    if OPEN not in markdown:
        return markdown
    text, blocks = set_aside(markdown)
    if blocks:
        _pending[src] = blocks
    return text


def on_page_content(html: str, page: Any, **_: Any) -> str:
    blocks = _pending.pop(page.file.src_uri, None)
    if blocks:
        _packed[page.file.src_uri] = pack(blocks)
    return html  # tokens, until the page is written


def on_page_context(context: Any, page: Any, **_: Any) -> Any:
    packed = _packed.pop(page.file.src_uri, None)
    if packed is not None:
        read, held = for_search(unpack(packed))
        _shown[page.file.src_uri] = page.content
        page.content = put_back(page.content, read)
        if any(block is not None for block in held):
            _unsearched[page.file.src_uri] = held
    return context


on_page_context.mkdocs_priority = 100  # type: ignore[attr-defined]  # before the search plugin's


def on_post_page(output: str, page: Any, **_: Any) -> str:
    src = page.file.src_uri
    blocks = _unsearched.pop(src, None)
    if blocks is not None:  # the blocks the search plugin did not read, into the written page
        output = put_back(output, blocks)
    shown = _shown.pop(src, None)
    if shown is not None:
        page.content = shown  # the page is written: its tables need not stay in memory
    return output


on_post_page.mkdocs_priority = 100  # type: ignore[attr-defined]  # before any plugin reads the page


def on_post_build(**_: Any) -> None:
    """Pages a dirty build did not write keep their packed blocks until here."""
    _packed.clear()
    _shown.clear()
    _unsearched.clear()
