"""Search at scale: past 500 units the unit pages leave the site's search index (it would be too
big for a phone), yet every unit stays findable by name and by code in the units page's own
box, which reads the small data/units-index.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from site_repo import build, make_repo

from builder.site.unit_pages import SEARCH_UNITS_MAX

EXTRA = SEARCH_UNITS_MAX + 10


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> tuple[Path, str]:
    root = make_repo(tmp_path_factory.mktemp("big") / "repo", cycles=("2020",))
    path = root / "criteria/2020/assessment.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["units"] += [
        {"id": f"xa-so-{i}", "name": f"Xã Đồng Số {i}", "tier": "commune", "kind": "xa", "code": f"9{i:04d}"}
        for i in range(EXTRA)
    ]
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, out, err = build(root)
    assert code == 0, out + err
    return root, serve(root / "site")


def test_unit_pages_leave_the_search_index_but_the_units_index_has_them_all(
    big_site: tuple[Path, str],
) -> None:
    root, _ = big_site
    site = root / "site/2020"
    index = json.loads((root / "site/search/search_index.json").read_text(encoding="utf-8"))
    assert not any(d["location"].startswith("2020/units/xa-so-") for d in index["docs"])
    units = json.loads((site / "data/units-index.json").read_text(encoding="utf-8"))
    assert len(units) > SEARCH_UNITS_MAX
    assert {"name": "Xã Đồng Số 507", "code": "90507", "url": "xa-so-507.html"} in units
    assert all((site / "units" / u["url"]).is_file() for u in units)
    assert (site / "data/units-index.json").stat().st_size < 120 * len(units)  # small enough for a phone


@pytest.mark.parametrize("query", ["Đồng Số 507", "dong so 507", "90507"])
def test_units_page_box_finds_a_unit_by_name_or_code(
    page: Any, big_site: tuple[Path, str], query: str
) -> None:
    _, url = big_site
    page.goto(f"{url}/2020/units/index.html")
    page.fill("#par-find-input", query)
    hit = page.locator(".par-find-results a", has_text="Xã Đồng Số 507 (90507)")
    hit.wait_for()
    assert page.locator(".par-find-results a").count() == 1
    hit.click()
    page.wait_for_url("**/2020/units/xa-so-507.html")
    assert "Xã Đồng Số 507" in page.inner_text("article")
    assert page.external == [] and page.dialogs == []


def test_units_page_box_works_from_a_folder(page: Any, big_site: tuple[Path, str]) -> None:
    root, _ = big_site
    page.goto((root / "site/2020/units/index.html").as_uri())
    page.fill("#par-find-input", "90507")
    page.locator(".par-find-results a", has_text="Xã Đồng Số 507").wait_for()
