"""The sample data a newcomer learns from: valid, illustrative, and true to the source letter."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

from builder.load.cycle import FolderTree, cycles, load_cycle
from conftest import ROOT, run_cli

SHARED_UNITS = ROOT.parent / "shared/domain/tam-duong-units-2019.csv"


def _data(cycle: str):
    return load_cycle(FolderTree(ROOT), cycle)


def test_the_sample_validates_with_no_errors() -> None:
    result = run_cli("validate", "--all-cycles", "--root", str(ROOT))
    assert result.code == 0, result.out
    assert " error [" not in result.out


def test_the_sample_is_multi_year() -> None:
    assert cycles(FolderTree(ROOT)) == ["2019", "2020"]


def test_the_sample_is_labelled_illustrative() -> None:
    for cycle in ("2019", "2020"):
        data = _data(cycle)
        assert data.assessment is not None and data.assessment.demo is True
        for criteria in data.criteria.values():
            assert "minh họa" in criteria.source.lower() and "không phải" in criteria.source.lower()


def test_units_are_the_real_communes_of_tam_duong_with_their_codes() -> None:
    data = _data("2019")
    assert data.assessment is not None
    communes = {u.code: u.name for u in data.assessment.units.values() if u.tier == "commune"}
    if SHARED_UNITS.exists():  # the domain folder beside the repository
        with SHARED_UNITS.open(encoding="utf-8") as f:
            official = {row["gso_code"]: row["name"] for row in csv.DictReader(f)}
        assert {code: name.split(" ", 1)[1] for code, name in official.items()} == {
            code: name.replace("UBND ", "").split(" ", 1)[1] for code, name in communes.items()
        }
    assert len(communes) == 14
    data2020 = _data("2020")
    assert data2020.assessment is not None
    names2020 = {u.name for u in data2020.assessment.units.values() if u.tier == "commune"}
    assert len(names2020) == 13 and "UBND xã Sùng Phài" not in names2020


def test_reviewers_are_assigned_as_the_letter_assigns_them() -> None:
    data = _data("2019")
    assert data.assessment is not None
    assigned = {r.id: set(r.criteria) for r in data.assessment.reviewers.values()}
    assert assigned["noi-vu"] == {"1", "4", "5"}
    assert assigned["tu-phap"] == {"2"}
    assert assigned["van-phong"] >= {"3", "7.2", "7.3"}
    assert assigned["tai-chinh-ke-hoach"] == {"6", "8.2"}
    assert assigned["van-hoa-thong-tin"] == {"7.1"}
    assert assigned["kinh-te-ha-tang"] == {"7.4"}


def test_criteria_sets_have_the_letters_shape_and_points() -> None:
    data = _data("2019")
    district, commune = data.criteria["district"], data.criteria["commune"]
    assert [f.id for f in district.fields] == [str(i) for i in range(1, 10)]
    for cid in ("7.1", "7.2", "7.3", "7.4", "8.2"):
        assert cid in district.nodes
    survey = lambda s: sum(c.max for c in s.leaves.values() if c.source == "survey")  # noqa: E731
    assert (district.max_total, survey(district)) == (Decimal(100), Decimal(20))
    assert (commune.max_total, survey(commune)) == (Decimal(100), Decimal(30))
    kinds = {c.kind for s in (district, commune) for c in s.leaves.values()}
    assert kinds == {"normal", "bonus", "deduction"}
    assert any(c.levels for c in commune.leaves.values()) and any(c.bands for c in commune.leaves.values())
    assert any(c.na_allowed for c in commune.leaves.values())


def test_the_district_scorecard_is_split_per_department() -> None:
    card = _data("2019").scorecards["huyen-tam-duong"]
    assert len(card.files) == 6


def test_score_json_gives_every_unit_a_realistic_spread() -> None:
    result = run_cli("score", "--root", str(ROOT), "--cycle", "2019", "--format", "json")
    assert result.code == 0
    units = json.loads(result.out, parse_float=Decimal)["units"]
    assert len(units) == 15
    statuses = [u["status"] for u in units]
    assert statuses.count("draft") == 1 and statuses.count("missing") == 1
    assert {u["classification"] for u in units if u["status"] == "submitted"} >= {"Xuất sắc", "Tốt", "Khá"}
    ranks = [(u["tier"], u["group"], u["rank"]) for u in units if u["rank"]]
    assert len(ranks) != len(set(ranks)), "the sample shows a tie (shared rank)"
    for u in units:
        if u["status"] != "missing":
            assert u["final_total"] == sum(f["final"] for f in u["fields"].values())
    data = _data("2019")
    lowered = [
        s
        for a in data.appraisals.values()
        for s in a.scores
        if s.unit in data.scorecards
        and (own := data.scorecards[s.unit].scores.get(s.criterion_id))
        and own.points is not None
        and s.points is not None
        and s.points < own.points
    ]
    assert lowered and all(s.comment for s in lowered)
    assert any(a.requests for a in data.appraisals.values())
