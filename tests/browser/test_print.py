"""A unit page printed by Chromium (A4 PDF, read back with pdftotext) is the self-assessment
report of the district's letter: quốc hiệu, tiêu ngữ, the unit, the criteria with their points,
place, date and the approval block; none of the site's navigation, search or footer."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .conftest import _missing

UNIT = "2019/units/xa-ban-bo.html"


@pytest.fixture(scope="module")
def printed(browser: Any, sample: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> str:
    if shutil.which("pdftotext") is None:
        _missing("no pdftotext to read the printed PDF: apt-get install -y poppler-utils")
    root, url = sample
    if not (root / "site" / UNIT).exists():
        pytest.skip(f"the sample has no {UNIT}")
    pdf = tmp_path_factory.mktemp("print") / "unit.pdf"
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{url}/{UNIT}")
        page.wait_for_load_state("load")
        page.pdf(path=str(pdf), format="A4", print_background=True)
    finally:
        context.close()
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def test_printed_unit_page_is_the_report(printed: str) -> None:
    flat = " ".join(printed.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "Độc lập - Tự do - Hạnh phúc" in flat
    assert "ỦY BAN NHÂN DÂN" in flat and "XÃ BẢN BO" in flat
    assert "BÁO CÁO" in flat and "UBND xã Bản Bo" in flat
    # a criterion row with max, self, appraised and final points (2.3: 2, 2, 1, 1)
    assert re.search(r"^\s*2\.3\s.*\s2\s+2\s+1\s+1\s*$", printed, re.MULTILINE), printed[:3000]
    assert "Khó khăn, vướng mắc" in flat and "Kiến nghị" in flat
    assert "Bản Bo, ngày 11 tháng 01 năm 2020" in flat
    assert "CHỦ TỊCH UBND XÃ" in flat and "Lò Văn G (minh họa)" in flat


def test_printed_unit_page_has_no_site_navigation(printed: str) -> None:
    flat = " ".join(printed.split())
    for nav in ("Trang chủ", "Tìm kiếm", "Xếp hạng", "Hướng dẫn", "Phiên bản dữ liệu", "Material"):
        assert nav not in flat, nav
    assert "Kỳ 2019 › Đơn vị" not in flat
    assert flat.endswith("Lò Văn G (minh họa)")  # the signature ends it: no history, no footer
