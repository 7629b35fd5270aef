"""Command line: parse options, then one call per command. Exit 0 fine, 1 data errors, 2 usage."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from . import load as loader
from .export import cycle_record, dumps, units_csv
from .model import CycleData, Problem
from .report import FORMATS, default_format, summary_line, write_problems
from .score import score_cycle, shown
from .validate import has_errors, validate

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A problem with the command line or the environment (exit 2), not with the data."""


@dataclass
class Session:
    """What every command gets: options, the file tree and the output streams."""

    args: argparse.Namespace
    root: Path
    tree: loader.Tree
    out: TextIO
    err: TextIO

    def cycles(self) -> list[str]:
        found = loader.cycles(self.tree)
        if not found:
            raise UsageError(f"Không tìm thấy kỳ đánh giá nào trong {self.root}/criteria/")
        return found

    def cycle(self) -> str:
        found = self.cycles()
        wanted = getattr(self.args, "cycle", None)
        if wanted is None:
            return found[-1]
        if wanted not in found:
            raise UsageError(f"Không có kỳ đánh giá '{wanted}' (có: {', '.join(found)})")
        return str(wanted)

    def load(self, cycle: str) -> tuple[CycleData, list[Problem]]:
        data = loader.load_cycle(self.tree, cycle)
        return data, validate(data, self.tree)


def cmd_validate(s: Session) -> int:
    cycles = s.cycles() if s.args.all_cycles else [s.cycle()]
    problems: list[Problem] = list(loader.orphan_cycle_problems(s.tree)) if s.args.all_cycles else []
    for cycle in cycles:
        problems.extend(s.load(cycle)[1])
    problems.sort(key=Problem.sort_key)
    fmt = s.args.format or default_format()
    write_problems(problems, fmt, s.out)
    if fmt == "text":
        s.err.write(f"Kỳ {', '.join(cycles)}: {summary_line(problems)}\n")
    return EXIT_DATA if has_errors(problems, s.args.strict) else EXIT_OK


def cmd_score(s: Session) -> int:
    cycle = s.cycle()
    data, problems = s.load(cycle)
    result = score_cycle(data)
    if s.args.format == "json":
        s.out.write(dumps(cycle_record(result)) + "\n")
    elif s.args.format == "csv":
        s.out.write(units_csv(result))
    else:
        s.out.write(score_table(result, data))
    if has_errors(problems, s.args.strict):
        s.err.write(f"Dữ liệu kỳ {cycle} có lỗi ({summary_line(problems)}); "
                    f"chạy 'python -m builder validate --cycle {cycle}' để xem chi tiết.\n")
        return EXIT_DATA
    return EXIT_OK


def vn_number(value: object, places: int = 2) -> str:
    """89.285 → '89,29'; 1234.5 → '1.234,50' (Vietnamese separators)."""
    if value is None:
        return "—"
    text = f"{shown(value, places):,.{places}f}"  # type: ignore[arg-type]
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


STATUS_VI = {"submitted": "đã nộp", "draft": "bản nháp", "missing": "chưa nộp"}


def score_table(result: object, data: CycleData) -> str:
    from .model import CycleResult

    assert isinstance(result, CycleResult)
    headers = ["Hạng", "Đơn vị", "Nhóm", "Trạng thái", "Tự chấm", "Điểm cuối", "Tối đa", "Chỉ số", "Xếp loại"]
    rows = [
        [
            str(r.rank) if r.rank else "—", r.name, r.group or "—", STATUS_VI[r.status],
            vn_number(r.self_total), vn_number(r.final_total), vn_number(r.max),
            vn_number(r.index), r.classification or "—",
        ]
        for r in result.units
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(headers)]
    right = {0, 4, 5, 6, 7}

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    title = data.assessment.title if data.assessment else result.cycle
    demo = " (DỮ LIỆU MINH HỌA)" if data.assessment and data.assessment.demo else ""
    body = [f"{title} — kỳ {result.cycle}{demo}", line(headers), line(["-" * w for w in widths])]
    body += [line(row) for row in rows]
    return "\n".join(body) + "\n"


def cmd_new(s: Session) -> int:
    from .scaffold import write_scaffold

    cycle = s.cycle()
    data, _ = s.load(cycle)
    message, code = write_scaffold(s.root, data, s.args.unit, s.args.file)
    (s.out if code == EXIT_OK else s.err).write(message + "\n")
    return code


def cmd_docs(s: Session) -> int:
    from .docs import write_problem_docs

    path = write_problem_docs(s.root)
    s.out.write(f"Đã ghi {path}\n")
    return EXIT_OK


def _validate_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, help="định dạng: text (mặc định), github, json")
    p.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi (mã thoát 1)")
    p.add_argument("--all-cycles", action="store_true", help="kiểm tra mọi kỳ đánh giá")


def _score_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="định dạng: table (mặc định), csv, json")
    p.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi (mã thoát 1)")


def _new_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("unit", help="mã đơn vị trong assessment.yaml, ví dụ xa-ban-bo")
    p.add_argument("--file", default="scorecard.yaml", help="tên tệp (mặc định scorecard.yaml)")


def _no_options(p: argparse.ArgumentParser) -> None:
    pass


Command = Callable[[Session], int]
Options = Callable[[argparse.ArgumentParser], None]

# name → (handler, Vietnamese help, options); the order is the order of `--help`
COMMANDS: dict[str, tuple[Command, str, Options]] = {
    "validate": (cmd_validate, "kiểm tra dữ liệu của một kỳ (hoặc mọi kỳ với --all-cycles)", _validate_options),
    "score": (cmd_score, "tính điểm, chỉ số, xếp loại và xếp hạng", _score_options),
    "new": (cmd_new, "tạo phiếu tự chấm điểm mẫu cho một đơn vị", _new_options),
    "docs": (cmd_docs, "tạo lại docs/problems.md từ danh mục mã lỗi", _no_options),
}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m builder",
        description="Chỉ số CCHC: kiểm tra, chấm điểm và công bố phiếu tự đánh giá.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, help_text, options) in COMMANDS.items():
        cp = sub.add_parser(name, help=help_text, description=help_text)
        cp.add_argument("--root", default=".", help="thư mục kho dữ liệu (mặc định: .)")
        cp.add_argument("--cycle", help="kỳ đánh giá (mặc định: kỳ mới nhất trong criteria/)")
        options(cp)
    return p


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    args = parser().parse_args(argv)
    root = Path(args.root)
    if not root.is_dir():
        err.write(f"Lỗi: không có thư mục {root}\n")
        return EXIT_USAGE
    session = Session(args, root, loader.FolderTree(root), out, err)
    handler = COMMANDS[args.command][0]
    try:
        return handler(session)
    except UsageError as e:
        err.write(f"Lỗi: {e}\n")
        return EXIT_USAGE
    except BrokenPipeError:  # `... | head`
        return EXIT_OK
