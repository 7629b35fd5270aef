"""`export`: the XLSX workbook in the official table layout, with totals equal to `score`,
and the CSV and JSON files; nothing is written when the data has errors."""

from __future__ import annotations

import errno
import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from builder.office.export import dumps
from builder.office.xlsx import HEADERS, SUMMARY, SUMMARY_HEADERS
from casekit import case_dirs, materialize
from conftest import ROOT, run_cli

REF = re.compile(r"^(?:'((?:[^']|'')+)'!|([^'!+]+)!)?\$?([A-Z]+)\$?(\d+)$")


def evaluate(wb: Workbook, sheet: str, coordinate: str) -> Decimal | None:
    """A cell's value with exact Decimal arithmetic: numbers are read back as the decimal
    they were written as, formulas (only `=A1+B2+'Sheet'!C3` and `=0` are used) are summed."""
    value = wb[sheet][coordinate].value
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise AssertionError(f"{sheet}!{coordinate}: unexpected {value!r}")
    if isinstance(value, (int, float)):
        return Decimal(repr(value))  # the shortest repr of the double is the decimal written
    assert value.startswith("="), f"{sheet}!{coordinate} holds text {value!r}"
    total = Decimal(0)
    for term in value[1:].split("+"):
        if term == "0":
            continue
        match = REF.match(term)
        assert match, f"{sheet}!{coordinate}: unsupported formula {value}"
        quoted, bare, column, row = match.groups()
        target = quoted.replace("''", "'") if quoted else bare or sheet
        total += evaluate(wb, target, f"{column}{row}") or Decimal(0)
    return total


def export(root: Path, out: Path, *args: str) -> Any:
    run = run_cli("export", "--root", str(root), "--out", str(out), *args)
    assert run.code == 0, run.err
    return run


def scored(root: Path, *args: str) -> dict[str, Any]:
    run = run_cli("score", "--format", "json", "--root", str(root), *args)
    data: dict[str, Any] = json.loads(run.out, parse_float=Decimal, parse_int=Decimal)
    return data


def unit_rows(wb: Workbook) -> dict[str, int]:
    """Summary row of each unit, by unit name."""
    ws = wb[SUMMARY]
    return {
        ws.cell(row=r, column=2).value: r for r in range(6, ws.max_row + 1) if ws.cell(row=r, column=2).value
    }


def check_totals(wb: Workbook, expected: dict[str, Any]) -> int:
    """Every total of `score --format json` equals the workbook's formulas; returns units checked."""
    rows = unit_rows(wb)
    checked = 0
    for unit in expected["units"]:
        row = rows[unit["name"]]
        summary = wb[SUMMARY]
        assert summary.cell(row=row, column=1).value == (
            int(unit["rank"]) if unit["rank"] is not None else None
        )
        assert summary.cell(row=row, column=11).value in (
            unit["classification"],
            None if unit["classification"] is None else "",
        )
        got = {
            key: evaluate(wb, SUMMARY, f"{col}{row}")
            for key, col in (("self_total", "F"), ("final_total", "H"), ("max", "I"))
        }
        if unit["status"] == "missing":
            assert got == {"self_total": None, "final_total": None, "max": None}
            assert unit["name"] not in wb.sheetnames
            continue
        assert got == {k: unit[k] for k in got}, unit["unit"]
        index = summary.cell(row=row, column=10).value
        assert Decimal(repr(index)) == unit["index"].quantize(Decimal("0.01")) or abs(
            Decimal(repr(index)) - unit["index"]
        ) < Decimal("0.005"), unit["unit"]
        # per field: the bold field rows of the unit's sheet
        sheet = _sheet_for(wb, summary.cell(row=row, column=8).value)
        fields = field_rows(wb[sheet])
        assert list(fields) == list(unit["fields"])
        for fid, field_row in fields.items():
            values = {
                "max": evaluate(wb, sheet, f"C{field_row}"),
                "self": evaluate(wb, sheet, f"D{field_row}"),
                "final": evaluate(wb, sheet, f"F{field_row}"),
            }
            assert values == unit["fields"][fid], (unit["unit"], fid)
        checked += 1
    return checked


