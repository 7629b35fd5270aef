"""The officers' guide to problem codes (docs/guides/ma-loi.md): one complete Vietnamese entry
per code of builder/problems.py, generated, linked from the CLI and the validation page."""

from __future__ import annotations

import re

import yaml

from builder.cli.code_guide import GUIDE_PAGE, guide_page, load_guide, missing_entries
from builder.problems import CODES
from conftest import ROOT

VIETNAMESE = re.compile(r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.I)


def test_every_code_has_a_complete_entry() -> None:
    missing = missing_entries(load_guide())
    assert not missing, (
        "builder/cli/code_guide.yaml lacks (code: empty fields) — add meaning, fix, wrong, right:\n"
        + "\n".join(missing)
    )


def test_no_entry_for_a_code_that_does_not_exist() -> None:
    assert sorted(set(load_guide()) - set(CODES)) == []


def test_entries_are_plain_vietnamese_and_right_examples_are_valid_yaml() -> None:
    for code, entry in load_guide().items():
        assert VIETNAMESE.search(entry["meaning"]) and VIETNAMESE.search(entry["fix"]), code
        if entry.get("lang", "yaml") == "yaml":
            yaml.safe_load(entry["right"])  # a right example must itself be valid YAML
        assert entry["wrong"].strip() != entry["right"].strip(), code


def test_guide_page_is_current_with_an_anchor_per_code() -> None:
    on_disk = (ROOT / GUIDE_PAGE).read_text(encoding="utf-8")
    assert on_disk == guide_page(), "run: python -m builder docs"
    for code in CODES:
        assert f"\n### {code}\n" in on_disk, code  # MkDocs makes the anchor #<code>
        assert f"[{code}](#{code})" in on_disk
    assert "(ma-loi.md)" in (ROOT / "docs/guides/index.md").read_text(encoding="utf-8")


def test_validate_points_to_the_guide_after_its_summary(tmp_path: object) -> None:
    from pathlib import Path

    from casekit import case_dirs, materialize
    from conftest import run_cli

    case = next(c for c in case_dirs("invalid") if c.name == "score-above-max")
    root = materialize(case, Path(str(tmp_path)) / "repo")
    run = run_cli("validate", "--root", str(root))
    assert run.code == 1
    last = run.err.rstrip("\n").splitlines()[-2:]
    assert last[0].endswith("cảnh báo.") and "[score-above-max]" in run.out
    assert last[1] == "Mỗi mã lỗi trong [ ] được giải thích, kèm ví dụ sai và đúng, ở docs/guides/ma-loi.md."
    clean = run_cli("validate", "--root", str(materialize(None, Path(str(tmp_path)) / "ok")))
    assert "ma-loi.md" not in clean.err
