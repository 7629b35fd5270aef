"""Our HTML partials skip Python-Markdown (builder/site/html_blocks.py): the converted pages are
the same as Markdown makes of them, the tokens cannot be forged, and nothing of them is left."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from mkdocs.utils.meta import get_data
from site_repo import PAYLOAD_PAGES, assert_tables_back, built_site

from builder.site import html_blocks
from builder.site.html_blocks import CLOSE, OPEN, put_back, set_aside, strip_markers

EXTENSIONS = ["tables", "toc"]  # the generated configuration's (builder/site/engine.py)


def _convert(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS).convert(text)


@pytest.fixture(scope="module", params=["payload", "sample"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import ROOT

    base = tmp_path_factory.getbasetemp()
    if request.param == "sample":
        return built_site(base, "sample", sample=ROOT)
    return built_site(base, "payload", payload=True)


def test_every_generated_page_converts_the_same_with_its_blocks_set_aside(site: Path) -> None:
    pages = sorted((site / "build/docs").rglob("*.md"))
    swapped = 0
    for path in pages:
        body, _meta = get_data(path.read_text(encoding="utf-8"))
        text, blocks = set_aside(body, nonce="n0")
        assert OPEN not in text and CLOSE not in text
        swapped += len(blocks)
        assert put_back(_convert(text), blocks, nonce="n0") == _convert(strip_markers(body)), path
    assert swapped > len(pages) // 2  # the tables were really set aside, not left to Markdown


def test_built_pages_keep_their_tables_and_no_marker_or_token(site: Path) -> None:
    assert_tables_back(site / "site")


def test_hostile_text_cannot_forge_a_token(tmp_path: Path) -> None:
    """A token needs the run's nonce, and text on a page is escaped: `<!--` never survives."""
    root = built_site(tmp_path.parent, "payload", payload=True)
    for name in PAYLOAD_PAGES:
        assert "<!-- c -->" not in (root / "site" / name).read_text(encoding="utf-8")  # PAYLOAD's comment
    forged = f"before\n\n<!--par-html:{'0' * 16}:0-->\n\nafter"
    text, blocks = set_aside(forged, nonce="a1b2")
    assert blocks == [] and put_back(_convert(text), ["<b>x</b>"], nonce="a1b2") == _convert(forged)


def test_an_unclosed_block_is_left_to_markdown() -> None:
    body = f"# T\n\n{OPEN}\n<table><tr><td>1</td></tr></table>\n\nrest"
    text, blocks = set_aside(body)
    assert blocks == [] and text == body


def test_nested_blocks_come_back_whole_without_markers() -> None:
    body = f"a\n\n{OPEN}\n<div>\n{OPEN}\n<p>in</p>\n{CLOSE}\n</div>\n{CLOSE}\n\nb"
    text, blocks = set_aside(body, nonce="z")
    assert blocks == ["<div>\n<p>in</p>\n</div>"]
    assert put_back(_convert(text), blocks, nonce="z") == _convert(strip_markers(body))


def test_the_hook_events_pair_by_page() -> None:
    """Markdown → tokens; content keeps the tokens and the blocks packed (MkDocs holds every
    page's content until the last is written); the page context gets the tables back before any
    plugin or the theme reads them; once the page is written, they are let go."""

    class File:
        src_uri = "x/y.md"

    class Page:
        file = File()
        content: str | None = None

    page = Page()
    md = html_blocks.on_page_markdown(f"t\n\n{OPEN}\n<table>ệ</table>\n{CLOSE}\n", page=page)
    assert "<table>" not in md
    page.content = html_blocks.on_page_content(_convert(md), page=page)
    assert "<table>" not in page.content and html_blocks._pending == {}
    assert "x/y.md" in html_blocks._packed
    context = {"page": page}
    assert html_blocks.on_page_context(context, page=page) is context
    assert "<table>ệ</table>" in page.content
    assert html_blocks.on_post_page("<html>", page=page) == "<html>"
    assert "<table>" not in page.content
    assert html_blocks._packed == {} and html_blocks._shown == {}  # released once written


def test_the_tables_are_back_before_the_search_plugin_reads_the_page() -> None:
    """MkDocs runs a hook's events after the plugins' unless its priority is higher: the search
    plugin's `on_page_context` indexes page.content, so ours must come first."""
    assert getattr(html_blocks.on_page_context, "mkdocs_priority", 0) > 0


@pytest.mark.parametrize(
    "blocks", [[], [""], ["<td>a</td>", "", "<p>Cụm 1 \n ệ</p>"], ["\n".join(["<tr>x</tr>"] * 999)]]
)
def test_packed_blocks_come_back_as_they_were(blocks: list[str]) -> None:
    packed = html_blocks.pack(blocks)
    assert html_blocks.unpack(packed) == blocks
    if blocks and len(blocks[0]) > 1000:
        assert len(packed) * 20 < len(blocks[0])  # a table's repeated tags compress well
