"""Our HTML partials skip Python-Markdown (builder/site/html_blocks.py): the converted pages are
the same as Markdown makes of them, the tokens cannot be forged, and nothing of them is left."""

from __future__ import annotations

import json
from pathlib import Path

import markdown
import pytest
from material.plugins.search.plugin import Parser
from mkdocs.utils.meta import get_data
from site_repo import PAYLOAD_PAGES, assert_tables_back, built_site

from builder.site import html_blocks
from builder.site.html_blocks import CLOSE, OPEN, for_search, put_back, searched, set_aside, strip_markers

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


def _sections(html: str) -> list[tuple[str, str, str | None, bool]]:
    """What Material's search plugin indexes of a page's content: its sections."""
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [("".join(s.title), "".join(s.text), s.id, s.is_excluded()) for s in parser.data]


def test_the_search_index_is_the_same_without_the_blocks_it_skips(site: Path) -> None:
    """The search plugin reads each page without its `data-search-exclude` blocks (the data
    tables): for every generated page, what it indexes is what it would index of the whole page,
    and every unit page, ranking and field page holds tables back from it."""
    held: dict[str, int] = {}
    for path in sorted((site / "build/docs").rglob("*.md")):
        body, _meta = get_data(path.read_text(encoding="utf-8"))
        text, blocks = set_aside(body, nonce="n0")
        converted = _convert(text)
        full = put_back(converted, blocks, nonce="n0")
        read, skipped = for_search(blocks)
        view = put_back(converted, read, nonce="n0")
        assert _sections(view) == _sections(full), path
        assert put_back(view, skipped, nonce="n0") == full, path
        if blocks:  # a unit with no scorecard has no table
            held[path.relative_to(site / "build/docs").as_posix()] = sum(b is not None for b in skipped)
    tables = [k for k in held if k.count("/") == 2 and k.split("/")[1] in ("units", "fields")]
    tables += [k for k in held if k.endswith("/index.md") and k.count("/") == 1]  # a cycle's ranking
    assert len(tables) > 10 and all(held[k] for k in tables if not k.endswith("units/index.md")), held
    assert held[next(k for k in tables if k.endswith("units/index.md"))] == 0  # units stay findable


@pytest.mark.parametrize(
    ("block", "skipped"),
    [
        ("<table data-search-exclude>\n<tr><td>1.1 Ban hành</td></tr>\n</table>", True),
        ('<div class="par-scroll" data-search-exclude><table><tr><td>x</td></tr></table></div>', True),
        ("<table>\n<tr><td>UBND xã A</td></tr>\n</table>", False),
        ("<table data-search-exclude><tr><td>a</td></tr></table>\n<table><tr><td>b</td></tr></table>", False),
        ("<table data-search-exclude><tr><td>a</td></tr></table>\n<p>sau bảng</p>", False),
        ("<table data-search-exclude><tr><td>a</td></tr>", False),  # not closed: read it all
        ("<table data-search-exclude><tr><td>a</td></tr></table><p>b</p></table>", False),
        ('<table class="x" data-search-exclude="no">a</table>', False),
        ("<p>Tài liệu kiểm chứng</p>\n<ul><li>x</li></ul>", False),
        ("", False),
    ],
)
def test_only_a_whole_excluded_element_is_kept_from_the_search_plugin(block: str, skipped: bool) -> None:
    """A block is held back only if it is one element that Material's parser skips whole; then the
    sections are the same with its token in its place (anything else is read as it is)."""
    assert searched(block) is not skipped
    page = f'<h2 id="a">Lĩnh vực</h2>\n<p>trước</p>\n{html_blocks._token("n1", 0)}\n<p>sau</p>'
    view = put_back(page, for_search([block])[0], nonce="n1")
    full = put_back(page, [block], nonce="n1")
    assert (_sections(view) == _sections(full)) if skipped else view == full


def test_the_search_index_leaves_out_the_data_tables_but_finds_units_and_evidence(site: Path) -> None:
    """The built index: unit pages keep their headings and evidence lists, the units page its
    table (names and codes), and no criteria or ranking table's cells are in it."""
    docs = json.loads((site / "site/search/search_index.json").read_text(encoding="utf-8"))["docs"]
    units = [d for d in docs if "/units/" in d["location"] and "/units/index.html" not in d["location"]]
    assert units and any("Tài liệu kiểm chứng" in d["text"] for d in units)
    text = "\n".join(d["text"] for d in docs)
    # a table's header cells run together in the index: criteria, fields, ranking, a field page's
    for header in ("MãTiêu chí", "Lĩnh vựcTối đa", "HạngĐơn vị", "Tỷ lệ đạt Điểm tối đa"):
        assert header not in text, header
    assert "Tỷ lệ điểm đạt theo lĩnh vực" not in text  # a chart's or the heatmap's caption
    listing = [d for d in docs if d["location"].endswith("units/index.html")]
    assert listing and "Đơn vịMã ĐVHC" in listing[0]["text"]  # the units table stays searchable


def test_the_hook_events_pair_by_page() -> None:
    """Markdown → tokens; content keeps the tokens and the blocks packed (MkDocs holds every
    page's content until the last is written); the page context gets the tables back before any
    plugin or the theme reads them, but for those the search index skips, which the written page
    gets; once the page is written, they are let go."""

    class File:
        src_uri = "x/y.md"

    class Page:
        file = File()
        content: str | None = None

    page = Page()
    skipped = "<table data-search-exclude><tr><td>9,5</td></tr></table>"
    md = html_blocks.on_page_markdown(
        f"t\n\n{OPEN}\n<table>ệ</table>\n{CLOSE}\n\n{OPEN}\n{skipped}\n{CLOSE}\n", page=page
    )
    assert "<table" not in md
    page.content = html_blocks.on_page_content(_convert(md), page=page)
    assert "<table" not in page.content and html_blocks._pending == {}
    assert "x/y.md" in html_blocks._packed
    context = {"page": page}
    assert html_blocks.on_page_context(context, page=page) is context
    assert "<table>ệ</table>" in page.content and skipped not in page.content
    written = html_blocks.on_post_page(f"<html>{page.content}</html>", page=page)
    assert "<table>ệ</table>" in written and skipped in written and "par-html" not in written
    assert "<table" not in page.content
    assert html_blocks._packed == {} and html_blocks._shown == {} and html_blocks._unsearched == {}


def test_the_tables_are_back_before_the_search_plugin_reads_the_page() -> None:
    """MkDocs runs a hook's events after the plugins' unless its priority is higher: the search
    plugin's `on_page_context` indexes page.content, so ours must come first; the written page
    gets the skipped tables before any other plugin's `on_post_page` reads it."""
    assert getattr(html_blocks.on_page_context, "mkdocs_priority", 0) > 0
    assert getattr(html_blocks.on_post_page, "mkdocs_priority", 0) > 0


@pytest.mark.parametrize(
    "blocks", [[], [""], ["<td>a</td>", "", "<p>Cụm 1 \n ệ</p>"], ["\n".join(["<tr>x</tr>"] * 999)]]
)
def test_packed_blocks_come_back_as_they_were(blocks: list[str]) -> None:
    packed = html_blocks.pack(blocks)
    assert html_blocks.unpack(packed) == blocks
    if blocks and len(blocks[0]) > 1000:
        assert len(packed) * 20 < len(blocks[0])  # a table's repeated tags compress well
