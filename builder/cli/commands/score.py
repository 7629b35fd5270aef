"""`score`: exact totals, index, class and rank of every unit, as a table, CSV or JSON."""

from __future__ import annotations

import argparse

from builder.cli.report import summary_line
from builder.cli.session import EXIT_DATA, EXIT_OK, Session
from builder.git.history import cycle_history
from builder.git.lateness import apply_late_changes, history_problems
from builder.git.repo import open_tree
from builder.model import CycleData
from builder.numbers import vn_number
from builder.office.export import cycle_record, dumps, units_csv
from builder.results import CycleResult
from builder.rules.validate import has_errors
from builder.score import score_cycle

HELP = "tính điểm, chỉ số, xếp loại và xếp hạng"
STATUS_VI = {"submitted": "đã nộp", "draft": "bản nháp", "missing": "chưa nộp"}


def options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="định dạng: table (mặc định), csv, json",
    )
    p.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi (mã thoát 1)")
    p.add_argument("--rev", help="đọc dữ liệu tại phiên bản (commit, tag) REV mà không checkout")


def run(s: Session) -> int:
    if s.args.rev:  # the data as it was at that commit, to reproduce a published result
        s.tree = open_tree(s.root, s.args.rev)
    cycle = s.cycle()
    data, problems = s.load(cycle)
    story = cycle_history(s.root, data, s.args.rev or "HEAD")
    problems += history_problems(story, data)
    for note in story.notes if story.known else ():  # e.g. a shallow clone: what is unknown
        s.err.write(f"Ghi chú: {note}\n")
    for p in problems:  # never "on time": the reviewer must see why `late` is empty
        if p.code == "landing-time-unverifiable":
            s.err.write(p.text() + "\n")
    result = score_cycle(apply_late_changes(s.root, data, story), story.late())
    if s.args.format == "json":
        s.out.write(dumps(cycle_record(result)) + "\n")
    elif s.args.format == "csv":
        s.out.write(units_csv(result))
    else:
        s.out.write(score_table(result, data))
    if has_errors(problems, s.args.strict):
        s.err.write(
            f"Dữ liệu kỳ {cycle} có lỗi ({summary_line(problems)}); "
            f"chạy '{s.command} validate --cycle {cycle}' để xem chi tiết.\n"
        )
        return EXIT_DATA
    return EXIT_OK


def score_table(result: CycleResult, data: CycleData) -> str:
    headers = ["Hạng", "Đơn vị", "Nhóm", "Trạng thái", "Tự chấm", "Điểm cuối", "Tối đa", "Chỉ số", "Xếp loại"]
    rows = [
        [
            str(r.rank) if r.rank else "—",
            r.name,
            r.group or "—",
            STATUS_VI[r.status],
            vn_number(r.self_total),
            vn_number(r.final_total),
            vn_number(r.max),
            vn_number(r.index),
            r.classification or "—",
        ]
        for r in result.units
    ]
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(headers)]
    right = {0, 4, 5, 6, 7}

    def line(cells: list[str]) -> str:
        padded = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    a = data.assessment
    title = a.title if a else result.cycle
    demo = " (DỮ LIỆU MINH HỌA)" if a and a.demo else ""
    body = [f"{title} — kỳ {result.cycle}{demo}", line(headers), line(["-" * w for w in widths])]
    return "\n".join(body + [line(row) for row in rows]) + "\n"
