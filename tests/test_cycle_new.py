"""`cycle new`: the next cycle started from the previous one's configuration, nothing else."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import yaml

from builder.editor.new_cycle import new_assessment_text, next_deadline
from conftest import ROOT, run_cli


def sample(tmp: Path) -> Path:
    repo = tmp / "repo"
    for part in ("criteria", "submissions", "appraisals"):
        shutil.copytree(ROOT / part, repo / part)
    return repo


def test_cycle_new_starts_next_year_from_the_sample(tmp_path: Path) -> None:
    repo = sample(tmp_path)
    before = sorted(p.relative_to(repo) for p in repo.rglob("*") if p.is_file())
    result = run_cli("cycle", "new", "2021", "--root", str(repo), "--deadline", "2022-01-20")
    assert result.code == 0, result.err
    after = sorted(p.relative_to(repo) for p in repo.rglob("*") if p.is_file())
    added = sorted(set(after) - set(before))
    assert [str(p) for p in added] == [
        "criteria/2021/assessment.yaml",
        "criteria/2021/commune.yaml",
        "criteria/2021/district.yaml",
    ]
    old = yaml.safe_load((repo / "criteria/2020/assessment.yaml").read_text(encoding="utf-8"))
    new = yaml.safe_load((repo / "criteria/2021/assessment.yaml").read_text(encoding="utf-8"))
    assert new["cycle"] == "2021" and new["title"] == "Chỉ số cải cách hành chính năm 2021"
    assert new["deadline"] == date(2022, 1, 20)
    for key in ("units", "reviewers", "classification", "tiers", "admins", "authority"):
        assert new[key] == old[key], key
    assert "history" not in new  # imported-data flag of the sample does not carry over
    assert (repo / "criteria/2021/commune.yaml").read_bytes() == (
        repo / "criteria/2020/commune.yaml"
    ).read_bytes()
    assert run_cli("validate", "--root", str(repo), "--cycle", "2021").code == 0
    scored = run_cli("score", "--root", str(repo), "--cycle", "2021", "--format", "json")
    assert '"status": "missing"' in scored.out and '"status": "submitted"' not in scored.out


def test_cycle_new_never_overwrites_and_checks_its_year(tmp_path: Path) -> None:
    repo = sample(tmp_path)
    again = run_cli("cycle", "new", "2020", "--root", str(repo))
    assert again.code == 2 and "criteria/2020/ đã có; không ghi đè" in again.err
    bad = run_cli("cycle", "new", "21", "--root", str(repo))
    assert bad.code == 2 and "4 chữ số" in bad.err
    unknown = run_cli("cycle", "new", "2021", "--from", "2018", "--root", str(repo))
    assert unknown.code == 2 and "không có kỳ '2018'" in unknown.err
    assert not (repo / "criteria/2021").exists()
    assert not any(p.name.startswith(".cycle-") for p in (repo / "criteria").iterdir())


def test_the_old_cycles_own_keys_are_dropped_and_the_deadline_moves_a_year() -> None:
    text = (
        'cycle: "2020"\ntitle: "Chỉ số CCHC năm 2020"\ndeadline: 2021-01-22\n'
        'closed: {number: "12/QĐ-UBND", date: 2021-03-01}\n'
        "corrections:\n  - {unit: xa-a, criterion: '1.1', old: 1, new: 0}\n"
        "history: false\nunits:\n  - {id: xa-a, name: A, tier: commune}\n"
    )
    new, notes = new_assessment_text(text, "2020", "2021", next_deadline(date(2021, 1, 22)))
    loaded = yaml.safe_load(new)
    assert loaded == {
        "cycle": "2021",
        "title": "Chỉ số CCHC năm 2021",
        "deadline": date(2022, 1, 22),
        "units": [{"id": "xa-a", "name": "A", "tier": "commune"}],
    }
    assert "bỏ khóa 'closed' của kỳ 2020" in notes and "bỏ khóa 'corrections' của kỳ 2020" in notes
    assert next_deadline(date(2024, 2, 29)) == date(2025, 2, 28)
