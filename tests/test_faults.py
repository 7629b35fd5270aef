"""Faults and hostile input (issue 10): terminal control characters, narrow encodings,
environment faults, over-long numbers and Unicode normalisation."""

from __future__ import annotations

import json
import re
from pathlib import Path

from casekit import materialize
from conftest import run_cli

SCORECARD = "submissions/2019/xa-an-binh/scorecard.yaml"
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
