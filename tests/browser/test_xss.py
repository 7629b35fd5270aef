"""Payloads typed into every free-text field, in Chromium: nothing runs, nothing loads, no
dialog opens, and the text is shown as typed (also in search results)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from site_repo import MULTILINE, PAYLOAD, PAYLOAD_PAGES

PAGES = PAYLOAD_PAGES

TITLED = {
    "index.html",
    "2020/units/xa-an.html",
    "2020/units/xa-binh.html",
    "2020/units/xa-dung.html",
    "2020/fields/commune-1.html",
    "2019/units/xa-binh.html",
}


def _typed(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("path", PAGES)
def test_payload_is_inert_and_shown_as_typed(page: Any, payload_site: tuple[Path, str], path: str) -> None:
    _, url = payload_site
    page.goto(f"{url}/{path}")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.dialogs == [] and page.external == []
    article = page.inner_text("article")
    assert _typed(PAYLOAD) in _typed(article)
    assert page.locator("article img").count() == 0  # no image from ![…](…) or <img>
    assert page.locator("article a[href^='javascript']").count() == 0
    assert page.locator("article script, article style").count() == 0
    assert page.locator("article em", has_text="nghieng").count() == 0
    assert page.locator("article code", has_text=re.compile(r"^ma$")).count() == 0
    if path in TITLED:  # the page's title quotes a unit's, a field's or the authority's name
        assert "<script>window.__xss=1</script>" in page.title()


def test_multiline_text_is_shown_line_by_line(page: Any, payload_site: tuple[Path, str]) -> None:
    _, url = payload_site
    page.goto(f"{url}/2020/units/xa-an.html")
    article = page.inner_text("article")
    for line in MULTILINE.splitlines():
        if line.strip():
            assert line.strip() in article, line
    assert page.locator("article blockquote, article pre, article ol").count() == 0
    assert page.evaluate("getComputedStyle(document.body).display") != "none"


def test_search_results_show_the_payload_as_text(page: Any, payload_site: tuple[Path, str]) -> None:
    _, url = payload_site
    page.goto(f"{url}/2020/units/xa-binh.html")
    page.locator("input.md-search__input").click()
    page.keyboard.type("Bình")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    page.wait_for_timeout(300)
    results = page.locator(".md-search-result")
    assert results.locator("img, script, iframe, a[href^='javascript']").count() == 0
    assert "<script>" in results.inner_text() or "__xss" in results.inner_text()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.dialogs == [] and page.external == []


def test_evidence_files_that_a_browser_could_run_are_not_published(
    page: Any, payload_site: tuple[Path, str]
) -> None:
    _, url = payload_site
    assert page.request.get(f"{url}/2020/files/xa-an/evidence/trang.html").status == 404
    page.goto(f"{url}/2020/units/xa-an.html")
    link = page.locator("article a", has_text="Báo cáo").first
    assert link.get_attribute("href") == "../files/xa-an/evidence/bao%20cao.pdf"
    pdf = page.request.get(f"{url}/2020/files/xa-an/evidence/bao%20cao.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    assert "trang.html không đăng lên trang" in page.inner_text("article")
