"""`validate`: check a cycle (or every cycle) and print the problems."""

from __future__ import annotations

import argparse

from builder.cli.report import FORMATS, default_format, summary_line, write_problems
from builder.cli.session import EXIT_DATA, EXIT_OK, Session
from builder.git.history import cycle_history
from builder.git.lateness import history_problems
from builder.git.repo import open_tree
from builder.load import cycle as loader
from builder.model import Problem
from builder.rules.validate import has_errors

CODES_HINT = "Mỗi mã lỗi trong [ ] được giải thích, kèm ví dụ sai và đúng, ở docs/guides/ma-loi.md."
HELP = "kiểm tra dữ liệu của một kỳ (hoặc mọi kỳ với --all-cycles)"


def options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, help="định dạng: text (mặc định), github, json")
    p.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi (mã thoát 1)")
    p.add_argument("--all-cycles", action="store_true", help="kiểm tra mọi kỳ đánh giá")
    p.add_argument("--rev", help="đọc dữ liệu tại phiên bản (commit, nhánh) REV mà không checkout")


def run(s: Session) -> int:
    if s.args.rev:  # e.g. a pull request's head, read as Git objects by the base's code
        s.tree = open_tree(s.root, s.args.rev)
    cycles = s.cycles() if s.args.all_cycles else [s.cycle()]
    problems: list[Problem] = list(loader.orphan_cycle_problems(s.tree)) if s.args.all_cycles else []
    for cycle in cycles:
        data, found = s.load(cycle)
        problems.extend(found)
        problems.extend(
            history_problems(cycle_history(s.root, data, s.args.rev or "HEAD"), data)
        )  # plain folder: none
    problems.sort(key=Problem.sort_key)
    fmt = s.args.format or default_format()
    write_problems(problems, fmt, s.out)
    if fmt == "text":
        s.err.write(f"Kỳ {', '.join(cycles)}: {summary_line(problems)}.\n")
        if problems:
            s.err.write(f"{CODES_HINT}\n")
    return EXIT_DATA if has_errors(problems, s.args.strict) else EXIT_OK
