"""`new UNIT`: write a scorecard skeleton for the unit (never overwrites)."""

from __future__ import annotations

import argparse

from builder.cli.session import Session
from builder.editor.scaffold import write_scaffold

HELP = "tạo phiếu tự chấm điểm mẫu cho một đơn vị"


def options(p: argparse.ArgumentParser) -> None:
    p.add_argument("unit", help="mã đơn vị trong assessment.yaml, ví dụ xa-ban-bo")
    p.add_argument("--file", default="scorecard.yaml", help="tên tệp (mặc định scorecard.yaml)")


def run(s: Session) -> int:
    data, _ = s.load(s.cycle())
    message, code = write_scaffold(s.root, data, s.args.unit, s.args.file, s.command)
    (s.out if code == 0 else s.err).write(message + "\n")
    return code
