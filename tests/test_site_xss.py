"""Untrusted text on the site: script tags, javascript: links, Markdown and Jinja typed into every
free-text field are shown as typed in the built HTML and never become markup (the browser side
is in tests/browser/test_xss.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import Markup
from site_repo import MULTILINE, PAYLOAD, PAYLOAD_PAGES, built_site, read_page

from builder.site.text import environment, link, md_lines, md_text, page_href, web_href
from builder.site.writer import template_dirs

PAGES = PAYLOAD_PAGES


@pytest.fixture(scope="session")
def xss(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory.getbasetemp(), "xss", payload=True) / "site"


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_payload_is_shown_as_typed_on_every_page(xss: Path) -> None:
    typed = " ".join(PAYLOAD.split())
    for name in PAGES:
        page = read_page(xss / name)
        assert typed in page.text, f"{name}: payload not shown as typed"


def test_every_free_text_field_shows_the_payload(xss: Path) -> None:
    """Unit, group, tier, evidence, explanation, reason, comment, request, approval, texts."""
    typed = " ".join(PAYLOAD.split())
    text = read_page(xss / "2020/units/xa-binh.html").text
    for label in (
        "Xã Bình",
        "Cấp xã",
        "Cụm 1",
        "Kế hoạch CCHC",
        "12/KH-UBND",
        "UBND xã",
        "Giải trình số liệu",
        "Tài liệu chưa đủ",
        "CV 30/NV",
        "Nguyễn Văn A",
        "Chủ tịch",
        "Thiếu kinh phí",
        "Đề nghị tập huấn",
        "Phòng Nội vụ",
        "Kế hoạch",
        "Tỷ lệ",
        "Chỉ đạo điều hành",
        "mã ĐVHC 0001",
    ):
        assert f"{label} {typed}" in text, label
    assert f"Chưa có trụ sở {typed}" in read_page(xss / "2020/units/xa-dung.html").text
    method = read_page(xss / "2020/methodology.html").text
    for label in (
        "Bộ tiêu chí thử",
        "Minh họa cho kiểm thử",
        "Đúng hạn",
        "Kế hoạch năm",
        "Trừ 0,5 mỗi lần",
        "Quy định",
        "UBND tỉnh Thử",
    ):
        assert f"{label} {typed}" in method, label


def test_multiline_text_keeps_its_lines_and_no_markdown_block(xss: Path) -> None:
    page = read_page(xss / "2020/units/xa-an.html")
    for line in _lines(MULTILINE):
        assert line in page.text, line
    tags = {tag for tag, _ in page.tags}
    article = (xss / "2020/units/xa-an.html").read_text(encoding="utf-8").split("<article", 1)[1]
    assert "<pre" not in article and "<blockquote" not in article and "<ol" not in article
    assert "<style" not in article and "Tiêu đề giả</h" not in article
    assert "style" not in tags or all(
        "display:none" not in (attrs.get("style") or "") for tag, attrs in page.tags
    )


def test_no_markup_comes_from_the_data(xss: Path) -> None:
    pages = sorted(xss.rglob("*.html"))
    assert len(pages) > 30
    for path in pages:
        page = read_page(path)
        html = path.read_text(encoding="utf-8")
        assert "__xss" not in "".join(page.scripts), path
        for tag, attrs in page.tags:
            for key, value in attrs.items():
                assert not key.startswith("on"), f"{path}: <{tag} {key}>"
                if key not in ("href", "src", "srcset", "action", "formaction", "poster", "data", "style"):
                    continue  # text attributes (aria-label, title) hold the text itself
                value = (value or "").strip().lower()
                assert not value.startswith(("javascript:", "vbscript:", "data:text")), (
                    f"{path}: {key}={value}"
                )
                assert "198.51.100.7" not in value, f"{path}: <{tag} {key}={value}>"
            if tag == "img":
                assert (attrs.get("src") or "").startswith(("../", "assets/", "/")), path
        assert "<script>window" not in html and "<img src=x" not in html
        assert "<em>nghieng</em>" not in html and "<code>ma</code>" not in html
        assert "49" not in page.text.replace("2049", ""), f"{path}: a template evaluated {{ 7*7 }}"


def test_titles_header_toc_and_search_index_carry_escaped_text(xss: Path) -> None:
    html = (xss / "2020/units/xa-binh.html").read_text(encoding="utf-8")
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "&#60;script&#62;" in title
    header = html.split('data-md-component="header-topic"', 1)[1].split("</span>", 1)[0]
    assert "<script>" not in header and "<img" not in header
    index = (xss / "search/search_index.json").read_text(encoding="utf-8")
    assert "<script>window" not in index and "<img src=x" not in index


def test_escaping_functions() -> None:
    assert md_text("<b>*x*</b> [a](b) {{ 1 }}") == (
        "&#60;b&#62;&#42;x&#42;&#60;/b&#62; &#91;a&#93;&#40;b&#41; &#123;&#123; 1 &#125;&#125;"
    )
    assert md_text("# đầu\n\n  dòng\x00\u202e") == "&#35; đầu dòng"
    assert md_lines("a\nb\n\nc") == "a<br>b<br><br>c"
    assert md_text(Markup("<b>")) == "&#60;b&#62;"  # Markup from data is still text
    assert link("x]y", "a.md") == "[x&#93;y](a.md)"
    assert page_href("../files/u/bao cáo (1).pdf") == "../files/u/bao%20c%C3%A1o%20%281%29.pdf"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "file:///etc/passwd",
        "//example.org/x",
        "http:///nohost",
        "https://exa mple.org/",
        "https://example.org/\u202e",
        "",
        None,
    ],
)
def test_only_web_links_are_links(url: str | None) -> None:
    assert web_href(url) is None


def test_web_links_are_quoted_for_markdown() -> None:
    assert web_href("https://example.org/a b") is None
    assert web_href("https://example.org/x_(y)*[z]<w>\"'`") == (
        "https://example.org/x_%28y%29%2A%5Bz%5D%3Cw%3E%22%27%60"
    )
    assert web_href("HTTPS://EXAMPLE.org/?a=1&b=2#top") == "HTTPS://EXAMPLE.org/?a=1&b=2#top"


def test_templates_print_only_escaped_values_or_markup_built_here(tmp_path: Path) -> None:
    env = environment(template_dirs(tmp_path))
    out = env.from_string("{{ x }} {{ xs|join(', ') }} {{ n }} {{ nothing }}").render(
        x="<i>{{ 7*7 }}</i>", xs=["*a*", "b|c"], n=3, nothing=None
    )
    assert out == "&#60;i&#62;&#123;&#123; 7&#42;7 &#125;&#125;&#60;/i&#62; &#42;a&#42;, b&#124;c 3 —"
    with pytest.raises(Exception, match="undefined"):
        env.from_string("{{ missing }}").render()
    for unsafe in ("safe", "format", "replace", "urlize", "xmlattr", "indent"):
        assert unsafe not in env.filters
    with pytest.raises(TypeError):
        env.from_string("{{ flag }}").render(flag=True)


def test_html_escaping_for_tables_and_lists() -> None:
    from builder.site.text import anchor, h, h_lines

    assert (
        h("<b>*x*</b> & 'a' \"b\"\x00\u202e\n c") == "&lt;b&gt;*x*&lt;/b&gt; &amp; &#39;a&#39; &#34;b&#34; c"
    )
    assert h(Markup("<b>")) == "&lt;b&gt;"  # Markup from data is still text
    assert h_lines("a<\nb\n\nc") == "a&lt;<br>b<br><br>c"
    assert anchor("x<y", "../units/a.md") == '<a href="../units/a.html">x&lt;y</a>'
    assert (
        anchor("x", "https://example.org/a.md?q=1&r=2")
        == '<a href="https://example.org/a.md?q=1&amp;r=2">x</a>'
    )


def test_data_tables_are_html_escaped_by_markupsafe(xss: Path) -> None:
    """Unit text goes into the generated pages as HTML blocks (escaped once by MarkupSafe, never
    parsed again by Markdown), not as Markdown tables of character references."""
    source = (xss.parent / "build/docs/2020/units/xa-binh.md").read_text(encoding="utf-8")
    tables = source[source.index("<table data-search-exclude>") :]
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in tables
    assert "\n| " not in source.split("## Lịch sử nộp phiếu")[0]  # no Markdown table before history
    ranking = (xss.parent / "build/docs/2020/index.md").read_text(encoding="utf-8")
    assert "<table data-search-exclude>" in ranking and "&lt;script&gt;" in ranking
