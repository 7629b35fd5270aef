"""Scoring: exact arithmetic, classes, competition ranks and statuses (properties and cases)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.load.cycle import FolderTree, load_cycle
from builder.model import Score
from builder.results import LeafResult, UnitResult, appraised_sum
from builder.score import classify, rank_units, round_half_up, score_cycle
from casekit import materialize

D = Decimal


def _base(tmp_path: Path):
    repo = materialize(None, tmp_path / "repo")
    return load_cycle(FolderTree(repo), "2019")


def _unit(uid: str, index: Fraction | None, status: str = "submitted", group: str = "G") -> UnitResult:
    return UnitResult(uid, uid, "commune", group, status, D(0), D(0), D(100), index, None, None, None, {}, {})  # type: ignore[arg-type]


def test_sample_base_totals_are_exact(tmp_path: Path) -> None:
    result = {r.unit: r for r in score_cycle(_base(tmp_path)).units}
    an_binh = result["xa-an-binh"]
    # 1 + 1 (appraised 1.1.2) + 0.5 bonus + 0 deduction + 2.75 + 8.25 survey; 1.2 is N/A
    assert an_binh.final_total == D("13.5")
    assert an_binh.self_total == D("5.25")
    assert an_binh.max == D(16)  # 2.2 applies to thi-tran only; 1.2 left the max
    assert an_binh.index == Fraction(135, 160) * 100
    assert an_binh.classification == "Tốt"
    ben_cau = result["tt-ben-cau"]
    assert ben_cau.leaves["1.1.1"].final_points == D(0)  # appraised below self score
    assert ben_cau.leaves["1.1.1"].self_points == D("0.5")
    assert ben_cau.final_total == D(17) and ben_cau.max == D(20)
    assert (ben_cau.rank, an_binh.rank) == (1, 2)


def test_missing_unit_has_no_totals_and_comes_last(tmp_path: Path) -> None:
    units = score_cycle(_base(tmp_path)).units
    missing = units[-1]
    assert missing.unit == "xa-cam-son" and missing.status == "missing"
    assert (missing.final_total, missing.index, missing.classification, missing.rank) == (None,) * 4


def test_draft_is_scored_but_not_ranked(tmp_path: Path) -> None:
    data = _base(tmp_path)
    card = data.scorecards["xa-an-binh"]
    data.scorecards["xa-an-binh"] = replace(card, status="draft")
    result = {r.unit: r for r in score_cycle(data).units}
    assert result["xa-an-binh"].final_total == D("13.5")
    assert result["xa-an-binh"].rank is None
    assert result["tt-ben-cau"].rank == 1


def test_a_hair_below_a_threshold_is_not_promoted_and_exactly_on_it_is(tmp_path: Path) -> None:
    data = _base(tmp_path)
    classes = data.assessment
    assert classes is not None
    assert classify(classes, Fraction(80)) == "Tốt"
    assert classify(classes, Fraction(7999999, 100000)) == "Khá"
    # 0.1 + 0.2 is exactly 0.3 here, unlike binary floats
    assert round_half_up(D("0.1") + D("0.2"), 2) == D("0.30")


def test_shown_values_round_half_up_from_the_exact_value() -> None:
    assert round_half_up(Fraction(135, 160) * 100, 2) == D("84.38")  # 84.375
    assert round_half_up(Fraction(62_5, 7), 2) == D("89.29")  # 89.2857…
    assert round_half_up(D("79.995"), 2) == D("80.00")
    assert round_half_up(Fraction(-1, 200), 2) == D("-0.01")


def test_tied_units_share_a_rank() -> None:
    ranked = rank_units(
        [
            _unit("a", Fraction(90)),
            _unit("b", Fraction(95)),
            _unit("c", Fraction(90)),
            _unit("d", Fraction(80)),
        ]
    )
    assert [(r.unit, r.rank) for r in ranked] == [("b", 1), ("a", 2), ("c", 2), ("d", 4)]


def test_ranks_are_per_group_and_skip_drafts() -> None:
    ranked = rank_units(
        [
            _unit("a", Fraction(70), group="G1"),
            _unit("b", Fraction(60), group="G2"),
            _unit("c", Fraction(99), status="draft", group="G1"),
            _unit("d", Fraction(80), group="G1"),
        ]
    )
    assert {r.unit: r.rank for r in ranked} == {"d": 1, "a": 2, "b": 1, "c": None}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fractions(min_value=0, max_value=120, max_denominator=1000), min_size=1, max_size=25))
def test_competition_ranking_property(indices: list[Fraction]) -> None:
    ranked = rank_units([_unit(f"u{i}", x) for i, x in enumerate(indices)])
    for r in ranked:
        assert r.index is not None
        higher = sum(1 for x in indices if x > r.index)
        assert r.rank == higher + 1  # ties share a rank; the next rank skips


points = st.decimals(min_value=0, max_value=3, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    p111=st.sampled_from([D(0), D("0.5"), D(1)]),
    p112=st.sampled_from([D(0), D(1), D(2)]),
    p21=points,
    p13=st.decimals(min_value=0, max_value=1, places=3),
    p14=st.decimals(min_value=-1, max_value=0, places=3),
    survey=st.one_of(st.none(), st.decimals(min_value=0, max_value=10, places=2)),
)
def test_totals_equal_the_sum_of_parts(tmp_path_factory, p111, p112, p21, p13, p14, survey) -> None:
    data = _base(tmp_path_factory.mktemp("p"))
    card = data.scorecards["xa-an-binh"]
    scores = dict(card.scores)
    for cid, value in {"1.1.1": p111, "2.1": p21, "1.3": p13, "1.4": p14}.items():
        scores[cid] = replace(scores[cid], points=value)
    scores["1.1.2"] = replace(scores["1.1.2"], points=p112)
    data.scorecards["xa-an-binh"] = replace(card, scores=scores)
    noi_vu = data.appraisals["noi-vu"]
    kept = tuple(s for s in noi_vu.scores if s.unit != "xa-an-binh")
    if survey is not None:
        kept += (replace(noi_vu.scores[1], unit="xa-an-binh", criterion_id="3.1", points=survey),)
    data.appraisals["noi-vu"] = replace(noi_vu, scores=kept)
    r = next(u for u in score_cycle(data).units if u.unit == "xa-an-binh")
    expected_final = p111 + p112 + p13 + p14 + p21 + (survey or 0)
    assert r.final_total == expected_final
    assert r.self_total == expected_final - (survey or 0)
    assert r.final_total == sum(f.final for f in r.fields.values())
    assert r.max == sum(f.max for f in r.fields.values()) == D(16)
    assert r.index == Fraction(expected_final) * 100 / 16


@settings(max_examples=30, deadline=None)
@given(st.permutations(["1.1.1", "1.1.2", "1.2", "1.3", "1.4", "2.1"]), st.booleans())
def test_order_of_files_and_entries_does_not_change_results(
    tmp_path_factory, order, reverse_appraisals
) -> None:
    data = _base(tmp_path_factory.mktemp("o"))
    before = score_cycle(data)
    card = data.scorecards["xa-an-binh"]
    data.scorecards["xa-an-binh"] = replace(card, scores={cid: card.scores[cid] for cid in order})
    data.scorecards = dict(reversed(list(data.scorecards.items())))
    if reverse_appraisals:
        data.appraisals = {
            k: replace(v, scores=tuple(reversed(v.scores))) for k, v in data.appraisals.items()
        }
    assert score_cycle(data) == before


def test_split_scorecard_files_merge_in_any_order(tmp_path: Path) -> None:
    repo = materialize(None, tmp_path / "repo")
    folder = repo / "submissions/2019/tt-ben-cau"
    before = score_cycle(load_cycle(FolderTree(repo), "2019"))
    (folder / "part-1.yaml").rename(folder / "z-part-1.yaml")
    after = score_cycle(load_cycle(FolderTree(repo), "2019"))
    assert after == before


def test_not_applicable_leaf_leaves_the_max(tmp_path: Path) -> None:
    data = _base(tmp_path)
    r = next(u for u in score_cycle(data).units if u.unit == "xa-an-binh")
    assert r.leaves["1.2"].applicable is False and r.leaves["1.2"].max == 0
    card = data.scorecards["xa-an-binh"]
    scores = dict(card.scores)
    scores["1.2"] = Score("1.2", scores["1.2"].loc, points=D(2), explanation="có")
    data.scorecards["xa-an-binh"] = replace(card, scores=scores)
    r2 = next(u for u in score_cycle(data).units if u.unit == "xa-an-binh")
    assert r2.max == D(18) and r2.final_total == D("15.5")


def _leaf(appraised: str | None, applicable: bool = True) -> LeafResult:
    points = None if appraised is None else Decimal(appraised)
    return LeafResult("x", Decimal(2), applicable, Decimal(1), points, points)


def test_appraised_sum_is_shown_only_when_every_applicable_leaf_was_appraised() -> None:
    """One meaning of "Thẩm định" on every row, site, CSV and workbook alike (docs/site.md)."""
    assert appraised_sum([_leaf("1.5"), _leaf("0")]) == Decimal("1.5")
    assert appraised_sum([_leaf("1.5"), _leaf(None)]) is None  # partial: no sum that reads as the row's
    assert appraised_sum([_leaf(None), _leaf(None)]) is None
    assert appraised_sum([_leaf("2"), _leaf(None, applicable=False)]) == 2  # N/A does not count
    assert appraised_sum([]) is None
