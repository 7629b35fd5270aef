"""Phones and desktops: the index and class of every ranked unit, and a unit's final points,
are inside the viewport without scrolling sideways."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .test_pages import _path

CELLS_JS = """([marker, columns]) => [...document.querySelectorAll("article table")]
  .filter(t => t.querySelector(marker))
  .flatMap(t => [...t.querySelectorAll("tbody tr")].flatMap(tr => columns.map(i => {
     const td = tr.children[i]; const b = td.getBoundingClientRect();
     return {text: td.innerText.trim(), left: b.left, right: b.right, width: b.width};
  })))"""


def _cells(browser: Any, url: str, width: int, marker: str, columns: list[int]) -> tuple[int, list[Any]]:
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("load")
        inner = page.evaluate("document.documentElement.clientWidth")
        return inner, page.evaluate(CELLS_JS, [marker, columns])
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_ranking_index_and_class_are_on_screen(browser: Any, sample: tuple[Path, str], width: int) -> None:
    root, url = sample
    inner, cells = _cells(browser, f"{url}/index.html", width, ".par-t-rank", [4, 5])
    assert len(cells) >= 20
    for c in cells:
        assert c["width"] > 0 and c["text"], c
        assert 0 <= c["left"] and c["right"] <= inner, (width, c)


@pytest.mark.parametrize("width", [390, 1366])
def test_unit_final_points_are_on_screen(browser: Any, sample: tuple[Path, str], width: int) -> None:
    root, url = sample
    page_url = f"{url}/{_path(root, '{cycle}/units/{unit}.html')}"
    for marker, column in ((".par-t-fields", 4), (".par-t-crit", 5)):
        inner, cells = _cells(browser, page_url, width, marker, [column])
        assert len(cells) >= 5, marker
        for c in cells:
            assert c["width"] > 0, (marker, c)
            assert 0 <= c["left"] and c["right"] <= inner, (width, marker, c)
