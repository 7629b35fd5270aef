"""`docs`: regenerate docs/problems.md and docs/cli.md (kept in sync by tests/test_docs.py)."""

from __future__ import annotations

import argparse

from builder.cli.docs import write_docs
from builder.cli.session import EXIT_OK, Session

HELP = "tạo lại docs/problems.md, docs/cli.md và docs/guides/ma-loi.md từ mã nguồn"


def options(p: argparse.ArgumentParser) -> None:
    pass


def run(s: Session) -> int:
    for path in write_docs(s.root):
        s.out.write(f"Đã ghi {path.relative_to(s.root).as_posix()}\n")
    return EXIT_OK
