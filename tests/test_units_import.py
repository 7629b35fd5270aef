"""`units import`: a district's unit list from CSV or XLSX, ids suggested from Vietnamese names."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from openpyxl import Workbook

from builder.office.units_sheet import suggest_id
from conftest import ROOT, run_cli

CSV = (
    "STT;Tên đơn vị;Loại;Cụm;Mã hành chính;Người phụ trách\n"
    "1;UBND xã Bản Bo;xã;Cụm 1;03424;ban-bo\n"
    "2;UBND thị trấn Tam Đường;thị trấn;Cụm 1;03390;@tt-tam-duong\n"
    "3;UBND xã Đông Phong;xã;Cụm 2;3500;dong-phong, chu-tich-dp\n"
)


def repo_copy(tmp: Path) -> Path:
    repo = tmp / "repo"
    shutil.copytree(ROOT / "criteria", repo / "criteria")
    return repo


def test_ids_are_suggested_from_vietnamese_names() -> None:
    assert suggest_id("UBND xã Bản Bo", "xa") == "xa-ban-bo"
    assert suggest_id("Ủy ban nhân dân thị trấn Tam Đường", "thi-tran") == "thi-tran-tam-duong"
    assert suggest_id("UBND xã Đông Phong", "xa") == "xa-dong-phong"


def test_a_csv_list_is_shown_first_then_written_and_validates(tmp_path: Path) -> None:
    repo = repo_copy(tmp_path)
    sheet = tmp_path / "don-vi.csv"
    sheet.write_text(CSV, encoding="utf-8-sig")
    before = (repo / "criteria/2020/assessment.yaml").read_text(encoding="utf-8")
    shown = run_cli("units", "import", str(sheet), "--root", str(repo), "--cycle", "2020")
    assert shown.code == 0, shown.err
    assert (repo / "criteria/2020/assessment.yaml").read_text(encoding="utf-8") == before
    units = yaml.safe_load(shown.out)["units"]
    assert units[0] == {
        "id": "xa-ban-bo", "name": "UBND xã Bản Bo", "tier": "commune", "kind": "xa",
        "code": "03424", "group": "Cụm 1", "owners": ["@ban-bo"],
    }  # fmt: skip
    assert units[2]["id"] == "xa-dong-phong" and units[2]["code"] == "03500"
    assert units[2]["owners"] == ["@dong-phong", "@chu-tich-dp"]
    written = run_cli("units", "import", str(sheet), "--root", str(repo), "--cycle", "2020", "--write")
    assert written.code == 0, written.err
    config = yaml.safe_load((repo / "criteria/2020/assessment.yaml").read_text(encoding="utf-8"))
    assert [u["id"] for u in config["units"]] == ["xa-ban-bo", "thi-tran-tam-duong", "xa-dong-phong"]
    assert config["reviewers"]  # the rest of the file is kept


def test_an_xlsx_list_with_a_title_block_and_a_missing_name(tmp_path: Path) -> None:
    repo = repo_copy(tmp_path)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["DANH SÁCH ĐƠN VỊ ĐÁNH GIÁ CHỈ SỐ CCHC"])
    ws.append([])
    ws.append(["Tên đơn vị", "Loại", "Mã hành chính"])
    ws.append(["UBND xã Bản Hon", "xã", 3421])
    ws.append([None, "xã", 3422])
    path = tmp_path / "don-vi.xlsx"
    wb.save(path)
    result = run_cli("units", "import", str(path), "--root", str(repo), "--cycle", "2020")
    assert result.code == 1
    assert "don-vi.xlsx:5: thiếu tên đơn vị" in result.err


def test_duplicate_ids_are_refused_with_both_rows(tmp_path: Path) -> None:
    repo = repo_copy(tmp_path)
    sheet = tmp_path / "dv.csv"
    sheet.write_text("Tên đơn vị,Loại\nUBND xã Bản Bo,xã\nUBND xã Bản Bò,xã\n", encoding="utf-8")
    result = run_cli("units", "import", str(sheet), "--root", str(repo), "--cycle", "2020")
    assert result.code == 1
    assert "dv.csv:3: mã đơn vị 'xa-ban-bo' trùng với dòng 2" in result.err
