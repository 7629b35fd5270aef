"""The sample site in Chromium: the ranking in the expected order, a unit page with its numbers,
no request off the machine, no serious accessibility violation, tables that fit a phone."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from builder.load import cycle as loader
from builder.numbers import vn_number
from builder.office.export import cycle_record, dumps
from builder.score import score_cycle

ROW_JS = """() => [...document.querySelectorAll("article table")]
  .filter(t => t.querySelector("th") && t.querySelector("th").textContent.trim() === "Hạng")
  .flatMap(t => [...t.querySelectorAll("tbody tr")].map(tr =>
     [...tr.querySelectorAll("td")].map(td => td.innerText.trim())))"""


def newest(root: Path) -> tuple[str, dict[str, Any]]:
    tree = loader.FolderTree(root)
    cycle = loader.cycles(tree)[-1]
    result = score_cycle(loader.load_cycle(tree, cycle))
    return cycle, json.loads(dumps(cycle_record(result)))


def shown(value: object) -> str:
    return "—" if value is None else vn_number(Decimal(str(value)))


def test_home_shows_the_ranking_in_the_expected_order(page: Any, sample: tuple[Path, str]) -> None:
    root, url = sample
    cycle, expected = newest(root)
    page.goto(f"{url}/index.html")
    rows = page.evaluate(ROW_JS)
    units = expected["units"]
    assert [r[1] for r in rows] == [u["name"] for u in units]
    assert [r[0] for r in rows] == [str(u["rank"]) if u["rank"] else "—" for u in units]
    assert [r[4] for r in rows] == [shown(u["index"]) for u in units]
    assert [r[3] for r in rows] == [shown(u["final_total"]) for u in units]
    assert page.external == [] and page.dialogs == []


def test_unit_page_shows_its_numbers(page: Any, sample: tuple[Path, str]) -> None:
    root, url = sample
    cycle, expected = newest(root)
    unit = next(u for u in expected["units"] if u["status"] == "submitted")
    page.goto(f"{url}/index.html")
    page.get_by_role("link", name=unit["name"], exact=True).first.click()
    page.wait_for_url(f"**/{cycle}/units/{unit['unit']}.html")
    text = page.inner_text("article")
    assert f"Chỉ số CCHC: {shown(unit['index'])}" in text
    assert f"Điểm cuối cùng: {shown(unit['final_total'])}" in text
    assert f"Xếp loại: {unit['classification']}" in text
    for fid, f in unit["fields"].items():
        row = page.locator("article table").first.locator("tr", has_text=f"{fid}. ").first
        cells = row.locator("td").all_inner_texts()
        assert cells[1:3] == [shown(f["max"]), shown(f["self"])]
        assert cells[4] == shown(f["final"])
    assert page.external == []


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "{cycle}/units/{unit}.html",
        "{cycle}/fields/{field}",
        "{cycle}/methodology.html",
        "{cycle}/validation.html",
    ],
)
def test_no_request_leaves_the_machine(page: Any, sample: tuple[Path, str], path: str) -> None:
    root, url = sample
    page.goto(f"{url}/{_path(root, path)}")
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").click()
    page.keyboard.type("CCHC")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    assert page.external == [], page.external


def _path(root: Path, path: str) -> str:
    cycle, expected = newest(root)
    unit = next(u["unit"] for u in expected["units"] if u["status"] == "submitted")
    field = sorted(p.name for p in (root / f"site/{cycle}/fields").glob("*-1.html"))[-1]
    return path.format(cycle=cycle, unit=unit, field=field)


@pytest.mark.parametrize("path", ["index.html", "{cycle}/units/{unit}.html", "{cycle}/fields/{field}"])
def test_axe_finds_no_serious_or_critical_violation(
    page: Any, sample: tuple[Path, str], axe_script: Path, path: str
) -> None:
    root, url = sample
    page.goto(f"{url}/{_path(root, path)}")
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], bad


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "{cycle}/index.html",
        "{cycle}/units/{unit}.html",
        "{cycle}/fields/{field}",
        "{cycle}/fields/index.html",
        "{cycle}/methodology.html",
    ],
)
def test_tables_scroll_inside_the_page_on_a_phone(browser: Any, sample: tuple[Path, str], path: str) -> None:
    root, url = sample
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"{url}/{_path(root, path)}")
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide at 390px"
        assert page.locator("article table").count() > 0
    finally:
        context.close()
