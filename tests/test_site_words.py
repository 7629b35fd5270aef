"""Public pages speak to readers: developer words stay in the guides (site/huong-dan/)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from site_repo import built_site

from conftest import ROOT

DEVELOPER_WORDS = ["history: false", "kho git", "commit", "tệp json", "python -m"]


def _public_pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if "huong-dan" not in p.relative_to(site).parts]


def _developer_words(site: Path) -> list[tuple[str, str]]:
    found = []
    for page in _public_pages(site):
        text = html.unescape(re.sub(r"&#(\d+);", lambda m: chr(int(m[1])), page.read_text(encoding="utf-8")))
        found += [(str(page.relative_to(site)), w) for w in DEVELOPER_WORDS if w in text.lower()]
    return found


@pytest.mark.parametrize("name", ["plain", "sample"])
def test_public_pages_have_no_developer_words(tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    if name == "sample" and not (ROOT / "criteria").is_dir():
        pytest.skip("no sample data in criteria/")
    root = built_site(tmp_path_factory.getbasetemp(), name, sample=ROOT if name == "sample" else None)
    site = root / "site"
    assert len(_public_pages(site)) > 10
    assert _developer_words(site) == []


def test_unknown_lateness_is_explained_once_not_on_every_unit(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    if not (ROOT / "criteria").is_dir():
        pytest.skip("no sample data in criteria/")
    site = built_site(tmp_path_factory.getbasetemp(), "sample", sample=ROOT) / "site"
    units = [p for p in site.glob("*/units/*.html") if p.name != "index.html"]
    assert units
    for page in units:
        text = page.read_text(encoding="utf-8")
        assert "đúng hạn: không xác định" not in text.lower(), page
    ranking = (site / "2020/index.html").read_text(encoding="utf-8")
    assert "không xác định được thời điểm nộp" in ranking or "không cho biết thời điểm nộp" in ranking
