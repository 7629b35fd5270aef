"""`schema [--check]`: write (or check) the editors' JSON Schemas in schemas/<cycle>/."""

from __future__ import annotations

import argparse

from builder.cli.session import EXIT_DATA, EXIT_OK, EXIT_USAGE, Session
from builder.editor.schema_file import schema_text
from builder.editor.schemas import cycle_schemas
from builder.git.repo import open_tree
from builder.load import cycle as loader

HELP = "tạo lược đồ JSON (schemas/) cho trình soạn thảo từ bộ tiêu chí; --check: kiểm tra đã cập nhật"


def options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--check", action="store_true", help="không ghi gì; mã thoát 1 nếu tệp trong schemas/ đã cũ (CI dùng)"
    )
    p.add_argument("--rev", help="với --check: đọc dữ liệu tại phiên bản REV mà không checkout")


def expected_files(s: Session, cycles: list[str]) -> tuple[dict[str, str], list[str]]:
    """path → text of every schema the cycles should have, and the cycles that could not load."""
    files: dict[str, str] = {}
    broken = []
    for cycle in cycles:
        data = loader.load_cycle(s.tree, cycle)
        found = cycle_schemas(data)
        if data.assessment is None or len(data.criteria) < len(data.assessment.tiers):
            broken.append(cycle)
        files.update({path: schema_text(schema) for path, schema in found.items()})
    return files, broken


def present_files(s: Session, cycles: list[str]) -> set[str]:
    """Generated files that exist now (schemas/<cycle>/*.schema.json), for every cycle folder."""
    found = set()
    for folder, is_dir in s.tree.list_dir("schemas"):
        if is_dir:
            found |= {
                f"schemas/{folder}/{name}"
                for name, sub in s.tree.list_dir(f"schemas/{folder}")
                if not sub and name.endswith(".schema.json")
            }
    return found


def run(s: Session) -> int:
    if s.args.rev and not s.args.check:
        s.err.write("Lỗi: --rev chỉ dùng cùng --check (không ghi vào một phiên bản đã commit).\n")
        return EXIT_USAGE
    if s.args.rev:
        s.tree = open_tree(s.root, s.args.rev)
    cycles = [s.cycle()] if s.args.cycle else s.cycles()
    files, broken = expected_files(s, cycles)
    if broken:
        s.err.write(
            f"Lỗi: không đọc được cấu hình hoặc bộ tiêu chí của kỳ {', '.join(broken)}; "
            f"chạy '{s.command} validate --cycle {broken[0]}' để xem chi tiết.\n"
        )
        return EXIT_DATA
    present = present_files(s, cycles)
    if not s.args.cycle:  # schemas of cycles that no longer exist are stale too
        extra = sorted(present - set(files))
    else:
        extra = sorted(p for p in present - set(files) if p.startswith(f"schemas/{s.cycle()}/"))
    changed = [
        path for path, text in sorted(files.items()) if s.tree.read_bytes(path) != text.encode("utf-8")
    ]
    if s.args.check:
        if not changed and not extra:
            s.out.write(f"Lược đồ trong schemas/ đã cập nhật ({len(files)} tệp).\n")
            return EXIT_OK
        for path in changed:
            s.out.write(f"{path}: cũ, cần tạo lại\n")
        for path in extra:
            s.out.write(f"{path}: không còn bộ tiêu chí tương ứng, cần xóa\n")
        s.err.write(f"Lược đồ đã cũ: chạy '{s.command} schema' rồi commit thư mục schemas/.\n")
        return EXIT_DATA
    for path in changed:
        target = s.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(files[path], encoding="utf-8", newline="\n")
        s.out.write(f"Đã ghi {path}\n")
    for path in extra:
        (s.root / path).unlink()
        s.out.write(f"Đã xóa {path}\n")
    s.out.write(f"Lược đồ trong schemas/: {len(files)} tệp, {len(changed)} tệp mới ghi.\n")
    return EXIT_OK