def _sheet_for(wb: Workbook, formula: str) -> str:
    match = REF.match(formula[1:])
    assert match
    quoted, bare, _, _ = match.groups()
    return quoted.replace("''", "'") if quoted else bare


def field_rows(ws: Any) -> dict[str, int]:
    """The bold field rows of the table, above its TỔNG ĐIỂM line."""
    end = next(r for r in range(11, ws.max_row + 1) if ws.cell(row=r, column=2).value == "TỔNG ĐIỂM")
    return {
        str(ws.cell(row=r, column=1).value): r
        for r in range(11, end)
        if ws.cell(row=r, column=1).value
        and "." not in str(ws.cell(row=r, column=1).value)
        and ws.cell(row=r, column=1).font.bold
    }


# --- the sample ----------------------------------------------------------------------------


def sample_cycles() -> list[str]:
    criteria = ROOT / "criteria"
    return (
        sorted(p.name for p in criteria.iterdir() if (p / "assessment.yaml").is_file())
        if criteria.is_dir()
        else []
    )


@pytest.mark.parametrize("cycle", sample_cycles())
def test_sample_workbook_totals_equal_score_json(cycle: str, tmp_path: Path) -> None:
    export(ROOT, tmp_path, "--format", "xlsx", "--cycle", cycle)
    wb = load_workbook(tmp_path / f"chi-so-cchc-{cycle}.xlsx")
    expected = scored(ROOT, "--cycle", cycle)
    assert check_totals(wb, expected) >= 1
    assert wb.sheetnames[0] == SUMMARY


# --- layout --------------------------------------------------------------------------------


@pytest.fixture
def base_workbook(tmp_path: Path) -> tuple[Workbook, dict[str, Any]]:
    root = materialize(None, tmp_path / "repo")
    export(root, tmp_path / "out", "--format", "xlsx")
    return load_workbook(tmp_path / "out/chi-so-cchc-2019.xlsx"), scored(root)


def test_totals_equal_score_json_with_bonus_deduction_na_and_survey(
    base_workbook: tuple[Workbook, dict[str, Any]],
) -> None:
    wb, expected = base_workbook
    assert check_totals(wb, expected) == 2  # xa-cam-son has no scorecard: no sheet, blank totals


def test_layout_is_the_official_table(base_workbook: tuple[Workbook, dict[str, Any]]) -> None:
    wb, _ = base_workbook
    assert wb.sheetnames == [SUMMARY, "UBND thị trấn Bến Cầu", "UBND xã An Bình"]  # ranking order
    ws = wb["UBND xã An Bình"]
    assert [c.value for c in ws[9]] == HEADERS
    assert [c.value for c in ws[10]] == [f"({i})" for i in range(1, 9)]
    assert all(c.font.bold for c in ws[9])
    assert ws["A5"].value.startswith("BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM")
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth or 1) == 1  # 1 page wide: absent means 1 (ECMA-376 default)
    assert int(ws.page_setup.fitToHeight) == 0  # as many pages tall as needed
    assert ws.print_title_rows == "$9:$9"
    assert ws.column_dimensions["B"].width >= 50 and ws.column_dimensions["G"].width >= 40
    rows = {str(ws.cell(row=r, column=1).value): r for r in range(11, ws.max_row + 1)}
    # field rows bold with formula subtotals; the town-only 2.2 and the survey's self score absent
    assert ws.cell(row=rows["1"], column=2).value == "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC"
    assert ws.cell(row=rows["1"], column=3).font.bold
    # the max adds 1.1 only: 1.2 is not applicable here, 1.3 a bonus, 1.4 a deduction
    assert ws.cell(row=rows["1"], column=3).value == f"=C{rows['1.1']}"
    assert ws.cell(row=rows["1"], column=4).value.count("+") == 3  # 1.1, 1.2, 1.3, 1.4
    assert "2.2" not in rows
    assert ws.cell(row=rows["3.1"], column=4).value is None
    assert ws.cell(row=rows["3.1"], column=5).value == 8.25  # appraised
    assert ws.cell(row=rows["3.1"], column=6).value == 8.25  # final
    notes = ws.cell(row=rows["1.2"], column=8).value
    assert notes.startswith("Không áp dụng: ")
    evidence = ws.cell(row=rows["1.1.1"], column=7).value
    assert "Số 12/KH-UBND ngày 20/12/2018 của UBND xã An Bình" in evidence
    summary = wb[SUMMARY]
    assert [c.value for c in summary[5]] == SUMMARY_HEADERS
    assert summary.page_setup.orientation == "landscape"


