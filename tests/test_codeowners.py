"""CODEOWNERS from assessment.yaml: generated, checked, matched the way GitHub matches it."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitkit import CRITERIA, assessment

from builder.git.ownership import matches, ownership, render
from builder.load.cycle import FolderTree
from conftest import ROOT, run_cli

REVIEWERS = (
    '  - {id: noi-vu, name: "Phòng Nội vụ", criteria: ["1"], owners: ["@noi-vu", "noi-vu-2"]}\n'
    '  - {id: van-phong, name: "Văn phòng", criteria: ["2"], owners: ["@org/van-phong"]}\n'
)


def make(
    root: Path,
    units: list[tuple[str, str, list[str]]],
    admins: list[str] | None,
    cycle_units: dict[str, list[tuple[str, str, list[str]]]] | None = None,
) -> Path:
    for cycle, members in (cycle_units or {"2019": units}).items():
        folder = root / "criteria" / cycle
        folder.mkdir(parents=True, exist_ok=True)
        text = assessment(members, admins=admins, reviewers=REVIEWERS).replace('"2019"', f'"{cycle}"')
        (folder / "assessment.yaml").write_text(text, encoding="utf-8")
        (folder / "commune.yaml").write_text(CRITERIA, encoding="utf-8")
    return root


UNITS = [
    ("xa-a", "Cụm 1", ["@xa-a"]),
    ("xa-b", "Cụm 1", ["xa-b", "can-bo@xa-b.gov.vn"]),
    ("xa-c", "Cụm 2", []),
]


def test_generated_rules_and_github_matching(tmp_path: Path) -> None:
    own = ownership(FolderTree(make(tmp_path, UNITS, ["@huyen"])))
    text = render(own)
    assert "* @huyen\n/criteria/ @huyen\n/.github/ @huyen\n" in text
    assert "/submissions/2019/xa-a/ @xa-a\n" in text
    assert "/submissions/2019/xa-b/ @xa-b can-bo@xa-b.gov.vn\n" in text
    assert "/appraisals/2019/noi-vu.yaml @noi-vu @noi-vu-2\n" in text
    assert "/appraisals/2019/van-phong.yaml @org/van-phong\n" in text
    assert "xa-c" not in text  # no owners: the admins' '*' line covers it
    assert own.owners_of("submissions/2019/xa-a/evidence/a.pdf") == ("@xa-a",)
    assert own.owners_of("submissions/2019/xa-c/scorecard.yaml") == ("@huyen",)
    assert own.owners_of("submissions/2019/xa-ab/scorecard.yaml") == ("@huyen",)
    assert own.owners_of("criteria/2019/commune.yaml") == ("@huyen",)
    assert own.may_change("XA-A", "submissions/2019/xa-a/scorecard.yaml")
    assert not own.may_change("xa-a", "submissions/2019/xa-b/scorecard.yaml")
    assert own.may_change("@huyen", "submissions/2019/xa-b/scorecard.yaml")
    assert own.warnings == []


def test_pattern_matching() -> None:
    assert matches("*", "a/b.yaml")
    assert matches("/submissions/2019/xa-a/", "submissions/2019/xa-a/x/y.pdf")
    assert not matches("/submissions/2019/xa-a/", "submissions/2019/xa-a")
    assert not matches("/submissions/2019/xa-a/", "submissions/2019/xa-ab/s.yaml")
    assert matches("/appraisals/2019/noi-vu.yaml", "appraisals/2019/noi-vu.yaml")
    assert not matches("/appraisals/2019/noi-vu.yaml", "x/appraisals/2019/noi-vu.yaml")


def test_district_departments_own_their_part_of_the_district_scorecard(tmp_path: Path) -> None:
    config = make(tmp_path, UNITS, None) / "criteria/2019/assessment.yaml"
    text = (
        config.read_text(encoding="utf-8")
        .replace(
            "units:\n", 'units:\n  - {id: huyen, name: "UBND huyện", tier: district, owners: ["@huyen-nv"]}\n'
        )
        .replace("tiers:\n", 'tiers:\n  district: {name: "Cấp huyện", criteria: commune.yaml}\n')
    )
    config.write_text(text, encoding="utf-8")
    own = ownership(FolderTree(tmp_path))
    # the district is alone in its tier: each department co-owns its part file there
    assert own.owners_of("submissions/2019/huyen/noi-vu.yaml") == ("@huyen-nv", "@noi-vu", "@noi-vu-2")
    assert own.owners_of("submissions/2019/huyen/khac.yaml") == ("@huyen-nv",)
    assert own.owners_of("submissions/2019/xa-a/noi-vu.yaml") == ("@xa-a",)  # communes: not


def test_owners_are_per_cycle_and_admins_from_the_newest(tmp_path: Path) -> None:
    make(
        tmp_path,
        [],
        None,
        {
            "2019": [("xa-a", "Cụm 1", ["@cu"])],
            "2020": [("xa-a", "Cụm 1", ["@moi"])],
        },
    )
    text = (tmp_path / "criteria/2020/assessment.yaml").read_text(encoding="utf-8")
    (tmp_path / "criteria/2020/assessment.yaml").write_text(
        text + 'admins: ["@huyen-2020"]\n', encoding="utf-8"
    )
    own = ownership(FolderTree(tmp_path))
    assert own.owners_of("submissions/2019/xa-a/s.yaml") == ("@cu",)
    assert own.owners_of("submissions/2020/xa-a/s.yaml") == ("@moi",)
    assert own.admins == ("@huyen-2020",)


@pytest.mark.parametrize("bad", ["@a b", "@x\\n* @evil", "@-x", "a@b@c"])
def test_owner_values_cannot_inject_lines(tmp_path: Path, bad: str) -> None:
    own = ownership(FolderTree(make(tmp_path, [("xa-a", "Cụm 1", [bad, "@tot"])], ["@huyen"])))
    assert "/submissions/2019/xa-a/ @tot\n" in render(own) and "@evil" not in render(own)
    if "\\n" in bad:  # a control character: the value is refused when read (id-control-char)
        assert own.warnings == []
    else:
        assert len(own.warnings) == 1 and "không hợp lệ" in own.warnings[0]


def test_command_writes_then_check_detects_a_stale_file(tmp_path: Path) -> None:
    root = make(tmp_path, UNITS, ["@huyen"])
    assert run_cli("codeowners", "--root", str(root), "--check").code == 1  # no file yet
    run = run_cli("codeowners", "--root", str(root))
    assert run.code == 0 and (root / ".github/CODEOWNERS").is_file()
    assert run_cli("codeowners", "--root", str(root), "--check").code == 0
    config = root / "criteria/2019/assessment.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('["@xa-a"]', '["@xa-a-moi"]'), encoding="utf-8"
    )
    stale = run_cli("codeowners", "--root", str(root), "--check")
    assert stale.code == 1 and "đã cũ" in stale.err
    assert "-/submissions/2019/xa-a/ @xa-a\n+/submissions/2019/xa-a/ @xa-a-moi" in stale.out
    gitlab = run_cli("codeowners", "--root", str(root), "--output", ".gitlab/CODEOWNERS")
    assert gitlab.code == 0 and (root / ".gitlab/CODEOWNERS").is_file()


def test_missing_admins_is_a_warning(tmp_path: Path) -> None:
    run = run_cli("codeowners", "--root", str(make(tmp_path, UNITS, None)))
    assert run.code == 0 and "chưa khai báo 'admins'" in run.err


def test_the_repository_codeowners_file_is_up_to_date() -> None:
    run = run_cli("codeowners", "--root", str(ROOT), "--check")
    assert run.code == 0, run.out + run.err
