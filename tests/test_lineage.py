"""Lineage across cycles: `merged_from` / `renamed_from` must name a unit of an earlier cycle."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

from site_repo import build, read_page

from builder.model import Loc, Unit
from builder.results import CycleResult, UnitResult
from builder.site.lineage import lineage
from conftest import ROOT, run_cli

LINE = '  - {id: xa-ban-bo, name: "UBND xã Bản Bo", tier: commune, kind: xa, code: "03424", group: "Cụm 1"'


def sample(tmp: Path, extra: str) -> Path:
    repo = tmp / "repo"
    for part in ("criteria", "submissions", "appraisals"):
        shutil.copytree(ROOT / part, repo / part)
    path = repo / "criteria/2020/assessment.yaml"
    text = path.read_text(encoding="utf-8")
    assert LINE in text
    path.write_text(text.replace(LINE, LINE + extra), encoding="utf-8")
    return repo


def test_a_merger_of_units_of_an_earlier_cycle_is_accepted(tmp_path: Path) -> None:
    repo = sample(tmp_path, ", merged_from: [xa-ban-bo, xa-sung-phai]")
    result = run_cli("validate", "--root", str(repo), "--cycle", "2020")
    assert result.code == 0, result.out


def test_a_lineage_naming_no_earlier_unit_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    repo = sample(tmp_path, ", renamed_from: xa-sung-phay")
    result = run_cli("validate", "--root", str(repo), "--cycle", "2020")
    assert result.code == 1
    assert (
        "[lineage-unknown] 'renamed_from' nêu đơn vị 'xa-sung-phay' nhưng không kỳ nào trước kỳ 2020"
        in result.out
    )
    assert "(có lẽ bạn định viết 'xa-sung-phai')" in result.out


def _result(unit: str, index: str) -> UnitResult:
    return UnitResult(
        unit=unit, name=unit, tier="commune", group=None, status="submitted", self_total=None,
        final_total=None, max=None, index=Fraction(index), classification=None, rank=None,
        late=None, fields={}, leaves={},
    )  # fmt: skip


PREVIOUS = CycleResult("2019", (_result("xa-a", "80"), _result("xa-b", "70"), _result("xa-c", "60")))
LOC = Loc("criteria/2020/assessment.yaml", 1, 1)


def test_the_year_over_year_view_follows_a_rename_and_shows_the_parts_of_a_merger() -> None:
    kept = lineage(Unit("xa-a", "A", "commune", LOC), PREVIOUS)
    assert (kept.same, kept.merged, kept.renamed) == (PREVIOUS.units[0], (), False)
    renamed = lineage(Unit("xa-moi", "Mới", "commune", LOC, renamed_from="xa-b"), PREVIOUS)
    assert (renamed.same, renamed.renamed) == (PREVIOUS.units[1], True)
    # a merger that keeps one of the merged communes' ids: its own result and the other part
    merged = lineage(Unit("xa-a", "A", "commune", LOC, merged_from=("xa-a", "xa-c")), PREVIOUS)
    assert (merged.same, merged.merged) == (PREVIOUS.units[0], (PREVIOUS.units[2],))
    new = lineage(Unit("xa-z", "Z", "commune", LOC), PREVIOUS)
    assert not new.known
    assert not lineage(Unit("xa-a", "A", "commune", LOC), None).known


def test_the_site_shows_a_merged_unit_s_parts_instead_of_a_change(tmp_path: Path) -> None:
    repo = sample(tmp_path, ", merged_from: [xa-ban-bo, xa-sung-phai]")
    code, out, err = build(repo)
    assert code == 0, out + err
    page = read_page(repo / "site/2020/units/xa-ban-bo.html").text
    assert "hợp nhất từ UBND xã Sùng Phài (chỉ số " in page, page
    ranking = read_page(repo / "site/2020/index.html").text
    assert "hợp nhất" in ranking
