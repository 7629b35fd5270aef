"""`docs`: regenerate docs/problems.md from the problem catalogue."""

from __future__ import annotations

import argparse

from ..docs import write_problem_docs
from ..session import EXIT_OK, Session

HELP = "tạo lại docs/problems.md từ danh mục mã lỗi"


def options(p: argparse.ArgumentParser) -> None:
    pass


def run(s: Session) -> int:
    path = write_problem_docs(s.root)
    s.out.write(f"Đã ghi {path}\n")
    return EXIT_OK
