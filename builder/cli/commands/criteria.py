"""`criteria import FILE` (.xlsx, .xls, .ods, .docx; an annex) / `criteria export --out FILE.xlsx`."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from builder.cli.report import FORMATS, default_format, summary_line, write_problems
from builder.cli.session import EXIT_DATA, EXIT_OK, Session
from builder.load import cycle as loader
from builder.model import Problem
from builder.office.annex_import import import_file, tree_lines
from builder.office.criteria_workbook import write_criteria_workbook
from builder.problems import UsageError

HELP = "nhập bộ tiêu chí từ phụ lục Excel/Word (import) hoặc xuất ra Excel (export)"


def options(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("import", "export"), help="import: Excel → YAML; export: YAML → Excel")
    p.add_argument("file", nargs="?", help="import: tệp cần nhập (.xlsx, .xls, .ods hoặc .docx)")
    p.add_argument("--tier", required=True, help="cấp của bộ tiêu chí, ví dụ commune hoặc district")
    p.add_argument(
        "--sheet", help="import: tên trang tính, hoặc số bảng của tệp Word (mặc định: bảng đầu tiên đọc được)"
    )
    p.add_argument("--out", help="export: tệp .xlsx cần ghi")
    p.add_argument("--force", action="store_true", help="import: ghi đè tệp bộ tiêu chí đã có")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="import: chỉ in cây tiêu chí đọc được để đối chiếu, không ghi tệp",
    )
    p.add_argument("--format", choices=FORMATS, help="định dạng lỗi: text (mặc định), github, json")


def run(s: Session) -> int:
    return run_import(s) if s.args.action == "import" else run_export(s)


def _relative(s: Session, path: Path) -> str:
    """The path as problems show it: relative to the root when inside it."""
    rel = os.path.relpath(path.resolve(), s.root.resolve())
    return path.as_posix() if rel.startswith("..") else Path(rel).as_posix()


def run_import(s: Session) -> int:
    if not s.args.file:
        raise UsageError(f"cần tên tệp: {s.command} criteria import TỆP.xlsx|.docx --cycle C --tier T")
    if not s.args.cycle:
        raise UsageError("cần --cycle (kỳ đánh giá sẽ dùng bộ tiêu chí này)")
    xlsx = Path(s.args.file)
    if not xlsx.is_file():
        raise UsageError(f"không có tệp {xlsx}")
    cycle, tier = str(s.args.cycle), str(s.args.tier)
    data = loader.load_cycle(s.tree, cycle) if cycle in loader.cycles(s.tree) else None
    declared = data.assessment.tiers.get(tier) if data and data.assessment else None
    file_name = declared.criteria_file if declared else f"{tier}.yaml"
    target = s.root / "criteria" / cycle / file_name
    title = f"Bộ tiêu chí {declared.name if declared else tier} kỳ {cycle}"
    text, problems = import_file(xlsx, _relative(s, xlsx), tier, title, s.args.sheet)
    _report(s, problems)
    if text is None:
        s.err.write(f"Không nhập được {xlsx.name}: {summary_line(problems)}. Sửa bảng tính rồi chạy lại.\n")
        return EXIT_DATA
    if s.args.dry_run:
        s.out.write("\n".join(tree_lines(text, tier)) + "\n")
        s.out.write(f"Chạy thử: chưa ghi {target.relative_to(s.root).as_posix()}; bỏ --dry-run để ghi.\n")
        return EXIT_OK
    if target.exists() and not s.args.force:
        raise UsageError(f"{target.relative_to(s.root).as_posix()} đã có; thêm --force để ghi đè")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="\n")
    rel = target.relative_to(s.root).as_posix()
    s.out.write(f"Đã ghi {rel}.\n")
    if declared is None:
        s.out.write(
            f"Nhớ khai báo cấp '{tier}' trong criteria/{cycle}/assessment.yaml:\n"
            f'  tiers:\n    {tier}: {{name: "…", criteria: {file_name}}}\n'
        )
    s.out.write(f"Tiếp theo: {s.command} schema (cập nhật lược đồ cho trình soạn thảo)\n")
    return EXIT_OK


def _report(s: Session, problems: list[Problem]) -> None:
    fmt = s.args.format or default_format()
    if problems or fmt == "json":
        write_problems(problems, fmt, s.out)


def run_export(s: Session) -> int:
    if not s.args.out:
        raise UsageError("cần --out TỆP.xlsx")
    cycle = s.cycle()
    data = loader.load_cycle(s.tree, cycle)
    criteria = data.criteria.get(s.args.tier)
    if criteria is None:
        known = ", ".join(data.criteria) or "không có"
        raise UsageError(f"kỳ {cycle} không có bộ tiêu chí cấp '{s.args.tier}' (có: {known})")
    errors = [p for p in data.problems if p.level == "error" and p.path == criteria.path]
    if errors:
        write_problems(errors, s.args.format or default_format(), s.out)
        s.err.write(f"Không xuất: {criteria.path} có lỗi ({summary_line(errors)})\n")
        return EXIT_DATA
    out = Path(s.args.out)
    if out.parent and not out.parent.is_dir():
        out.parent.mkdir(parents=True, exist_ok=True)
    write_criteria_workbook(out, criteria)
    s.out.write(f"Đã ghi {out} ({len(criteria.nodes)} dòng tiêu chí).\n")
    return EXIT_OK
