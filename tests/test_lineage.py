"""Lineage across cycles: `merged_from` / `renamed_from` must name a unit of an earlier cycle."""

from __future__ import annotations

import shutil
from pathlib import Path

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
