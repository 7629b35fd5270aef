"""Faults and hostile input (issue 10): terminal control characters, narrow encodings,
environment faults, over-long numbers and Unicode normalisation."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from gitkit import FULL, base_repo, isolate_git, scorecard  # noqa: F401

from builder.git.repo import GitTree, open_repo
from builder.load.cycle import FolderTree
from casekit import materialize
from conftest import ROOT, run_cli, spy_reads

SCORECARD = "submissions/2019/xa-an-binh/scorecard.yaml"
CARD = "submissions/2019/{}/scorecard.yaml"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _hostile_key(tmp_path: Path) -> Path:
    repo = materialize(None, tmp_path / "r")
    path = repo / SCORECARD
    text = path.read_text(encoding="utf-8")
    key = '"x\\r\\e[2KKhông có lỗi\\u202e\\u0085"'
    path.write_text(text.replace("scores:\n", f"{key}: 1\nscores:\n", 1), encoding="utf-8")
    return repo


def test_reporters_never_print_raw_control_characters(tmp_path: Path) -> None:
    repo = _hostile_key(tmp_path)
    for fmt in ("text", "github", "json", "codequality"):
        result = run_cli("validate", "--root", str(repo), "--format", fmt)
        assert result.code == 1, fmt
        assert "unknown-key" in result.out, fmt
        assert not RAW.search(result.out), (fmt, result.out)
    text = run_cli("validate", "--root", str(repo)).out
    assert "\\x0d\\x1b[2KKhông có lỗi\\u202e\\x85" in text
    payload = json.loads(run_cli("validate", "--root", str(repo), "--format", "json").out)
    assert "\x1b" in payload["problems"][0]["message"]  # the data is intact, only escaped


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_narrow_standard_output_encoding_does_not_crash(tmp_path: Path, encoding: str) -> None:
    clean = materialize(None, tmp_path / "clean")
    broken = materialize(ROOT / "tests/cases/invalid/score-above-max", tmp_path / "broken")
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    runs = [
        (["validate", "--root", str(clean)], 0),
        (["validate", "--root", str(broken)], 1),
        (["score", "--root", str(clean)], 0),
        (["score", "--root", str(clean), "--format", "table"], 0),
    ]
    printed = ""
    for args, expected in runs:
        proc = subprocess.run(
            [sys.executable, "-m", "builder", *args], capture_output=True, cwd=ROOT, env=env, check=False
        )
        stderr = proc.stderr.decode(encoding)
        assert "Traceback" not in stderr and proc.returncode == expected, (args, stderr)
        printed += stderr + proc.stdout.decode(encoding)
    assert "l\\u1ed7i" in printed  # "lỗi", escaped where the encoding cannot hold it


def test_out_under_a_regular_file_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    repo = materialize(None, tmp_path / "r")
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    target = tmp_path / "plain" / "out"
    result = run_cli("export", "--root", str(repo), "--format", "csv", "--out", str(target))
    assert result.code == 2
    assert result.err.startswith("Lỗi: không ghi hoặc đọc được '")
    assert str(target) in result.err and "không phải thư mục" in result.err


@pytest.mark.parametrize(
    ("number", "cause"),
    [(errno.ENOSPC, "ổ đĩa đầy"), (errno.EACCES, "không có quyền ghi"), (errno.EROFS, "chỉ đọc")],
)
def test_write_faults_are_named_in_vietnamese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int, cause: str
) -> None:
    repo = materialize(None, tmp_path / "r")
    out = tmp_path / "out"

    def fail(self: Path, *args: object, **kwargs: object) -> int:
        raise OSError(number, os.strerror(number), str(self))

    monkeypatch.setattr(Path, "write_text", fail)
    result = run_cli("export", "--root", str(repo), "--format", "csv", "--out", str(out))
    assert result.code == 2 and "Traceback" not in result.err
    assert str(out) in result.err and cause in result.err, result.err


LONG_NUMBERS = ["12345678901234567890", "123456789012345678901234567890", "9223372036854775.808"]


@pytest.mark.parametrize("points", LONG_NUMBERS)
def test_long_numbers_are_an_error_in_validate_and_score(tmp_path: Path, points: str) -> None:
    repo = materialize(None, tmp_path / "r")
    path = repo / SCORECARD
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"1.4": {points: 0}', f'"1.4": {{points: {points}}}'), encoding="utf-8")
    result = run_cli("validate", "--root", str(repo))
    assert result.code == 1 and "[number-too-long]" in result.out and points in result.out
    score = run_cli("score", "--root", str(repo), "--format", "json")
    assert score.code == 1 and points not in score.out


@pytest.mark.parametrize("points", LONG_NUMBERS)
def test_long_numbers_are_an_error_in_check(tmp_path: Path, points: str) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-00", "xa-01"])
    for unit in ("xa-00", "xa-01"):
        repo.write(CARD.format(unit), scorecard(unit, FULL))
    repo.commit("2020-01-15T08:00:00+07:00", "Các đơn vị nộp phiếu")
    repo.git("checkout", "-q", "-b", "pr")
    repo.write(CARD.format("xa-00"), scorecard("xa-00", dict(FULL, **{"2.1": points})))
    repo.commit("2020-01-20T08:00:00+07:00")
    for fmt in ("text", "json"):
        run = run_cli("check", "--root", str(repo.path), "--base", "main", "--format", fmt)
        assert run.code == 1 and "number-too-long" in run.out, run


ASSESSMENT = "criteria/2019/assessment.yaml"


def test_a_group_written_in_nfd_is_the_same_group(tmp_path: Path) -> None:
    repo = materialize(None, tmp_path / "r")
    before = run_cli("score", "--root", str(repo), "--format", "json")
    path = repo / ASSESSMENT
    text = path.read_text(encoding="utf-8")
    nfd = unicodedata.normalize("NFD", "Cụm 1")
    assert nfd != "Cụm 1"
    line = '{id: xa-an-binh, name: "UBND xã An Bình", tier: commune, kind: xa, group: "Cụm 1"}'
    assert line in text
    path.write_text(text.replace(line, line.replace("Cụm 1", nfd)), encoding="utf-8")
    after = run_cli("score", "--root", str(repo), "--format", "json")
    assert after.code == before.code == 0
    assert after.out == before.out
    assert nfd.encode() not in after.out.encode()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("id: xa-cam-son,", 'id: "xa-cam-son\\n",'),
        ('group: "Cụm 1"}', 'group: "Cụm\\u202e 1"}'),
        ('group: "Cụm 1"}', 'group: "Cụm 1\\r"}'),
    ],
)
def test_an_id_or_group_with_a_control_character_is_rejected(tmp_path: Path, old: str, new: str) -> None:
    repo = materialize(None, tmp_path / "r")
    path = repo / ASSESSMENT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_cli("validate", "--root", str(repo))
    assert result.code == 1 and "[id-control-char]" in result.out, result.out


def test_a_criterion_key_with_a_control_character_is_rejected(tmp_path: Path) -> None:
    repo = materialize(None, tmp_path / "r")
    path = repo / SCORECARD
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"1.4": {points: 0}', '"1.4\\e": {points: 0}'), encoding="utf-8")
    result = run_cli("validate", "--root", str(repo))
    assert result.code == 1 and "[id-control-char]" in result.out, result.out


def _validate_subprocess(*args: str) -> subprocess.CompletedProcess[str]:
    """validate in its own process: a file that makes it hang or eat memory fails the test
    instead of the test run (the timeout is a guard, not a measure)."""
    cmd = [sys.executable, "-m", "builder", "validate", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)


def test_a_fifo_is_an_error_not_a_hang(tmp_path: Path) -> None:
    repo = materialize(None, tmp_path / "r")
    (repo / SCORECARD).unlink()
    os.mkfifo(repo / SCORECARD)
    run = _validate_subprocess("--root", str(repo))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert f"{SCORECARD}:1:1: error [file-unreadable]" in run.stdout
    assert "không phải tệp thông thường" in run.stdout


def test_the_size_limit_applies_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = materialize(None, tmp_path / "r")
    with open(repo / SCORECARD, "r+b") as handle:  # sparse: 300 MB on paper, nothing on disk
        handle.truncate(300 * 1024**2)
    read = spy_reads(monkeypatch, FolderTree)
    result = run_cli("validate", "--root", str(repo))
    assert result.code == 1
    assert f"{SCORECARD}:1:1: error [file-too-large] Tệp quá lớn (314572800 byte" in result.out
    assert SCORECARD not in read and read  # the others were read, this one never


def test_a_committed_symlink_to_dev_zero_or_a_huge_blob_is_refused_at_a_revision(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "repo", ["xa-00", "xa-01"])
    folder = repo.path / "submissions/2019"
    folder.joinpath("xa-00").mkdir(parents=True)
    (folder / "xa-00/scorecard.yaml").symlink_to("/dev/zero")
    repo.write(CARD.format("xa-01"), scorecard("xa-01", FULL) + "#" * (3 * 1024 * 1024) + "\n")
    repo.commit("2020-01-15T08:00:00+07:00", "Các đơn vị nộp phiếu")
    (folder / "xa-00/scorecard.yaml").unlink()  # only the commit holds them now
    (folder / "xa-01/scorecard.yaml").unlink()
    tree = GitTree(open_repo(repo.path), "HEAD")  # type: ignore[arg-type]
    assert tree.file_size(CARD.format("xa-01")) == len(tree.read_bytes(CARD.format("xa-01")) or b"")
    run = _validate_subprocess("--root", str(repo.path), "--rev", "HEAD")
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert f"{CARD.format('xa-00')}:1:1: error [file-unreadable]" in run.stdout
    assert "trỏ ra ngoài kho dữ liệu" in run.stdout
    assert f"{CARD.format('xa-01')}:1:1: error [file-too-large]" in run.stdout


def test_the_scaffolds_own_placeholders_are_an_error(tmp_path: Path) -> None:
    repo = materialize(None, tmp_path / "r")
    (repo / SCORECARD).unlink()
    assert run_cli("new", "xa-an-binh", "--root", str(repo)).code == 0
    text = (repo / SCORECARD).read_text(encoding="utf-8")
    example = '    # - {title: "…", number: "…", date: YYYY-MM-DD, issuer: "…", url: "https://…"}\n'
    assert example in text  # what the officer uncomments
    filled = text.replace(
        "    points:\n    evidence: []\n" + example,
        "    points: 0\n    evidence:\n" + example.replace("# ", "", 1).replace("YYYY-MM-DD", "2019-05-02"),
        1,
    )
    filled = filled.replace(
        '# Nếu không áp dụng: bỏ points, ghi not_applicable: true và reason: "…"\n    points:',
        'not_applicable: true\n    reason: "…"',
        1,
    )
    approval = '# approved_by: {name: "…", title: "Chủ tịch UBND xã", date: YYYY-MM-DD}'
    assert approval in filled
    filled = filled.replace(approval, approval[2:].replace("YYYY-MM-DD", "2020-01-15"))
    (repo / SCORECARD).write_text(filled, encoding="utf-8")
    out = run_cli("validate", "--root", str(repo)).out
    lines = [line for line in out.splitlines() if "[evidence-placeholder]" in line]
    assert len(lines) == 3, out
    assert "('…') ở họ tên người phê duyệt (approved_by)" in lines[0]
    lines = lines[1:]
    fields = "tên văn bản (title), số hiệu (number), cơ quan ban hành (issuer), đường dẫn (url)"
    assert f"('…', 'https://…') ở {fields}" in lines[0]
    assert "('…') ở lý do (reason)" in lines[1]


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("evidence/CON.pdf", "'CON' là tên dành riêng của Windows"),
        ("evidence/lpt1", "'lpt1' là tên dành riêng của Windows"),
        ("evidence/ke-hoach.", "kết thúc bằng dấu chấm hoặc dấu cách"),
        ("evidence/ke-hoach.pdf ", "kết thúc bằng dấu chấm hoặc dấu cách"),
        ("evidence/a\x01b.pdf", "'U+0001'"),
        ('evidence/"trich" <1>|*.pdf', "'\"', '*', '<', '>', '|'"),
        ("anh chup: 1/a.jpg", "':'"),  # a folder: reported once, not what is inside
        ("nul.yaml", "'nul' là tên dành riêng"),
    ],
)
def test_names_windows_cannot_hold_are_an_error(tmp_path: Path, name: str, why: str) -> None:
    repo = materialize(None, tmp_path / "r")
    target = repo / "submissions/2019/xa-an-binh" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"%PDF-1.4\n" if not name.endswith(".yaml") else b"unit: xa-an-binh\n")
    result = run_cli("validate", "--root", str(repo))
    lines = [line for line in result.out.splitlines() if "[path-not-portable]" in line]
    assert result.code == 1 and len(lines) == 1, result.out
    assert why in lines[0]
