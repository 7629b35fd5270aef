"""Tests of bench_ratios' pure parts: the README section between markers, the rows, plain pages."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks.ratios_report import (
    END,
    START,
    Row,
    estimate,
    plain_markdown,
    readme_table,
    replace_section,
    text_table,
)

README = "# Benchmarks\n\nIntro.\n\n## Core\n\nold numbers\n\n## History\n\nolder\n"


def test_the_first_table_goes_before_the_old_sections_which_stay() -> None:
    out = replace_section(README, "## Ratios\n\n| a |")
    assert out.index(START) < out.index("## Core") < out.index("## History")
    assert out.startswith("# Benchmarks\n\nIntro.\n\n")
    assert out.count("old numbers") == 1 and out.count("older") == 1


def test_a_second_run_replaces_only_what_is_between_the_markers() -> None:
    once = replace_section(README, "## Ratios\n\nfirst run")
    twice = replace_section(once, "## Ratios\n\nsecond run")
    assert "first run" not in twice and "second run" in twice
    assert twice.count(START) == 1 and twice.count(END) == 1
    assert twice.replace("second run", "first run") == once


def test_a_readme_with_one_marker_is_not_guessed_at() -> None:
    with pytest.raises(ValueError):
        replace_section(README + START + "\n", "x")
    with pytest.raises(ValueError):
        replace_section(END + "\n" + README, "x")


def test_a_readme_without_sections_gets_the_table_at_the_end() -> None:
    assert replace_section("# B\n", "t").endswith(f"{START}\nt\n{END}\n\n")


def test_a_failed_measure_is_never_a_number() -> None:
    row = Row("5 build ÷ bare mkdocs", "330", 10.0, None, 1.25, "s")
    assert row.value is None and row.meets == "failed"
    assert row.cells()[3:5] == ["failed", "failed"]
    assert Row("6 peak memory of build", "330", None, None, 500, "MB").meets == "failed"


def test_ratios_against_goals() -> None:
    assert Row("1 x", "330", 3.0, 2.0, 1.5, "s").meets == "yes"
    assert Row("1 x", "330", 3.1, 2.0, 1.5, "s").meets == "no"
    share = Row("7 (export xlsx − score) ÷ build", "330", 1.5, 10.0, 0.10, "s")
    assert share.cells()[4:6] == ["15.0%", "≤ 10%"] and share.meets == "no"
    memory = Row("10 peak memory of score", "330", 301.0, None, 300, "MB")
    assert memory.meets == "no" and memory.cells()[5] == "≤ 300 MB"


def test_tables_escape_pipes_and_list_every_row() -> None:
    rows = [Row("1 a|b", "15", 1.0, 1.0, 1.5, "s"), Row("6 m", "15", 90.0, None, 500, "MB")]
    md = readme_table(rows, "note")
    assert "1 a\\|b" in md and md.count("\n| ") == 3
    assert len(text_table(rows).splitlines()) == 3


def test_plain_pages_keep_the_visible_text_and_nothing_markdown_would_parse() -> None:
    page = (
        "---\ntitle: Xã &amp; Thử\n---\n# Tiêu đề\n\n"
        "<div class='x'><strong>Đậm</strong> &#40;chú&#41;</div>\n\n"
        "| Cột | Số |\n|---|---:|\n| A &lt;b&gt; | 1,5 |\n\n- **Cấp:** [xem](a.md) \\*\n"
    )
    out = plain_markdown(page)
    assert out.startswith("---\ntitle: Xã &amp; Thử\n---\n")  # front matter is metadata: kept as is
    body = out.split("---\n", 2)[2]
    for gone in ("<", ">", "&", "|", "#", "*", "[", "](", "---", "\\"):
        assert gone not in body, gone
    for word in ("Tiêu đề", "Đậm", "(chú)", "Cột Số", "A b 1,5", "Cấp:", "xem"):
        assert word in body, word
    assert body.strip().count("\n\n") == 3  # heading, div, table, list: four paragraphs


def test_the_estimate_is_a_fixed_cost_plus_a_cost_per_unit() -> None:
    assert estimate([(15, 30.0)], 330) == 660.0  # one size: proportional
    assert estimate([(15, 30.0), (330, 345.0)], 3321) == 345.0 + 2991.0  # 1 s per unit beyond 330
    assert estimate([(15, 30.0), (330, 20.0)], 3321) == 20.0  # noise never predicts less


def test_a_failing_child_is_reported_with_its_row_and_stderr_and_gives_no_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks.bench_ratios import Samples, run_child

    code = "import sys; sys.stderr.write('Lỗi: hỏng'); sys.exit(2)"
    run = run_child("5", [sys.executable, "-c", code], tmp_path)
    assert run.seconds is None and run.rss_mb is None
    printed = capsys.readouterr().out
    assert "row 5" in printed and "exit 2" in printed and "Lỗi: hỏng" in printed
    ok = run_child("5", [sys.executable, "-c", "raise SystemExit(1)"], tmp_path)  # 1: data errors
    assert ok.seconds is not None
    samples = Samples([ok, run])
    assert samples.failed and samples.best is None and samples.peak is None  # one bad round spoils it


def test_peak_memory_is_each_childs_own_not_the_largest_child_so_far(tmp_path: Path) -> None:
    from benchmarks.bench_ratios import run_child

    big = run_child(
        "10",
        [sys.executable, "-c", "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"],
        tmp_path,
    )
    small = run_child("10", [sys.executable, "-c", "pass"], tmp_path)
    assert big.rss_mb is not None and small.rss_mb is not None
    assert big.rss_mb > 200 > small.rss_mb


def test_a_small_child_of_a_large_parent_reports_its_own_peak(tmp_path: Path) -> None:
    """Linux carries the parent's peak RSS across fork + exec; GNU time measures the command
    from a small process of its own, so a small child reads small under a 300 MB parent."""
    from benchmarks.bench_ratios import GNU_TIME, run_child

    if GNU_TIME is None:
        pytest.skip("GNU time (/usr/bin/time) is not installed: peaks are upper bounds")
    ballast = bytearray(300 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])
    small = run_child("10", [sys.executable, "-c", "pass"], tmp_path)
    assert small.rss_mb is not None and small.rss_mb < 100
    del ballast
