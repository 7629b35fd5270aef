"""`units import FILE --cycle C [--write]`: a cycle's units from a CSV or XLSX list."""

from __future__ import annotations

import argparse
from pathlib import Path

from builder.cli.session import EXIT_DATA, EXIT_OK, Session
from builder.load import cycle as loader
from builder.office.units_sheet import read_units, replace_units, unit_lines
from builder.problems import UsageError
from builder.rules.validate import validate

HELP = (
    "nhập danh sách đơn vị của một kỳ từ tệp CSV hoặc XLSX (tên, loại, cụm, mã hành chính, người phụ trách)"
)


def options(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["import"], help="import: nhập danh sách")
    p.add_argument("file", help="tệp .csv hoặc .xlsx")
    p.add_argument(
        "--write", action="store_true", help="ghi vào assessment.yaml (mặc định: chỉ in ra để xem)"
    )


def run(s: Session) -> int:
    cycle = s.cycle()
    path = Path(s.args.file)
    if not path.is_file() or path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise UsageError(f"không có tệp .csv hoặc .xlsx {path}")
    found = read_units(path)
    for line in found.problems:
        s.err.write(line + "\n")
    if found.problems:
        s.err.write(f"Không nhập: {len(found.problems)} lỗi trong {path.name}; sửa bảng rồi chạy lại.\n")
        return EXIT_DATA
    lines = unit_lines(found.units)
    target = s.root / "criteria" / cycle / "assessment.yaml"
    if not s.args.write:
        s.out.write("units:\n" + "".join(line + "\n" for line in lines))
        s.err.write(
            f"{len(lines)} đơn vị. Xem lại mã đơn vị, rồi chạy lại với --write để ghi vào {target.name}.\n"
        )
        return EXIT_OK
    before = target.read_text(encoding="utf-8")
    target.write_text(replace_units(before, lines), encoding="utf-8")
    problems = [p for p in validate(loader.load_cycle(s.tree, cycle), s.tree) if p.level == "error"]
    if any(p.path == f"criteria/{cycle}/assessment.yaml" for p in problems):
        target.write_text(before, encoding="utf-8")  # nothing half-written stays
        for p in problems:
            s.err.write(p.text() + "\n")
        s.err.write("Không ghi: danh sách mới làm assessment.yaml có lỗi (đã giữ nguyên tệp cũ).\n")
        return EXIT_DATA
    s.out.write(f"Đã ghi {len(lines)} đơn vị vào criteria/{cycle}/assessment.yaml.\n")
    return EXIT_OK
