"""`export --format csv|json|xlsx --out DIR`: the cycle's results as files to download."""

from __future__ import annotations

import argparse
from pathlib import Path

from builder.cli.report import summary_line
from builder.cli.session import EXIT_DATA, EXIT_OK, Session
from builder.git.history import cycle_history
from builder.git.lateness import apply_late_changes, history_problems
from builder.office.export import criteria_csv, cycle_record, dumps, summary_csv_vi, units_csv
from builder.problems import UsageError
from builder.rules.validate import has_errors
from builder.score import score_cycle

HELP = "xuất kết quả ra tệp: csv, json hoặc xlsx (bảng tự đánh giá theo mẫu)"
FORMATS = ("csv", "json", "xlsx")


def options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format", choices=(*FORMATS, "all"), default="all", help="csv, json, xlsx hoặc all (mặc định: all)"
    )
    p.add_argument("--out", default=".", help="thư mục ghi tệp (mặc định: thư mục hiện tại)")
    p.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi (mã thoát 1)")


def file_names(cycle: str) -> dict[str, list[str]]:
    """The files each format writes, e.g. chi-so-cchc-2019.xlsx."""
    return {
        # machine-readable (as `score --format csv`), per criterion, and for Excel in Vietnamese
        "csv": [f"ket-qua-{cycle}.csv", f"tieu-chi-{cycle}.csv", f"tong-hop-{cycle}.csv"],
        "json": [f"ket-qua-{cycle}.json"],
        "xlsx": [f"chi-so-cchc-{cycle}.xlsx"],
    }


def run(s: Session) -> int:
    cycle = s.cycle()
    data, problems = s.load(cycle)
    story = cycle_history(s.root, data, "HEAD")  # as `score` does: late flags, late changes
    problems += history_problems(story, data)
    if has_errors(problems, s.args.strict):
        s.err.write(
            f"Không xuất: dữ liệu kỳ {cycle} có lỗi ({summary_line(problems)}); "
            f"chạy '{s.command} validate --cycle {cycle}' để xem chi tiết.\n"
        )
        return EXIT_DATA
    data = apply_late_changes(s.root, data, story)
    result = score_cycle(data, story.late())
    out = Path(s.args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} không phải thư mục")
    out.mkdir(parents=True, exist_ok=True)
    formats = FORMATS if s.args.format == "all" else (s.args.format,)
    names = file_names(cycle)
    for fmt in formats:
        if fmt == "csv":
            units, leaves, summary = names["csv"]
            (out / units).write_text(units_csv(result), encoding="utf-8", newline="")
            (out / leaves).write_text(criteria_csv(result), encoding="utf-8", newline="")
            tiers = {k: t.name for k, t in data.assessment.tiers.items()} if data.assessment else {}
            (out / summary).write_text(summary_csv_vi(result, tiers), encoding="utf-8", newline="")
        elif fmt == "json":
            (out / names["json"][0]).write_text(
                dumps(cycle_record(result, data, s.tree)) + "\n", encoding="utf-8"
            )
        else:
            from builder.office.xlsx import write_workbook  # openpyxl is loaded only when needed

            write_workbook(out / names["xlsx"][0], data, result)
        for name in names[fmt]:
            s.out.write(f"Đã ghi {out / name}\n")
    return EXIT_OK