def test_text_from_files_never_becomes_a_formula(tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    card = root / "submissions/2019/xa-an-binh/scorecard.yaml"
    text = card.read_text(encoding="utf-8").replace(
        '"Niêm yết tại trụ sở, chưa có ảnh chụp"', '"=HYPERLINK(\\"http://evil\\")\\u0007"'
    )
    assert text != card.read_text(encoding="utf-8")
    card.write_text(text, encoding="utf-8")
    export(root, tmp_path / "out", "--format", "xlsx")
    ws = load_workbook(tmp_path / "out/chi-so-cchc-2019.xlsx")["UBND xã An Bình"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert len(cells) == 1
    assert cells[0].data_type == "s"
    assert cells[0].value == 'Giải trình: =HYPERLINK("http://evil")'


def test_csv_and_json_are_the_exports_of_score(tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    run = export(root, tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [
        "chi-so-cchc-2019.xlsx",
        "ket-qua-2019.csv",
        "ket-qua-2019.json",
        "tieu-chi-2019.csv",
        "tong-hop-2019.csv",
    ]
    assert run.out.count("Đã ghi") == 5
    as_json = json.loads(
        (tmp_path / "out/ket-qua-2019.json").read_text(encoding="utf-8"), parse_float=Decimal
    )
    files = {u["unit"]: u.pop("evidence_files") for u in as_json["units"]}  # export's one extra key
    assert files["xa-an-binh"][0]["file"] == "evidence/bc-30.pdf"
    assert as_json == json.loads(
        run_cli("score", "--format", "json", "--root", str(root)).out, parse_float=Decimal
    )
    csv_text = (tmp_path / "out/ket-qua-2019.csv").read_text(encoding="utf-8")
    assert csv_text == run_cli("score", "--format", "csv", "--root", str(root)).out
    leaves = (tmp_path / "out/tieu-chi-2019.csv").read_text(encoding="utf-8").splitlines()
    assert leaves[0] == "cycle,unit,criterion,max,applicable,self,appraised,final,appraised_by"
    assert "2019,xa-an-binh,3.1,10,true,,8.25,8.25,noi-vu" in leaves


@pytest.mark.parametrize(
    "case", [c for c in case_dirs("invalid") if c.name == "score-above-max"], ids=lambda p: p.name
)
def test_export_refuses_data_with_errors(case: Path, tmp_path: Path) -> None:
    root = materialize(case, tmp_path / "repo")
    run = run_cli("export", "--root", str(root), "--out", str(tmp_path / "out"))
    assert run.code == 1
    assert "validate --cycle 2019" in run.err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("cycle", sample_cycles())
def test_sample_exports_equal_score_with_history(cycle: str, tmp_path: Path) -> None:
    """On the sample (a Git repository) `late` comes from history, in `score` and `export` alike."""
    export(ROOT, tmp_path, "--format", "json", "--cycle", cycle)
    export(ROOT, tmp_path, "--format", "csv", "--cycle", cycle)
    score = run_cli("score", "--format", "json", "--root", str(ROOT), "--cycle", cycle)
    exported = json.loads(
        (tmp_path / f"ket-qua-{cycle}.json").read_text(encoding="utf-8"), parse_float=Decimal
    )
    assert all("evidence_files" in u for u in exported["units"])  # export's one extra key
    for u in exported["units"]:
        del u["evidence_files"]
    assert dumps(exported) + "\n" == score.out  # the same text, exact literals and all
    score_csv = run_cli("score", "--format", "csv", "--root", str(ROOT), "--cycle", cycle)
    assert (tmp_path / f"ket-qua-{cycle}.csv").read_text(encoding="utf-8") == score_csv.out


def test_vietnamese_summary_csv_opens_in_excel(tmp_path: Path) -> None:
    """tong-hop.csv: UTF-8 with BOM, ';' and a decimal comma, Vietnamese headers, notes."""
    root = materialize(None, tmp_path / "repo")
    export(root, tmp_path / "out", "--format", "csv")
    raw = (tmp_path / "out/tong-hop-2019.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw[3:].decode("utf-8").split("\r\n")
    assert lines[0] == (
        "Xếp hạng;Đơn vị;Mã;Cấp;Nhóm;Trạng thái;Tự chấm;Thẩm định;Điểm cuối cùng;Điểm tối đa;"
        "Chỉ số;Xếp loại;Nộp muộn"
    )
    rows = {line.split(";")[2]: line.split(";") for line in lines[1:] if line.count(";") == 12}
    expected = {u["unit"]: u for u in scored(root)["units"]}
    assert set(rows) == set(expected)
    for unit, row in rows.items():
        e = expected[unit]
        final = "" if e["final_total"] is None else format(e["final_total"], "f").replace(".", ",")
        assert row[8] == final
        assert "." not in row[6] + row[8] + row[10]
    leaves = (tmp_path / "out/tieu-chi-2019.csv").read_text(encoding="utf-8").splitlines()[1:]
    cols = [x.split(",") for x in leaves]
    # "Thẩm định" as on the site: the sum only when every applicable leaf was appraised, else "—"
    seen = set()
    for unit, row in rows.items():
        leaf_rows = [c for c in cols if c[1] == unit and c[4] == "true"]
        if not leaf_rows:
            continue
        appraised = [c[6] for c in leaf_rows if c[6]]
        if len(appraised) == len(leaf_rows):
            seen.add("all")
            assert row[7] == format(sum(Decimal(a) for a in appraised), "f").replace(".", ",")
        else:
            seen.add("part" if appraised else "none")
            assert row[7] == "—"  # no partial sum that reads like the unit's points
    assert seen == {"part"}  # the sample's units are partly appraised (all: tests/test_score.py)
    assert rows["xa-cam-son"][7] == ""  # missing: nothing to appraise
    assert any(line.startswith("Thẩm định: tổng điểm Hội đồng thẩm định") for line in lines)
    machine = (tmp_path / "out/ket-qua-2019.csv").read_bytes()
    assert not machine.startswith(b"\xef\xbb\xbf") and machine.startswith(b"cycle,unit,")


# --- the report layout and the streamed writer ---------------------------------------------


def _color(color: Any) -> str | None:
    """A font colour's RGB; XlsxWriter names the default as the theme's text colour (theme 1,
    black), which is what no colour means."""
    if color is None or (color.type == "theme" and color.theme == 1):
        return None
    assert color.type == "rgb", color
    return str(color.rgb)


def _look(cell: Any) -> tuple[object, ...]:
    f, a = cell.font, cell.alignment
    return (
        cell.value,
        cell.data_type if cell.value is not None else None,  # an empty cell has no type to compare
        f.name,
        f.b,
        f.i,
        f.sz,
        _color(f.color),
        cell.fill.fgColor.rgb if cell.fill.fill_type else None,
        cell.border.left.style,
        a.horizontal,
        a.vertical,
        a.wrap_text,
        a.indent,
        cell.number_format,
    )


def test_streamed_workbook_equals_the_in_memory_one_cell_by_cell(tmp_path: Path) -> None:
    """write_workbook (openpyxl write-only mode, named styles) writes what build_workbook builds."""
    from builder.load.cycle import FolderTree, load_cycle
    from builder.office.xlsx import build_workbook, write_workbook
    from builder.score import score_cycle

    data = load_cycle(FolderTree(ROOT), "2019")
    result = score_cycle(data, {})
    build_workbook(data, result).save(tmp_path / "memory.xlsx")
    write_workbook(tmp_path / "stream.xlsx", data, result)
    memory, stream = load_workbook(tmp_path / "memory.xlsx"), load_workbook(tmp_path / "stream.xlsx")
    assert memory.sheetnames == stream.sheetnames and len(stream.sheetnames) > 10
    cells = 0
    for name in memory.sheetnames:
        a, b = memory[name], stream[name]
        assert a.max_row == b.max_row and a.max_column == b.max_column, name
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
            for cell_a, cell_b in zip(row_a, row_b, strict=True):
                assert _look(cell_a) == _look(cell_b), (name, cell_a.coordinate)
                cells += 1
        assert sorted(map(str, a.merged_cells.ranges)) == sorted(map(str, b.merged_cells.ranges))
        heights = {r: d.height for r, d in a.row_dimensions.items() if d.height}
        assert heights == {r: d.height for r, d in b.row_dimensions.items() if d.height}, name
        assert a.print_title_rows == b.print_title_rows and a.freeze_panes == b.freeze_panes
        assert _widths(a) == _widths(b), name
        assert _page(a) == _page(b), name
    assert cells > 5000
    assert memory.properties.title == stream.properties.title and stream.properties.creator


def _widths(ws: Any) -> dict[int, float]:
    """Each column's width; XlsxWriter writes one <col> for a run of equal widths."""
    return {c: d.width for d in ws.column_dimensions.values() if d.width for c in range(d.min, d.max + 1)}


def _page(ws: Any) -> tuple[object, ...]:
    p, m = ws.page_setup, ws.page_margins
    return (
        p.orientation,
        int(p.paperSize),
        p.fitToWidth or 1,  # absent means 1 (ECMA-376 default): XlsxWriter leaves it out
        int(p.fitToHeight),
        ws.sheet_properties.pageSetUpPr.fitToPage,
        (m.left, m.right, m.top, m.bottom),
        ws.oddFooter.center.text,
    )


def test_cached_formula_values_are_the_exact_totals(tmp_path: Path) -> None:
    """A reader that does not recalculate (LibreOffice by default, previews) sees each
    formula's stored value: it equals the sum of the cells it names, exactly."""
    export(ROOT, tmp_path, "--format", "xlsx", "--cycle", "2019")
    path = tmp_path / "chi-so-cchc-2019.xlsx"
    formulas, cached = load_workbook(path), load_workbook(path, data_only=True)
    checked = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    stored = cached[ws.title][c.coordinate].value
                    assert Decimal(repr(stored)) == evaluate(formulas, ws.title, c.coordinate), c
                    checked += 1
    assert checked > 500


def test_unit_sheet_is_the_signed_report(tmp_path: Path) -> None:
    export(ROOT, tmp_path, "--format", "xlsx", "--cycle", "2019")
    wb = load_workbook(tmp_path / "chi-so-cchc-2019.xlsx")
    ws = wb["UBND xã Bản Bo"]
    values = [(c.coordinate, c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    texts = [str(v) for _, v in values]
    assert ("C1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") in values
    assert ("C2", "Độc lập - Tự do - Hạnh phúc") in values
    assert ("A1", "UBND HUYỆN TAM ĐƯỜNG") in values and ("A2", "UBND XÃ BẢN BO") in values
    assert ("C3", "Bản Bo, ngày 11 tháng 01 năm 2020") in values  # approved_by.date
    assert "CHỦ TỊCH UBND XÃ" in texts and "Lò Văn G (minh họa)" in texts  # approved_by
    assert texts.index("CHỦ TỊCH UBND XÃ") > texts.index("TỔNG ĐIỂM")
    assert any(t.startswith("Điểm thẩm định: ") for t in texts)
    fonts = {c.font.name for name in wb.sheetnames for row in wb[name].iter_rows() for c in row if c.value}
    assert fonts == {"Times New Roman"}


def test_row_heights_leave_room_for_every_wrapped_line(tmp_path: Path) -> None:
    """No clipped text: each row is at least as tall as its longest wrapped cell needs."""
    export(ROOT, tmp_path, "--format", "xlsx", "--cycle", "2019")
    wb = load_workbook(tmp_path / "chi-so-cchc-2019.xlsx")
    checked = 0
    for ws in wb.worksheets:
        widths = {col: ws.column_dimensions[col].width for col in "ABCDEFGHIJKL"}
        merged = {r.start_cell.coordinate: r for r in ws.merged_cells.ranges}
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str) or c.value.startswith("=") or not c.alignment.wrap_text:
                    continue
                span = merged.get(c.coordinate)
                first, last = (span.min_col, span.max_col) if span else (c.column, c.column)
                cols = [chr(64 + i) for i in range(first, last + 1)]
                chars = sum(widths[col] for col in cols)  # about one character per width unit
                lines = sum(max(1, -(-len(part) // int(chars))) for part in c.value.split("\n"))
                height = ws.row_dimensions[c.row].height
                assert height and height >= 14 * lines, (ws.title, c.coordinate, c.value, height)
                checked += 1
    assert checked > 500


HOSTILE = [
    '=HYPERLINK("http://evil","bấm")',
    "+1+2",
    "-1",
    "@SUM(A1)",
    "=1+1",
    "http://example.com/x",
    "1.5",
    "0123",
    "TRUE",
]


def _stream(path: Path, sheet: Any) -> None:
    """One Sheet written as write_workbook writes each of its sheets."""
    import xlsxwriter

    from builder.office.sheet import Formats, write
    from builder.office.xlsx import OPTIONS

    wb = xlsxwriter.Workbook(str(path), {**OPTIONS, "tmpdir": str(path.parent)})
    write(wb.add_worksheet(sheet.title), Formats(wb), sheet)
    wb.close()


def test_hostile_text_stays_text_in_the_streamed_sheet(tmp_path: Path) -> None:
    """What XlsxWriter's write() would turn into a formula, number, boolean or link stays text."""
    from builder.office.sheet import Sheet

    sh = Sheet("T", [10, 10])
    for row, value in enumerate(HOSTILE, start=1):
        sh.put(row, 1, value)
    _stream(tmp_path / "t.xlsx", sh)
    ws = load_workbook(tmp_path / "t.xlsx")["T"]
    assert [ws.cell(row=r, column=1).value for r in range(1, len(HOSTILE) + 1)] == HOSTILE
    assert {ws.cell(row=r, column=1).data_type for r in range(1, len(HOSTILE) + 1)} == {"s"}
    assert not ws._hyperlinks


def test_control_characters_and_overlong_text_fit_a_cell(tmp_path: Path) -> None:
    """Control characters go, text past Excel's 32,767 characters is cut with a mark: the
    file opens in Excel, and the reference and streamed workbooks agree."""
    from builder.office.sheet import MAX_TEXT, Sheet

    sh = Sheet("T", [10])
    sh.put(1, 1, "a\x00b\x07c\x1fd\te\nf")
    sh.put(2, 1, "x" * 40_000)
    sh.put(3, 1, "y" * MAX_TEXT)
    sh.put(4, 1, "😀" * 20_000)  # 40,000 UTF-16 units: Excel counts an emoji as two
    _stream(tmp_path / "t.xlsx", sh)
    ws = load_workbook(tmp_path / "t.xlsx")["T"]
    assert ws["A1"].value == "abcd\te\nf"
    assert len(ws["A2"].value) == MAX_TEXT and ws["A2"].value.endswith("…")
    assert ws["A3"].value == "y" * MAX_TEXT  # at the limit: kept whole
    assert ws["A4"].value == "😀" * ((MAX_TEXT - 1) // 2) + "…"  # whole emoji only, then the mark


def test_hostile_difficulties_stay_text_end_to_end(tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    card = root / "submissions/2019/xa-an-binh/scorecard.yaml"
    text = card.read_text(encoding="utf-8")
    assert 'difficulties: "Thiếu máy scan."' in text
    card.write_text(text.replace('"Thiếu máy scan."', '"=HYPERLINK(\\"http://evil\\")"'), encoding="utf-8")
    export(root, tmp_path / "out", "--format", "xlsx")
    ws = load_workbook(tmp_path / "out/chi-so-cchc-2019.xlsx")["UBND xã An Bình"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("http://evil")']
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_two_exports_are_byte_identical(tmp_path: Path) -> None:
    """An incremental build compares bytes: no clock in the document dates or zip entries."""
    import time
    import zipfile

    export(ROOT, tmp_path / "a", "--format", "xlsx", "--cycle", "2019")
    time.sleep(1.1)  # a second later: a timestamp taken from the clock would differ
    export(ROOT, tmp_path / "b", "--format", "xlsx", "--cycle", "2019")
    a, b = (tmp_path / d / "chi-so-cchc-2019.xlsx" for d in "ab")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert {info.date_time[:3] for info in z.infolist()} == {(1980, 1, 31)}
        core = z.read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2020-01-22T00:00:00Z<' in core, core  # deadline
    assert sorted(p.name for p in a.parent.iterdir()) == ["chi-so-cchc-2019.xlsx"]  # no temp left


@pytest.mark.parametrize(
    ("number", "cause"), [(errno.ENOSPC, "ổ đĩa đầy"), (errno.EACCES, "không có quyền ghi")]
)
def test_a_write_failure_is_a_message_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int, cause: str
) -> None:
    """Disk full half-way through the sheets: a Vietnamese message (exit 2 as every write
    fault), no traceback, no temp file and no partial workbook; an older workbook stays."""
    from xlsxwriter.worksheet import Worksheet

    out = tmp_path / "out"
    out.mkdir()
    (out / "chi-so-cchc-2019.xlsx").write_bytes(b"old")
    written = {"rows": 0}
    original = Worksheet._write_single_row

    def fail(self: Any, *args: Any) -> Any:
        written["rows"] += 1
        if written["rows"] > 300:
            raise OSError(number, os.strerror(number), self.row_data_filename)
        return original(self, *args)

    monkeypatch.setattr(Worksheet, "_write_single_row", fail)
    run = run_cli("export", "--root", str(ROOT), "--out", str(out), "--format", "xlsx", "--cycle", "2019")
    assert run.code == 2 and "Traceback" not in run.err and cause in run.err, run.err
    assert run.err.startswith("Lỗi: không ghi hoặc đọc được '")
    assert written["rows"] > 300
    assert sorted(p.name for p in out.iterdir()) == ["chi-so-cchc-2019.xlsx"]
    assert (out / "chi-so-cchc-2019.xlsx").read_bytes() == b"old"


def test_an_unwritable_folder_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The close step (XlsxWriter wraps its OSError in FileCreateError) is reported the same way."""
    import zipfile

    def fail(self: Any, *args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(args[0]) if args else None)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", fail)
    out = tmp_path / "out"
    run = run_cli("export", "--root", str(ROOT), "--out", str(out), "--format", "xlsx", "--cycle", "2019")
    assert run.code == 2 and "Traceback" not in run.err and "chỉ đọc" in run.err, run.err
    assert list(out.iterdir()) == []


def test_sheet_names_fit_excel_with_emoji_and_clashes() -> None:
    """31 UTF-16 units (an emoji is two), unique ignoring case, none of []:*?/\\ or quotes:
    XlsxWriter refuses any other name, which would be a traceback, not a workbook."""
    from types import SimpleNamespace

    from builder.office.sheet import utf16_len, workbook
    from builder.office.xlsx import sheet_names

    names = ["😀" * 20, "😀" * 20, "UBND xã 'A'/[B]*?:", "ubnd XÃ  A  B", "Tổng hợp", "x" * 40, "X" * 40]
    result = SimpleNamespace(units=[SimpleNamespace(unit=f"u{i}", name=n) for i, n in enumerate(names)])
    got = sheet_names(result)  # type: ignore[arg-type]
    assert len({v.lower() for v in got.values()} | {"tổng hợp"}) == len(names) + 1
    assert all(utf16_len(v) <= 31 for v in got.values()), got
    wb = workbook("/dev/null", {"in_memory": True})
    for name in got.values():
        wb.add_worksheet(name)  # XlsxWriter's rules, now a set look-up
    with pytest.raises(Exception, match="A"):
        wb.add_worksheet(got["u3"].upper())


def test_unit_sheet_appraised_column_means_what_the_site_shows(tmp_path: Path) -> None:
    """ "Điểm thẩm định" on a field row: a sum only when every applicable leaf was appraised,
    else "—" (results.appraised_sum), the numbers tests/test_site_columns.py reads on the site."""
    export(ROOT, tmp_path, "--format", "xlsx", "--cycle", "2019")
    ws = load_workbook(tmp_path / "chi-so-cchc-2019.xlsx")["UBND xã Bản Bo"]
    rows = field_rows(ws)
    assert Decimal(str(ws.cell(row=rows["1"], column=5).value)) == Decimal("9.25")  # all appraised
    assert ws.cell(row=rows["9"], column=5).value == "—"  # partly appraised: no partial sum
    total = next(r for r in range(11, ws.max_row + 1) if ws.cell(row=r, column=2).value == "TỔNG ĐIỂM")
    assert ws.cell(row=total, column=5).value == "—"
