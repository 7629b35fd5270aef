"""`criteria import` / `criteria export`: criteria sets through Excel sheets and back, with
problems that point at the sheet's cells (PATH:ROW:COL)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from builder.load import cycle as loader
from builder.model import CriteriaSet, Criterion
from builder.office.criteria_sheet import COLUMNS, parse_rule
from casekit import materialize
from conftest import ROOT, run_cli


def canonical(s: CriteriaSet) -> Any:
    """Everything a criteria set means (positions and comments aside)."""

    def node(c: Criterion) -> Any:
        return (
            c.id,
            c.name,
            c.max,
            c.kind,
            c.source,
            tuple((lv.points, lv.when) for lv in c.levels),
            tuple((b.min, b.points) for b in c.bands),
            c.measure_name,
            c.measure_unit,
            c.na_allowed,
            c.applies_to,
            c.evidence,
            c.evidence_required,
            c.description,
            tuple(node(ch) for ch in c.children),
        )

    return (s.title, s.source, s.max_total, s.precision, tuple(node(f) for f in s.fields))


def cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb.worksheets}


def criteria_set(root: Path, cycle: str, tier: str) -> CriteriaSet:
    data = loader.load_cycle(loader.FolderTree(root), cycle)
    s = data.criteria[tier]
    assert not [p for p in data.problems if p.level == "error" and p.path == s.path], data.problems
    return s


def new_cycle(root: Path, source: str, cycle: str) -> None:
    """criteria/<cycle>/assessment.yaml copied from another cycle (the district's first step)."""
    (root / "criteria" / cycle).mkdir(parents=True)
    text = (root / "criteria" / source / "assessment.yaml").read_text(encoding="utf-8")
    (root / "criteria" / cycle / "assessment.yaml").write_text(
        text.replace(f'cycle: "{source}"', f'cycle: "{cycle}"'), encoding="utf-8"
    )


def round_trip(root: Path, cycle: str, tier: str, tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    run = run_cli(
        "criteria", "export", "--root", str(root), "--cycle", cycle, "--tier", tier, "--out", str(first)
    )
    assert run.code == 0, run.err
    new_cycle(root, cycle, "9999")
    run = run_cli("criteria", "import", str(first), "--root", str(root), "--cycle", "9999", "--tier", tier)
    assert run.code == 0, run.out + run.err
    assert canonical(criteria_set(root, "9999", tier)) == canonical(criteria_set(root, cycle, tier))
    run = run_cli(
        "criteria", "export", "--root", str(root), "--cycle", "9999", "--tier", tier, "--out", str(second)
    )
    assert run.code == 0, run.err
    assert cells(first) == cells(second)
    imported = (root / "criteria/9999" / f"{tier}.yaml").read_text(encoding="utf-8").splitlines()
    run = run_cli(
        "criteria", "import", str(second), "--root", str(root), "--cycle", "9999", "--tier", tier, "--force"
    )
    assert run.code == 0, run.out + run.err
    again = (root / "criteria/9999" / f"{tier}.yaml").read_text(encoding="utf-8").splitlines()
    assert (
        again[0] == "# Nhập từ b.xlsx bằng `python -m builder criteria import`; sửa bảng tính rồi nhập lại."
    )
    assert again[1:] == imported[1:]
    shutil.rmtree(root / "criteria/9999")


def test_round_trip_of_the_corpus_set(tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    round_trip(root, "2019", "commune", tmp_path)


def sample_sets() -> list[tuple[str, str]]:
    found = []
    for folder in sorted((ROOT / "criteria").glob("*/assessment.yaml")):
        data = loader.load_cycle(loader.FolderTree(ROOT), folder.parent.name)
        found += [(data.cycle, tier) for tier in data.criteria]
    return found


@pytest.mark.parametrize(("cycle", "tier"), sample_sets())
def test_round_trip_of_the_sample_sets(cycle: str, tier: str, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "criteria", root / "criteria")
    round_trip(root, cycle, tier, tmp_path)


def test_exported_sheet_layout(tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    out = tmp_path / "tieu-chi.xlsx"
    assert (
        run_cli("criteria", "export", "--root", str(root), "--tier", "commune", "--out", str(out)).code == 0
    )
    wb = load_workbook(out)
    assert wb.sheetnames == ["Tiêu chí", "Thông tin", "Hướng dẫn"]
    ws = wb["Tiêu chí"]
    assert [c.value for c in ws[1]] == COLUMNS
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == ["1", "1.1", "1.1.1", "1.1.2", "1.2", "1.3", "1.4", "2", "2.1", "2.2", "3", "3.1"]
    assert rows["1.1.1"][:4] == (
        "1.1.1",
        "Ban hành kế hoạch kịp thời",
        1,
        "1: Đúng hạn; 0.5: Muộn dưới 15 ngày; 0: Muộn hơn",
    )
    assert rows["1.1.2"][3:6] == (">=100: 2; >=80: 1; >=0: 0", "Tỷ lệ nhiệm vụ hoàn thành", "%")
    assert rows["1"][2] == 5  # a parent's max: the sum of its children without bonus and deduction
    assert rows["1.2"][10] == "x" and rows["2.2"][11] == "thi-tran" and rows["3.1"][7] == "survey"
    assert rows["1.4"][6:10] == ("deduction", None, None, "không")
    assert ws["A2"].data_type == "s" and ws["A2"].font.bold
    assert [tuple(r) for r in wb["Thông tin"].iter_rows(values_only=True)] == [
        ("title", "Bộ tiêu chí cấp xã (bộ thử)"),
        ("source", "illustrative"),
        ("max_total", 20),
        ("precision", 2),
    ]


def write_sheet(path: Path, rows: list[list[Any]], meta: list[list[Any]] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Phụ lục 03"
    for row in rows:
        ws.append(row)
    if meta is not None:
        info = wb.create_sheet("Thông tin")
        for row in meta:
            info.append(row)
    wb.save(path)
    return path


def test_import_a_districts_table_with_vietnamese_headers(tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    new_cycle(root, "2019", "2021")
    sheet = write_sheet(
        tmp_path / "phu-luc-03.xlsx",
        [
            ["PHỤ LỤC 03", None, None, None],
            ["Bộ tiêu chí đánh giá CCHC cấp xã", None, None, None],
            [
                "Mã",
                "Tên tiêu chí",
                "Điểm tối đa",
                "Cách chấm",
                "Chỉ số đo",
                "Đơn vị đo",
                "Loại",
                "Nguồn điểm",
                "Tài liệu kiểm chứng",
                "Được không áp dụng",
                "Áp dụng cho",
            ],
            [1, "Chỉ đạo, điều hành", 7, None],
            [
                "1.1",
                "Kế hoạch CCHC",
                2,
                "2: Ban hành đúng hạn\n1: Ban hành chậm; có giải trình\n0: Không ban hành",
                None,
                None,
                None,
                None,
                "Kế hoạch CCHC; Quyết định giao nhiệm vụ",
            ],
            [
                "1.2",
                "Tỷ lệ nhiệm vụ hoàn thành",
                "4",
                ">=100: 4; >=80%: 2,5; >=0: 0",
                "Tỷ lệ hoàn thành",
                "%",
            ],
            ["1.3", "Tuyên truyền", "1,0", None, None, None, None, None, None, "x", "xa, thi-tran"],
            ["1.4", "Sáng kiến", 1, None, None, None, "điểm thưởng"],
            [None, None, None, None],
            [2, "Thủ tục hành chính", 3],
            ["2.1", "Công khai thủ tục", 3],
            [3, "Điều tra xã hội học", None],
            ["3.1", "Mức độ hài lòng", 10, None, None, None, None, "ĐTXHH"],
        ],
        meta=[["title", "Bộ tiêu chí cấp xã năm 2021"], ["max_total", 20]],
    )
    run = run_cli(
        "criteria",
        "import",
        str(sheet),
        "--root",
        str(root),
        "--cycle",
        "2021",
        "--tier",
        "commune",
        "--sheet",
        "Phụ lục 03",
    )
    assert run.code == 0, run.out + run.err
    s = criteria_set(root, "2021", "commune")
    assert s.title == "Bộ tiêu chí cấp xã năm 2021" and s.max_total == 20 and s.precision == 3
    assert list(s.nodes) == ["1", "1.1", "1.2", "1.3", "1.4", "2", "2.1", "3", "3.1"]
    plan = s.nodes["1.1"]
    assert [(str(lv.points), lv.when) for lv in plan.levels] == [
        ("2", "Ban hành đúng hạn"),
        ("1", "Ban hành chậm; có giải trình"),
        ("0", "Không ban hành"),
    ]
    assert plan.evidence == ("Kế hoạch CCHC", "Quyết định giao nhiệm vụ")
    rate = s.nodes["1.2"]
    assert [(str(b.min), str(b.points)) for b in rate.bands] == [("100", "4"), ("80", "2.5"), ("0", "0")]
    assert (rate.measure_name, rate.measure_unit) == ("Tỷ lệ hoàn thành", "%")
    assert s.nodes["1.3"].na_allowed and s.nodes["1.3"].applies_to == ("xa", "thi-tran")
    assert s.nodes["1.4"].kind == "bonus" and s.nodes["3.1"].source == "survey"
    assert s.nodes["1"].max == 7 and s.nodes["3"].max == 10
    assert run_cli("validate", "--root", str(root), "--cycle", "2021").code == 0


def problem_lines(run: Any) -> list[str]:
    return [line for line in run.out.splitlines() if ": error [" in line or ": warning [" in line]


def test_problems_point_at_the_sheets_cells(tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    new_cycle(root, "2019", "2021")
    sheet = write_sheet(
        root / "phu-luc.xlsx",
        [
            ["id", "name", "max", "rule", "kind", "ghi chu"],
            ["1", "Chỉ đạo", 5],
            [1.1, "Kế hoạch", 1],
            ["1.2", "Báo cáo", "một"],
            ["1.3", "Kiểm tra", 2, "2: Tốt; vừa phải"],
            ["1.3", "Kiểm tra lần hai", 1],
            ["2.1", "Không có cha", 1],
            ["1.4", "Sáng kiến", 1, None, "thưởng lớn"],
            ["1.5", "Tuyên truyền", None],
        ],
    )
    run = run_cli(
        "criteria", "import", str(sheet), "--root", str(root), "--cycle", "2021", "--tier", "commune"
    )
    assert run.code == 1
    assert problem_lines(run) == [
        "phu-luc.xlsx:1:6: warning [sheet-unknown-column] Cột 'ghi chu' không được dùng",
        "phu-luc.xlsx:3:1: error [sheet-bad-id] Mã tiêu chí '1.1' không hợp lệ: ô đang ở dạng số "
        "(1.10 sẽ thành 1.1); hãy định dạng cột id là Văn bản (Text)",
        "phu-luc.xlsx:6:1: error [sheet-duplicate-id] Mã '1.3' bị trùng (đã có ở dòng 5)",
        "phu-luc.xlsx:7:1: error [sheet-no-parent] Tiêu chí '2.1' cần dòng của tiêu chí cha '2' ở phía trên",
    ]
    assert not (root / "criteria/2021/commune.yaml").exists()
    # once the tree is sound, the cells themselves are checked
    sheet = write_sheet(
        root / "phu-luc.xlsx",
        [
            ["id", "name", "max", "rule", "kind"],
            ["1", "Chỉ đạo", 5],
            ["1.2", "Báo cáo", "một"],
            ["1.3", "Kiểm tra", 2, "2: Tốt; vừa phải"],
            ["1.4", "Sáng kiến", 1, None, "thưởng lớn"],
            ["1.5", "Tuyên truyền", None],
            ["1.6", "Hội nghị", 1, "1,5: Tổ chức; 0: Không"],
        ],
        meta=[["max_total", 9]],
    )
    run = run_cli(
        "criteria", "import", str(sheet), "--root", str(root), "--cycle", "2021", "--tier", "commune"
    )
    assert run.code == 1
    assert problem_lines(run) == [
        "phu-luc.xlsx:2:3: error [sheet-max-sum] Tiêu chí '1': điểm tối đa 5 khác tổng điểm tối đa "
        "các tiêu chí con (4)",  # the unreadable kind of 1.4 counts as a normal criterion
        "phu-luc.xlsx:3:3: error [sheet-bad-cell] Cột max: 'một' không phải là số (ví dụ 1 hoặc 0,5)",
        "phu-luc.xlsx:4:4: error [sheet-bad-rule] Cách chấm '2: Tốt; vừa phải' không đọc được: "
        "'vừa phải' không phải 'điểm: điều kiện' hay '>=mức: điểm'",
        "phu-luc.xlsx:5:5: error [sheet-bad-cell] Cột kind: 'thưởng lớn' phải là bonus (điểm thưởng), "
        "deduction (điểm trừ) hoặc để trống",
        "phu-luc.xlsx:6:3: error [sheet-bad-cell] Cột max: thiếu điểm tối đa",
    ]
    # what only the loaded set can tell (a level above max, max_total) points at rows too
    sheet = write_sheet(
        root / "phu-luc.xlsx",
        [
            ["id", "name", "max", "rule"],
            ["1", "Chỉ đạo", None],
            ["1.1", "Hội nghị", 1, "1,5: Tổ chức; 0: Không"],
            ["1.2", "Báo cáo", 2],
        ],
        meta=[["title", "Thử"], ["max_total", 9]],
    )
    run = run_cli(
        "criteria", "import", str(sheet), "--root", str(root), "--cycle", "2021", "--tier", "commune"
    )
    assert run.code == 1
    assert problem_lines(run) == [
        "phu-luc.xlsx:2:2: error [max-total-mismatch] Tổng điểm tối đa các tiêu chí là 3, khác max_total 9",
        "phu-luc.xlsx:3:1: error [level-out-of-range] Tiêu chí '1.1': mức điểm 1.5 nằm ngoài khoảng [0, 1]",
    ]
    assert not (root / "criteria/2021/commune.yaml").exists()


def test_unreadable_files_and_sheets(tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    bogus = root / "bang.xlsx"
    bogus.write_text("không phải bảng tính", encoding="utf-8")
    args = ["--root", str(root), "--cycle", "2021", "--tier", "commune"]
    run = run_cli("criteria", "import", str(bogus), *args)
    assert run.code == 1 and problem_lines(run)[0].startswith("bang.xlsx:1:1: error [sheet-unreadable]")
    sheet = write_sheet(root / "bang.xlsx", [["Mã", "Tên"], ["1", "Chỉ đạo"]])
    run = run_cli("criteria", "import", str(sheet), *args)
    assert problem_lines(run) == [
        "bang.xlsx:1:1: error [sheet-no-header] Không tìm thấy dòng tiêu đề có các cột id, name, max "
        "trong 20 dòng đầu",
    ]
    run = run_cli("criteria", "import", str(sheet), *args, "--sheet", "Phụ lục 02")
    assert problem_lines(run) == [
        "bang.xlsx:1:1: error [sheet-not-found] Không có trang tính 'Phụ lục 02' (có: Phụ lục 03)",
    ]
    sheet = write_sheet(root / "bang.xlsx", [["id", "name", "max"]])
    assert problem_lines(run_cli("criteria", "import", str(sheet), *args)) == [
        "bang.xlsx:1:1: error [sheet-empty] Bảng không có dòng tiêu chí nào dưới dòng tiêu đề",
    ]


def test_import_never_overwrites_without_force(tmp_path: Path) -> None:
    root = materialize(None, tmp_path / "repo")
    out = tmp_path / "xa.xlsx"
    assert (
        run_cli("criteria", "export", "--root", str(root), "--tier", "commune", "--out", str(out)).code == 0
    )
    before = (root / "criteria/2019/commune.yaml").read_text(encoding="utf-8")
    args = ["criteria", "import", str(out), "--root", str(root), "--cycle", "2019", "--tier", "commune"]
    run = run_cli(*args)
    assert run.code == 2 and "--force" in run.err
    assert (root / "criteria/2019/commune.yaml").read_text(encoding="utf-8") == before
    assert run_cli(*args, "--force").code == 0
    assert run_cli("validate", "--root", str(root)).code == 0
    assert run_cli("criteria", "import", "--root", str(root), "--tier", "commune").code == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1: Đúng hạn; 0: Muộn", ("levels", [("1", "Đúng hạn"), ("0", "Muộn")])),
        ("0,5 điểm: Chậm\n0: Không", ("levels", [("0.5", "Chậm"), ("0", "Không")])),
        ("≥ 95%: 2 điểm; >=0: 0", ("bands", [("95", "2"), ("0", "0")])),
    ],
)
def test_rule_cells(text: str, expected: tuple[str, list[tuple[str, str]]]) -> None:
    kind, entries = parse_rule(text)
    assert (kind, [(str(a), str(b)) for a, b in entries]) == expected
    with pytest.raises(ValueError):
        parse_rule("1: Đúng hạn; >=80: 1")


def test_every_sheet_code_is_shown_by_a_test_here() -> None:
    from builder.problems import CODES

    here = Path(__file__).read_text(encoding="utf-8")
    annex = (Path(__file__).parent / "test_annex.py").read_text(encoding="utf-8")  # the annex layout
    shown = set(re.findall(r"\[(sheet-[a-z-]+)\]", here + annex))
    assert shown == {code for code in CODES if code.startswith("sheet-")}
