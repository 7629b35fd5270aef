"""Ranking, units and field tables sort by any column in the browser (tablesort, vendored, with
a Vietnamese-number comparator); the heatmap and the charts stay readable on a 390 px phone."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

BIGGEST_JS = """(marker) => {  // the index, among the article's tables, of the biggest one with the marker
  const all = [...document.querySelectorAll("article table")];
  const mine = all.filter(t => t.querySelector(marker));
  mine.sort((a, b) => b.tBodies[0].rows.length - a.tBodies[0].rows.length);
  return all.indexOf(mine[0]);
}"""
COLUMN_JS = """([marker, i]) => {
  const all = [...document.querySelectorAll("article table")].filter(t => t.querySelector(marker));
  all.sort((a, b) => b.tBodies[0].rows.length - a.tBodies[0].rows.length);
  return [...all[0].tBodies[0].rows].map(tr => tr.cells[i].innerText.trim());
}"""


def _number(text: str) -> Decimal | None:
    t = text.rstrip("*% ").replace("\u2212", "-").replace(".", "").replace(",", ".")
    return None if t in ("—", "") else Decimal(t)


def _open(browser: Any, url: str, width: int) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page


def _header(page: Any, marker: str, label: str) -> Any:
    table = page.locator("article table").nth(page.evaluate(BIGGEST_JS, marker))
    return table.locator("thead th").filter(has_text=label).first


def test_ranking_sorts_by_index_the_vietnamese_way(browser: Any, sample: tuple[Path, str]) -> None:
    _, url = sample
    context, page = _open(browser, f"{url}/2019/index.html", 1366)
    try:
        before = page.evaluate(COLUMN_JS, [".par-t-rank", 1])
        _header(page, ".par-t-rank", "Chỉ số").click()
        up = [_number(v) for v in page.evaluate(COLUMN_JS, [".par-t-rank", 4])]
        assert [v for v in up if v is not None] == sorted(v for v in up if v is not None)
        assert up == [None] * up.count(None) + sorted(v for v in up if v is not None)  # "—" is the least
        assert page.evaluate(COLUMN_JS, [".par-t-rank", 1]) != before  # the order did change
        _header(page, ".par-t-rank", "Chỉ số").click()
        down = [_number(v) for v in page.evaluate(COLUMN_JS, [".par-t-rank", 4])]
        numbers = [v for v in down if v is not None]
        assert numbers == sorted(numbers, reverse=True)
        # "86,95" is read as 86.95 (not 8695): compare with the exact index order
        assert numbers[0] < 100
        _header(page, ".par-t-rank", "Đơn vị").click()
        names = page.evaluate(COLUMN_JS, [".par-t-rank", 1])
        collated = page.evaluate(
            "(n) => n.slice().sort(new Intl.Collator('vi', {sensitivity: 'base', numeric: true}).compare)",
            names,
        )
        assert names == collated and names != before  # Vietnamese alphabetical order
        assert page.errors == []
    finally:
        context.close()


def test_units_and_field_tables_sort(browser: Any, sample: tuple[Path, str]) -> None:
    _, url = sample
    context, page = _open(browser, f"{url}/2019/units/index.html", 1366)
    try:
        _header(page, ".par-t-units", "Chỉ số").click()
        values = [_number(v) for v in page.evaluate(COLUMN_JS, [".par-t-units", 5])]
        numbers = [v for v in values if v is not None]
        assert len(numbers) >= 10 and numbers == sorted(numbers)
        assert values == [None] * values.count(None) + numbers  # "—" (no index) sorts as the least
        page.goto(f"{url}/2019/fields/commune-1.html")
        page.wait_for_load_state("load")
        first = page.evaluate(COLUMN_JS, [".par-t-leaves", 0])
        _header(page, ".par-t-leaves", "Điểm cuối cùng").click()
        rows = page.evaluate(COLUMN_JS, [".par-t-leaves", 0])
        assert rows[0] == first[0] == "Điểm tối đa" and rows[-1] == first[-1] == "Trung bình"  # kept
        heads = page.evaluate(
            "[...document.querySelector('.par-t-leaves').closest('table').tHead.rows[0].cells]"
            ".map(c => c.innerText.trim())"
        )
        finals = page.evaluate(COLUMN_JS, [".par-t-leaves", heads.index("Điểm cuối cùng")])[1:-1]
        numbers = [_number(v) for v in finals]
        assert numbers == sorted(numbers) and len(numbers) >= 10  # type: ignore[type-var]
    finally:
        context.close()


@pytest.mark.parametrize("path", ["2019/fields/index.html", "2019/index.html", "2019/units/xa-ban-bo.html"])
def test_heatmap_and_charts_are_readable_on_a_phone(
    browser: Any, sample: tuple[Path, str], path: str
) -> None:
    _, url = sample
    context, page = _open(browser, f"{url}/{path}", 390)
    try:
        inner = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= inner  # the page itself never scrolls
        found = page.evaluate(
            """() => [...document.querySelectorAll(
                ".par-bar-label, .par-bar-value, table.par-heatmap th[scope=row], table.par-heatmap td")]
              .map(e => { const b = e.getBoundingClientRect(); const s = getComputedStyle(e);
                return {cls: e.className, text: e.innerText.trim(), left: b.left, right: b.right,
                        width: b.width, font: parseFloat(s.fontSize),
                        clipped: e.scrollWidth > e.clientWidth + 1}; })"""
        )
        assert found, path
        for e in found:
            assert e["font"] >= 11, e  # no text shrunk below a readable size
            assert not e["clipped"], e  # no number cut off in its cell
            if "par-bar" in e["cls"]:
                assert 0 <= e["left"] and e["right"] <= inner, e  # chart rows fit the screen
        if "fields/" in path:  # scrolled sideways, the heatmap keeps each unit's name in view
            page.evaluate("document.querySelector('.par-scroll').scrollLeft = 10000")
            lefts = page.evaluate(
                "[...document.querySelectorAll('table.par-heatmap th[scope=row]')]"
                ".map(e => e.getBoundingClientRect().left)"
            )
            assert lefts and all(0 <= x < inner / 2 for x in lefts)
    finally:
        context.close()
