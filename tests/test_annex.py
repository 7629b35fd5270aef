"""`criteria import` of annexes as offices make them: sheets (.xlsx, .ods) and Word tables (.docx)
laid out like "Phụ lục 03", each with its expected criteria YAML (tests/annex/<case>.yaml)."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from builder.load import cycle as loader
from builder.model import CriteriaSet, Criterion
from conftest import ROOT, run_cli

EXPECTED = Path(__file__).parent / "annex"
TITLE = [
    "PHỤ LỤC 03",
    "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA UBND CẤP XÃ",
    "(Kèm theo Quyết định số 29/2019/QĐ-UBND ngày 15/8/2019 của UBND tỉnh Lai Châu)",
]
HEAD = ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Điểm đánh giá", None]
HEAD += ["Tài liệu kiểm chứng", "Ghi chú"]
SUBHEAD = [None, None, None, "Điểm tự đánh giá", "Điểm thẩm định", None, None]
NUMBERING = [f"({n})" for n in range(1, 8)]


def r(stt: Any, name: str, max: Any = None, evidence: str | None = None, note: str | None = None) -> list:
    return [stt, name, max, None, None, evidence, note]


# Roman fields, criteria numbered within them; levels and bands as sub-rows; points as text
# ("1,5"); bonus, deduction, survey; a total row.
ROMAN = [
    r("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", 6),
    r("1", "Kế hoạch cải cách hành chính năm", 3),
    r("1.1", "Ban hành kế hoạch CCHC năm kịp thời", 1, "Kế hoạch CCHC năm"),
    r("-", "- Ban hành đúng thời hạn: 1 điểm"),
    r(None, "- Ban hành chậm không quá 15 ngày: 0,5 điểm"),
    r(None, "- Ban hành chậm trên 15 ngày hoặc không ban hành: 0 điểm"),
    r("1.2", "Mức độ thực hiện kế hoạch CCHC năm", 2, "Báo cáo kết quả thực hiện kế hoạch"),
    r(None, "Hoàn thành 100% kế hoạch", 2),
    r(None, "Từ 80% đến dưới 100% kế hoạch", "1,5"),
    r(None, "Dưới 80% kế hoạch", 0),
    r("2", "Thực hiện chế độ báo cáo CCHC định kỳ", "1,5", "Báo cáo quý\nBáo cáo năm"),
    r("3", "Tuyên truyền cải cách hành chính", 1.5),
    r("4", "Sáng kiến, mô hình mới trong CCHC được công nhận (điểm thưởng)", 1),
    r("5", "Bị phê bình, nhắc nhở về CCHC (điểm trừ, trừ tối đa 1 điểm)", None, None, "Ghi 0 nếu không bị"),
    r(None, "Mỗi lần bị phê bình bằng văn bản trừ 0,5 điểm"),
    r("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "4"),
    r("1", "Công khai thủ tục hành chính", 2),
    r("a)", "Đầy đủ, đúng quy định (2 điểm)"),
    r("b)", "Chưa đầy đủ (1 điểm)"),
    r("c)", "Không công khai (0 điểm)"),
    r("2", "Tỷ lệ hồ sơ giải quyết đúng hạn", 2),
    r(None, "- Đạt 100%: 2 điểm"),
    r(None, "- Từ 90% đến dưới 100%: 1 điểm"),
    r(None, "- Dưới 90%: 0 điểm"),
    r("III", "TÁC ĐỘNG CỦA CẢI CÁCH HÀNH CHÍNH", 10),
    r("1", "Mức độ hài lòng của người dân, tổ chức (điều tra xã hội học)", 10),
    r(None, "TỔNG CỘNG", 20),
]

# Arabic fields and dotted ids typed as numbers (2.10 arrives as 2.1), three levels.
ARABIC = [
    r(1, "Công tác chỉ đạo, điều hành", None),
    r(1.1, "Kế hoạch CCHC", 2),
    r("1.1.1", "Ban hành kịp thời", 1),
    r("1.1.2", "Thực hiện đầy đủ", 1),
    r(1.2, "Báo cáo định kỳ", 1),
    r(2, "Thủ tục hành chính", 10),
    *[r(float(f"2.{n}"), f"Nhiệm vụ {n}", 1) for n in range(1, 11)],
]


def rows_for(case: str) -> list[list[Any]]:
    if case == "misprinted-total":  # and the notes and signature below the table
        return [*ROMAN[:-1], r(None, "Tổng cộng", 21), r("Ghi chú: điểm thưởng không cộng vào tổng", "")]
    return {"roman": ROMAN, "arabic": ARABIC}[case]


def write_xlsx(path: Path, rows: list[list[Any]], two_rows: bool = True, numbering: bool = True) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "PL03"
    for n, line in enumerate(TITLE, start=1):
        ws.cell(row=n, column=1, value=line)
        ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=7)
    top = len(TITLE) + 2
    head = HEAD if two_rows else [*HEAD[:3], "Điểm tự đánh giá", "Điểm thẩm định", *HEAD[5:]]
    extra = [head, SUBHEAD] if two_rows else [head]
    for offset, line in enumerate([*extra, *([NUMBERING] if numbering else []), *rows]):
        for col, value in enumerate(line, start=1):
            if value is not None:
                ws.cell(row=top + offset, column=col, value=value)
    if two_rows:
        for col in (1, 2, 3, 6, 7):
            ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
        ws.merge_cells(start_row=top, start_column=4, end_row=top, end_column=5)
    wb.save(path)
    return path


def write_ods(path: Path, rows: list[list[Any]]) -> Path:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("odf", reason="odfpy writes .ods for pandas")
    table = [[line] + [None] * 6 for line in TITLE] + [[None] * 7, HEAD, SUBHEAD, NUMBERING, *rows]
    pd.DataFrame(table).to_excel(path, engine="odf", header=False, index=False, sheet_name="PL03")
    return path


def write_docx(path: Path, rows: list[list[Any]]) -> Path:
    import docx

    document = docx.Document()
    for line in TITLE:
        document.add_paragraph(line)
    table = document.add_table(rows=3 + len(rows), cols=7)
    for col, value in enumerate(HEAD):
        if value is not None:
            table.cell(0, col).text = value
    for col, value in enumerate(SUBHEAD):
        if value is not None:
            table.cell(1, col).text = value
    for col in (0, 1, 2, 5, 6):
        table.cell(0, col).merge(table.cell(1, col))
    table.cell(0, 3).merge(table.cell(0, 4))
    for col, value in enumerate(NUMBERING):
        table.cell(2, col).text = value
    for n, line in enumerate(rows, start=3):
        for col, value in enumerate(line):
            if value is not None:  # a Word table holds text only: 1,5 as it is typed
                table.cell(n, col).text = str(value).replace(".", ",") if col == 2 else str(value)
    document.save(str(path))
    return path


def write_xls(path: Path, rows: list[list[Any]]) -> Path:
    xlwt = pytest.importorskip("xlwt", reason="xlwt writes .xls (Excel 97-2003)")
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("PL03")
    for n, line in enumerate(TITLE):
        ws.write_merge(n, n, 0, 6, line)
    top = len(TITLE) + 1
    for col in (0, 1, 2, 5, 6):
        ws.write_merge(top, top + 1, col, col, HEAD[col])
    ws.write_merge(top, top, 3, 4, HEAD[3])
    ws.write(top + 1, 3, SUBHEAD[3])
    ws.write(top + 1, 4, SUBHEAD[4])
    for offset, line in enumerate([NUMBERING, *rows], start=top + 2):
        for col, value in enumerate(line):
            if value is not None:
                ws.write(offset, col, value)
    book.save(str(path))
    return path


WRITERS = {"xlsx": write_xlsx, "xls": write_xls, "ods": write_ods, "docx": write_docx}


def repo(tmp_path: Path) -> Path:
    """The sample's criteria with a new cycle 2021 (the sample's assessment, no criteria yet)."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "criteria", root / "criteria")
    (root / "submissions").mkdir()
    (root / "criteria" / "2021").mkdir()
    text = (root / "criteria" / "2020" / "assessment.yaml").read_text(encoding="utf-8")
    (root / "criteria" / "2021" / "assessment.yaml").write_text(
        text.replace('cycle: "2020"', 'cycle: "2021"'), encoding="utf-8"
    )
    shutil.copy(root / "criteria" / "2020" / "district.yaml", root / "criteria" / "2021" / "district.yaml")
    return root


