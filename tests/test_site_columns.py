"""Numbers that explain themselves: one meaning per points column, said in the header's tooltip
and in a note; "—" where the council did not appraise; deductions as −max; labels said once."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from site_repo import built_site, read_page

from builder.load import cycle as loader
from builder.site.columns import FINAL, SELF
from conftest import ROOT


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / "criteria").is_dir():
        pytest.skip("no sample data in criteria/")
    return built_site(tmp_path_factory.getbasetemp(), "sample", sample=ROOT)


def _survey(root: Path, cycle: str, tier: str) -> Decimal:
    data = loader.load_cycle(loader.FolderTree(root), cycle)
    return sum((c.max for c in data.criteria[tier].leaves.values() if c.source == "survey"), Decimal(0))


def _abbr(html: str, label: str) -> list[str]:
    return re.findall(rf'<abbr title="([^"]*)">{label}</abbr>', html)


def test_ranking_says_self_scores_exclude_the_survey(sample: Path) -> None:
    survey = _survey(sample, "2019", "commune")
    assert survey == 30  # read from the criteria (source: survey), not written in the template
    html = (sample / "site/2019/index.html").read_text(encoding="utf-8")
    said = f"không gồm {survey} điểm điều tra xã hội học"
    assert any(said in title for title in _abbr(html, SELF))
    assert said in read_page(sample / "site/2019/index.html").text  # also in words under the table
    assert any("đã gồm điểm điều tra xã hội học" in t for t in _abbr(html, FINAL))
    district = _survey(sample, "2019", "district")
    assert f"không gồm {district} điểm điều tra xã hội học" in read_page(sample / "site/2019/index.html").text


def test_unit_page_appraised_column_is_dash_unless_all_appraised(sample: Path) -> None:
    page = read_page(sample / "site/2019/units/xa-ban-bo.html")
    (fields,) = page.table("Lĩnh vực")
    rows = {r["Lĩnh vực"][0].split(".")[0]: r for r in fields["rows"]}
    # field 9 is only partly appraised: no partial sum that reads like the field's points
    assert rows["9"]["Thẩm định"][0] == "—" and rows["9"]["Điểm cuối cùng"][0] == "11,50"
    assert rows["1"]["Thẩm định"][0] == "9,25"  # every leaf appraised
    assert rows["Tổng cộng"]["Thẩm định"][0] == "—"
    crit = {r["Mã"][0]: r for t in page.table("Mã") for r in t["rows"]}
    assert crit["5.5"]["Thẩm định"][0] == "—" and crit["5.5"]["Điểm cuối cùng"][0] == "1,5"
    assert crit["7.1"]["Thẩm định"][0] == "—"  # a parent with an unappraised leaf
    assert crit["8.1"]["Tự chấm"][0] == "—"  # survey: never self-scored
    html = (sample / "site/2019/units/xa-ban-bo.html").read_text(encoding="utf-8")
    assert any("chưa thẩm định" in title for title in _abbr(html, "Thẩm định"))


def test_deductions_show_their_maximum_as_negative(sample: Path) -> None:
    unit = read_page(sample / "site/2019/units/xa-ban-bo.html")
    crit = {r["Mã"][0]: r for t in unit.table("Mã") for r in t["rows"]}
    assert crit["1.6"]["Tối đa"][0] == "\u22121 (trừ)"
    assert crit["1.5"]["Tối đa"][0] == "+1 (thưởng)"
    field = read_page(sample / "site/2019/fields/commune-1.html")
    (table,) = field.table("Đơn vị")
    assert table["rows"][0]["1.6"][0] == "\u22121"
    method = read_page(sample / "site/2019/methodology.html")
    rows = [r for t in method.table("Mã") for r in t["rows"] if "(điểm trừ)" in r["Tiêu chí"][0]]
    assert rows and all(r["Tối đa"][0] == "\u22121" for r in rows)


def test_bonus_label_is_said_once(sample: Path) -> None:
    for path in (sample / "site").rglob("*.html"):
        text = read_page(path).text
        for label in ("(điểm thưởng)", "(điểm trừ)", "(điều tra xã hội học)"):
            assert f"{label} {label}" not in text, (path, label)
