"""The command line: exit codes, stdout and stderr of every core command, and `new`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casekit import materialize
from conftest import ROOT, run_cli


def test_validate_clean_repository_exits_0(tmp_path: Path) -> None:
    repo = materialize(None, tmp_path / "r")
    result = run_cli("validate", "--root", str(repo))
    assert (result.code, result.out) == (0, "")
    assert result.err == "Kỳ 2019: Không có lỗi.\n"


def test_validate_formats(tmp_path: Path) -> None:
    case = ROOT / "tests/cases/invalid/score-above-max"
    repo = materialize(case, tmp_path / "r")
    text = run_cli("validate", "--root", str(repo))
    assert text.code == 1
    assert text.out.startswith("submissions/2019/xa-an-binh/scorecard.yaml:18:19: error [score-above-max] ")
    gh = run_cli("validate", "--root", str(repo), "--format", "github")
    assert gh.out.startswith(
        "::error file=submissions/2019/xa-an-binh/scorecard.yaml,line=18,col=19::[score-above-max] Điểm 3.5"
    )
    js = json.loads(run_cli("validate", "--root", str(repo), "--format", "json").out)
    assert js["problems"][0] == {
        "path": "submissions/2019/xa-an-binh/scorecard.yaml",
        "line": 18,
        "col": 19,
        "level": "error",
        "code": "score-above-max",
        "message": "Điểm 3.5 vượt điểm tối đa 3 của tiêu chí '2.1'",
    }


def test_warnings_fail_only_in_strict_mode(tmp_path: Path) -> None:
    repo = materialize(ROOT / "tests/cases/invalid/quoted-number", tmp_path / "r")
    assert run_cli("validate", "--root", str(repo)).code == 0
    assert run_cli("validate", "--root", str(repo), "--strict").code == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    repo = materialize(None, tmp_path / "r")
    unknown_cycle = run_cli("validate", "--root", str(repo), "--cycle", "2030")
    assert unknown_cycle.code == 2 and unknown_cycle.err == "Lỗi: Không có kỳ đánh giá '2030' (có: 2019)\n"
    assert run_cli("score", "--root", str(tmp_path / "nowhere")).code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli("validate", "--root", str(empty)).code == 2


def test_score_json_has_the_contract_shape(tmp_path: Path) -> None:
    repo = materialize(None, tmp_path / "r")
    result = run_cli("score", "--root", str(repo), "--format", "json")
    assert result.code == 0
    assert '"index": 84.375' in result.out  # an exact literal, not a float repr
    payload = json.loads(result.out)
    first = payload["units"][0]
    assert payload["cycle"] == "2019"
    assert set(first) == {
        "unit",
        "name",
        "tier",
        "group",
        "self_total",
        "final_total",
        "max",
        "index",
        "classification",
        "rank",
        "status",
        "late",
        "fields",
    }
    assert first["fields"]["1"] == {"self": 3.5, "final": 3, "max": 5}
    assert payload["units"][-1]["status"] == "missing"


def test_score_table_and_csv(tmp_path: Path) -> None:
    repo = materialize(None, tmp_path / "r")
    table = run_cli("score", "--root", str(repo)).out
    assert "84,38" in table and "DỮ LIỆU MINH HỌA" in table
    csv = run_cli("score", "--root", str(repo), "--format", "csv").out.splitlines()
    assert csv[0].startswith("cycle,unit,name")
    assert csv[2] == "2019,xa-an-binh,UBND xã An Bình,commune,Cụm 1,submitted,,5.25,13.5,16,84.375,Tốt,2"


def test_score_exits_1_when_the_data_has_errors(tmp_path: Path) -> None:
    repo = materialize(ROOT / "tests/cases/invalid/score-above-max", tmp_path / "r")
    result = run_cli("score", "--root", str(repo))
    assert result.code == 1 and "validate --cycle 2019" in result.err


def test_new_writes_a_skeleton_that_validates_once_filled(tmp_path: Path) -> None:
    repo = materialize(None, tmp_path / "r")
    made = run_cli("new", "xa-cam-son", "--root", str(repo))
    assert made.code == 0, made.err
    path = repo / "submissions/2019/xa-cam-son/scorecard.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/2019/commune.schema.json\n")
    assert '"2.2"' not in text  # applies to thi-tran only
    assert "1 điểm: Đúng hạn" in text and "từ 80 trở lên: 1 điểm" in text
    # as written: a draft with empty points, so only warnings
    draft = run_cli("validate", "--root", str(repo))
    assert draft.code == 0 and "[points-missing]" in draft.out
    assert "error" not in draft.out
    # a second run never overwrites
    again = run_cli("new", "xa-cam-son", "--root", str(repo))
    assert again.code == 2 and "không ghi đè" in again.err
    # fill it in like an officer would
    filled = text.replace("status: draft", "status: submitted").replace(
        '# approved_by: {name: "…", title: "Chủ tịch UBND xã", date: YYYY-MM-DD}',
        'approved_by: {name: "B", title: "Chủ tịch UBND xã", date: 2020-01-10}',
    )
    filled = filled.replace("    value:\n    points:", "    value: 50\n    points: 0")
    filled = filled.replace("    points:\n", "    points: 0\n")
    path.write_text(filled, encoding="utf-8")
    done = run_cli("validate", "--root", str(repo))
    assert (done.code, done.out) == (0, ""), done.out


def test_new_unknown_unit_suggests(tmp_path: Path) -> None:
    repo = materialize(None, tmp_path / "r")
    result = run_cli("new", "xa-cam-sn", "--root", str(repo))
    assert result.code == 2 and "xa-cam-son" in result.err


def test_python_dash_m_builder_runs_without_traceback(tmp_path: Path) -> None:
    repo = materialize(ROOT / "tests/cases/invalid/yaml-syntax", tmp_path / "r")
    proc = subprocess.run(
        [sys.executable, "-m", "builder", "validate", "--root", str(repo)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "[yaml-syntax]" in proc.stdout


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list(" \n:-{}[],\"'#&*!|>0123456789.abcuniptsđ\t")), max_size=200))
def test_any_scorecard_text_gives_problems_not_a_traceback(tmp_path: Path, text: str) -> None:
    repo = tmp_path / "fuzz"
    if not repo.exists():
        materialize(None, repo)
    (repo / "submissions/2019/xa-an-binh/scorecard.yaml").write_text(
        "unit: xa-an-binh\n" + text, encoding="utf-8"
    )
    result = run_cli("validate", "--root", str(repo))
    assert result.code in (0, 1)


def _builder(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "builder", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_argparse_errors_are_in_vietnamese(tmp_path: Path) -> None:
    repo = materialize(None, tmp_path / "r")
    cases = {
        ("scor",): "Lỗi: tham số COMMAND: giá trị 'scor' không hợp lệ (chọn một trong: 'validate'",
        ("new",): "Lỗi: thiếu tham số bắt buộc: unit",
        ("score", "--bogus"): "Lỗi: không hiểu tham số: --bogus",
        ("score", "--format", "xx"): "Lỗi: tham số --format: giá trị 'xx' không hợp lệ",
    }
    for args, expected in cases.items():
        result = _builder(*args, cwd=repo)
        assert result.returncode == 2, args
        assert result.stderr.startswith("cách dùng: python -m builder"), result.stderr
        assert expected in result.stderr, result.stderr
        for english in ("usage:", "the following arguments", "invalid choice", "unrecognized", "error:"):
            assert english not in result.stderr


def test_commands_find_the_repository_root_from_a_subfolder(tmp_path: Path) -> None:
    repo = materialize(ROOT / "tests/cases/invalid/score-above-max", tmp_path / "r")
    deep = repo / "submissions" / "2019" / "xa-an-binh"
    result = _builder("validate", cwd=deep)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "submissions/2019/xa-an-binh/scorecard.yaml:18:19: error [score-above-max]"
    )


def test_new_prints_a_next_step_that_runs_as_printed(tmp_path: Path) -> None:
    repo = materialize(None, tmp_path / "r")
    made = _builder("new", "xa-cam-son", cwd=repo)  # a unit of the base case with no scorecard
    assert made.returncode == 0, made.stderr
    step = made.stdout.strip().splitlines()[-1].strip()
    assert "-m builder validate --cycle 2019" in step and not step.startswith("python ")
    again = subprocess.run(step, shell=True, cwd=repo, capture_output=True, text=True, timeout=120)
    assert "ModuleNotFoundError" not in again.stderr and again.returncode in (0, 1), again.stderr