def import_annex(root: Path, path: Path, *extra: str) -> Any:
    args = ["criteria", "import", str(path), "--root", str(root), "--cycle", "2021", "--tier", "commune"]
    return run_cli(*args, *extra)


def imported(root: Path) -> CriteriaSet:
    data = loader.load_cycle(loader.FolderTree(root), "2021")
    s = data.criteria["commune"]
    assert not [p for p in data.problems if p.level == "error"], data.problems
    return s


def body(root: Path) -> str:
    """The imported YAML without its first line (which names the file)."""
    text = (root / "criteria" / "2021" / "commune.yaml").read_text(encoding="utf-8")
    return text.split("\n", 1)[1]


def check_expected(name: str, text: str, request: pytest.FixtureRequest) -> None:
    expected = EXPECTED / f"{name}.yaml"
    if request.config.getoption("--update-expected"):
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")


def problem_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if re.search(r" (error|warning) \[", line)]


@pytest.mark.parametrize("fmt", list(WRITERS))
@pytest.mark.parametrize("case", ["roman", "misprinted-total"])
def test_an_annex_with_roman_fields(
    case: str, fmt: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    root = repo(tmp_path)
    path = WRITERS[fmt](root / f"phu-luc-03.{fmt}", rows_for(case))
    run = import_annex(root, path)
    assert run.code == 0, run.out + run.err
    warnings = problem_lines(run.out)
    if case == "misprinted-total":
        where = "trang tính 'PL03', ô C34" if fmt != "docx" else "bảng 1, dòng 30, cột 3"
        row = 34 if fmt != "docx" else 30
        assert warnings == [
            f"phu-luc-03.{fmt}:{row}:3: warning [sheet-total-mismatch] Dòng tổng ghi 21 điểm nhưng tổng "
            "điểm tối đa các lĩnh vực là 20; hãy đối chiếu với bản giấy (bộ tiêu chí được nhập với "
            f"tổng 20) ({where})"
        ]
    else:
        assert warnings == []
    check_expected("roman", body(root), request)  # the same criteria whatever the format
    s = imported(root)
    assert s.max_total == 20 and len(s.leaves) == 9
    assert sum(len(c.levels) for c in s.leaves.values()) == 6
    assert [(b.min, b.points) for b in s.nodes["2.2"].bands] == [(100, 2), (90, 1), (0, 0)]
    assert [(b.min, b.points) for b in s.nodes["1.1.2"].bands] == [(100, 2), (80, Decimal("1.5")), (0, 0)]
    assert (s.nodes["1.4"].kind, s.nodes["1.5"].kind, s.nodes["1.5"].max) == ("bonus", "deduction", 1)
    assert s.nodes["3.1"].source == "survey"
    assert s.source.startswith("PHỤ LỤC 03, Kèm theo Quyết định số 29/2019/QĐ-UBND")
    assert run_cli("validate", "--root", str(root), "--cycle", "2021").code == 0


def test_ids_typed_as_numbers_are_recovered_from_the_row_order(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    root = repo(tmp_path)
    path = write_xlsx(root / "phu-luc.xlsx", rows_for("arabic"), two_rows=False, numbering=False)
    run = import_annex(root, path)
    assert run.code == 0, run.out + run.err
    assert problem_lines(run.out) == [
        "phu-luc.xlsx:21:1: warning [sheet-float-id] Ô STT là số 2.1 (Excel đã bỏ số 0 ở cuối); theo "
        "thứ tự các dòng đã đọc là '2.10'. Hãy kiểm tra, và định dạng cột STT là Văn bản (Text) "
        "(trang tính 'PL03', ô A21)"
    ]
    check_expected("arabic", body(root), request)
    s = imported(root)
    assert list(s.nodes)[-2:] == ["2.9", "2.10"] and s.nodes["1"].max == 3 and s.max_total is None
    assert run_cli("validate", "--root", str(root), "--cycle", "2021").code == 0


def test_what_cannot_be_read_is_said_where_and_nothing_is_written(tmp_path: Path) -> None:
    root = repo(tmp_path)
    target = root / "criteria" / "2021" / "commune.yaml"
    no_max = [[c for i, c in enumerate(line) if i != 2] for line in ROMAN]
    path = root / "thieu-cot.xlsx"
    write_xlsx(path, [[*line[:2], None, *line[2:]] for line in no_max])
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["PL03"]["C5"] = "Số điểm"  # the max column's header mistyped
    wb.save(path)
    run = import_annex(root, path)
    assert run.code == 1 and not target.exists()
    assert problem_lines(run.out) == [
        "thieu-cot.xlsx:5:1: error [sheet-header-incomplete] Không tìm thấy đủ các cột của phụ lục "
        "trong 30 dòng đầu: thiếu cột 'Điểm tối đa' (cần các cột 'STT', 'Lĩnh vực/Tiêu chí/Tiêu chí "
        "thành phần (hoặc Nội dung)', 'Điểm tối đa') (trang tính 'PL03', ô A5)"
    ]
    broken = [*ROMAN[:2], r("1.1", "Ban hành kế hoạch", None), r(1.3, "Số nhảy cóc", 1), *ROMAN[6:]]
    run = import_annex(root, write_docx(root / "loi.docx", broken))
    assert run.code == 1 and not target.exists()
    assert problem_lines(run.out) == [
        "loi.docx:6:3: error [sheet-bad-cell] Cột 'Điểm tối đa': thiếu điểm tối đa (bảng 1, dòng 6, cột 3)",
    ]
    run = import_annex(root, write_xlsx(root / "loi.xlsx", broken))  # 1.3 typed as a number
    assert run.code == 1 and problem_lines(run.out) == [
        "loi.xlsx:11:1: error [sheet-bad-id] Mã tiêu chí '1.3' không hợp lệ: ô dạng số (Excel đã bỏ số 0 "
        "ở cuối) không khớp thứ tự các dòng: dòng này phải là 1.2; hãy định dạng cột STT là Văn bản "
        "(Text) và gõ lại (trang tính 'PL03', ô A11)"
    ]
    (tmp_path / "hong.docx").write_bytes(b"not a zip")
    run = import_annex(root, tmp_path / "hong.docx")
    assert run.code == 1 and "[sheet-unreadable]" in run.out
    run = import_annex(root, write_docx(tmp_path / "pl.docx", ROMAN), "--sheet", "Bảng 2")
    assert run.code == 1 and "[sheet-not-found] Không có trang tính 'Bảng 2' (có: Bảng 1)" in run.out


def test_dry_run_shows_the_tree_and_writes_nothing(tmp_path: Path) -> None:
    root = repo(tmp_path)
    run = import_annex(root, write_docx(tmp_path / "phu-luc-03.docx", ROMAN), "--dry-run")
    assert run.code == 0, run.out + run.err
    assert not (root / "criteria" / "2021" / "commune.yaml").exists()
    lines = run.out.splitlines()
    assert lines[:3] == [
        "Bộ tiêu chí: BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA UBND CẤP XÃ",
        "Nguồn: PHỤ LỤC 03, Kèm theo Quyết định số 29/2019/QĐ-UBND ngày 15/8/2019 của UBND tỉnh Lai Châu",
        "Điểm tối đa: 20; 3 lĩnh vực, 10 tiêu chí, 9 dòng chấm điểm, 12 mức điểm",
    ]
    assert "    1.1.1  Ban hành kế hoạch CCHC năm kịp thời  [tối đa 1]" in lines
    assert "        0,5 điểm: Ban hành chậm không quá 15 ngày" in lines
    assert "        từ 80% trở lên: 1,5 điểm" in lines
    assert "        dưới 80%: 0 điểm" in lines
    assert "  1.5  Bị phê bình, nhắc nhở về CCHC (điểm trừ, trừ tối đa 1 điểm)  [tối đa 1, điểm trừ]" in lines
    survey = "  3.1  Mức độ hài lòng của người dân, tổ chức (điều tra xã hội học)"
    assert f"{survey}  [tối đa 10, điều tra xã hội học]" in lines
    assert lines[-1] == "Chạy thử: chưa ghi criteria/2021/commune.yaml; bỏ --dry-run để ghi."


# --- round trip: the sample's criteria laid out as an annex -----------------------------------


def annex_rows(s: CriteriaSet) -> list[list[Any]]:
    rows: list[list[Any]] = []

    def walk(c: Criterion) -> None:
        rows.append(r(c.id, c.name, c.max if c.is_leaf or c.kind == "normal" else None))
        for lv in c.levels:
            rows.append(r(None, f"- {lv.when}: {str(lv.points).replace('.', ',')} điểm"))
        for n, b in enumerate(c.bands):
            text = f"Dưới {c.bands[n - 1].min}%" if b.min == 0 and n else f"Từ {b.min}% trở lên"
            rows.append(r(None, text, b.points))
        for child in c.children:
            walk(child)

    for f in s.fields:
        walk(f)
    return [*rows, r(None, "Tổng cộng", s.max_total)]


def test_the_samples_criteria_as_an_annex_import_back(tmp_path: Path) -> None:
    root = repo(tmp_path)
    original = loader.load_cycle(loader.FolderTree(ROOT), "2020").criteria["commune"]
    path = write_xlsx(tmp_path / "mau.xlsx", annex_rows(original))
    run = import_annex(root, path)
    assert run.code == 0, run.out + run.err
    s = imported(root)

    def meaning(c: Criterion) -> Any:
        return (c.id, c.name, c.max, c.kind, c.source, c.levels and [(v.points, v.when) for v in c.levels])

    assert [meaning(c) for c in s.leaves.values()] == [meaning(c) for c in original.leaves.values()]
    assert [[(b.min, b.points) for b in c.bands] for c in s.leaves.values()] == [
        [(b.min, b.points) for b in c.bands] for c in original.leaves.values()
    ]
    assert s.max_total == original.max_total


def test_a_word_cell_holding_the_name_and_its_rule_lines(tmp_path: Path) -> None:
    root = repo(tmp_path)
    rows = [
        r("I", "CÔNG TÁC CHỈ ĐẠO", None),
        r(
            "1",
            "Ban hành kế hoạch CCHC năm\n- Đúng thời hạn: 1 điểm\n- Chậm: 0,5 điểm\n- Không ban hành: 0 điểm",
            1,
        ),
        r("2", "Thực hiện kế hoạch", 2),
        r(None, "- Hoàn thành 100%: 2 điểm\n- Từ 80% đến dưới 100%: 1 điểm\n- Dưới 80%: 0 điểm"),
        r("3", "Tuyên truyền về cải cách hành chính trên\ncổng thông tin điện tử của xã", 1),
        r(None, "Từ 80% đến\ndưới 100%", 1),
        r("4", "Công khai thủ tục hành chính", 1),
        r(None, "- Đầy đủ, đúng quy định: 1; chưa đầy đủ: 0,5; không công khai: 0"),
    ]
    run = import_annex(root, write_docx(root / "o-gop.docx", rows))
    assert run.code == 0, run.out + run.err
    s = imported(root)
    assert [(lv.points, lv.when) for lv in s.nodes["1.1"].levels] == [
        (1, "Đúng thời hạn"),
        (Decimal("0.5"), "Chậm"),
        (0, "Không ban hành"),
    ]
    assert [(b.min, b.points) for b in s.nodes["1.2"].bands] == [(100, 2), (80, 1), (0, 0)]
    assert s.nodes["1.3"].name == "Tuyên truyền về cải cách hành chính trên cổng thông tin điện tử của xã"
    assert [(b.min, b.points) for b in s.nodes["1.3"].bands] == [(80, 1)]
    assert [(lv.points, lv.when) for lv in s.nodes["1.4"].levels] == [
        (1, "Đầy đủ, đúng quy định"),
        (Decimal("0.5"), "chưa đầy đủ"),
        (0, "không công khai"),
    ]


def test_the_plain_criteria_sheet_saved_as_ods_or_xls_imports_as_the_xlsx_does(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    xlwt = pytest.importorskip("xlwt", reason="xlwt writes .xls (Excel 97-2003)")
    root = repo(tmp_path)
    xlsx = root / "tieu-chi.xlsx"
    args = ["--root", str(root), "--cycle", "2020", "--tier", "commune"]
    assert run_cli("criteria", "export", *args, "--out", str(xlsx)).code == 0
    sheets = pd.read_excel(xlsx, sheet_name=None, header=None, dtype=object, engine="openpyxl")
    with pd.ExcelWriter(root / "tieu-chi.ods", engine="odf") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    book = xlwt.Workbook(encoding="utf-8")
    for name, frame in sheets.items():
        ws = book.add_sheet(name)
        for r_, line in enumerate(frame.itertuples(index=False)):
            for c_, value in enumerate(line):
                if not pd.isna(value):
                    ws.write(r_, c_, value)
    book.save(str(root / "tieu-chi.xls"))
    bodies = []
    for suffix in ("xlsx", "ods", "xls"):
        run = import_annex(root, root / f"tieu-chi.{suffix}", "--force")
        assert run.code == 0, run.out + run.err
        bodies.append(body(root))
    assert bodies[1] == bodies[0] and bodies[2] == bodies[0]
    assert imported(root).max_total == 100


@pytest.mark.parametrize(
    "lines, expected",
    [
        (TITLE, {"title": TITLE[1], "source": "PHỤ LỤC 03, " + TITLE[2].strip("()")}),
        (  # a whole decision above the annex: only what follows "Phụ lục" counts
            ["UBND TỈNH LAI CHÂU", "QUYẾT ĐỊNH", "Điều 1. Ban hành …", "Phụ lục 02", "BỘ TIÊU CHÍ CẤP HUYỆN"],
            {"title": "BỘ TIÊU CHÍ CẤP HUYỆN", "source": "Phụ lục 02"},
        ),
        (["PHỤ LỤC SỐ 03: BỘ TIÊU CHÍ CẤP XÃ"], {"title": "BỘ TIÊU CHÍ CẤP XÃ", "source": "PHỤ LỤC SỐ 03"}),
        ([], {}),
    ],
)
def test_the_title_block(lines: list[str], expected: dict[str, str]) -> None:
    from builder.office.annex_header import title_block

    assert title_block(lines) == expected


def test_an_annex_whose_headers_are_also_the_plain_sheets_is_read_as_an_annex(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from openpyxl import load_workbook

    root = repo(tmp_path)
    path = write_xlsx(root / "phu-luc-03.xlsx", ROMAN)
    wb = load_workbook(path)
    wb["PL03"]["A5"] = "Mã"  # "Mã", "Lĩnh vực/Tiêu chí/…", "Điểm tối đa": the plain sheet's names too
    wb.save(path)
    run = import_annex(root, path)
    assert run.code == 0, run.out + run.err
    check_expected("roman", body(root), request)


def test_bonus_and_deduction_as_their_own_sections(tmp_path: Path) -> None:
    root = repo(tmp_path)
    rows = [
        r("I", "CÔNG TÁC CHỈ ĐẠO", 2),
        r("1", "Kế hoạch CCHC", 2),
        r("II", "ĐIỂM THƯỞNG", 1.5),
        r("1", "Sáng kiến được cấp tỉnh công nhận", 1),
        r("2", "Mô hình mới được nhân rộng", "0,5"),
        r("III", "ĐIỂM TRỪ (trừ tối đa 2 điểm)", None),
        r("1", "Bị phê bình bằng văn bản", -1),
        r("2", "Để xảy ra sai phạm, trừ tối đa 1 điểm", None),
        r(None, "Tổng cộng", 2),
    ]
    run = import_annex(root, write_xlsx(root / "thuong-tru.xlsx", rows))
    assert run.code == 0, run.out + run.err
    assert problem_lines(run.out) == []
    s = imported(root)
    assert [(c.id, c.kind, c.max) for c in s.leaves.values()] == [
        ("1.1", "normal", 2),
        ("2.1", "bonus", 1),
        ("2.2", "bonus", Decimal("0.5")),
        ("3.1", "deduction", 1),
        ("3.2", "deduction", 1),
    ]
    assert s.max_total == 2
    assert run_cli("validate", "--root", str(root), "--cycle", "2021").code == 0
