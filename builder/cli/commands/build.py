"""`build`: every cycle loaded, validated and scored, then the published site (MkDocs) in site/."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from builder.cli.report import summary_line, write_problems
from builder.cli.session import EXIT_DATA, EXIT_OK, EXIT_USAGE, Session
from builder.git.repo import open_tree
from builder.model import Problem
from builder.problems import UsageError
from builder.progress import stage
from builder.site import broken, incremental
from builder.site.build import check_build_dir, check_site_dir, render
from builder.site.engine import Run, merge_search, run_mkdocs
from builder.site.gather import gather_cycles
from builder.site.publish import build_lock, fault_point, recover, swap, temp_site
from builder.site.writer import SiteCycle

HELP = "dựng trang web công bố kết quả của mọi kỳ đánh giá (MkDocs) vào site/"


def options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", help="thư mục trang web (mặc định: <root>/site)")
    p.add_argument("--build-dir", help="thư mục các trang Markdown sinh ra (mặc định: <root>/build)")
    p.add_argument("--rev", help="dựng trang từ dữ liệu tại phiên bản (commit, tag) REV mà không checkout")
    p.add_argument(
        "--full",
        action="store_true",
        help="dựng lại toàn bộ, không dùng lại các trang không đổi của lần dựng trước",
    )


def load_cycles(s: Session) -> tuple[list[SiteCycle], list[Problem]]:
    """Every cycle as `score` sees it: loaded, validated, its history read (late flags, and
    under `late_changes: freeze` the data as it stood at the deadline), then scored."""
    if s.args.rev:
        s.tree = open_tree(s.root, s.args.rev)
    s.cycles()  # a usage error when there is no cycle at all
    return gather_cycles(s.root, s.tree, s.args.rev)


def run(s: Session) -> int:
    if getattr(s.args, "cycle", None):
        raise UsageError("lệnh build luôn dựng mọi kỳ đánh giá; hãy bỏ tùy chọn --cycle")
    cycles, problems = load_cycles(s)
    cycles, blocking = quarantined(cycles)  # one unit's errors never block the others
    errors = sorted((p for p in problems if p.level == "error"), key=Problem.sort_key)
    if blocking:
        write_problems(errors, "text", s.err)
        s.err.write(
            f"Không dựng trang: dữ liệu có lỗi ({summary_line(problems)}); sửa các lỗi trên rồi chạy lại.\n"
        )
        return EXIT_DATA
    site = Path(s.args.out) if s.args.out else s.root / "site"
    build = Path(s.args.build_dir) if s.args.build_dir else s.root / "build"
    check_build_dir(build)
    with build_lock(build):
        recover(site)
        check_site_dir(site)
        with stage("Tạo các trang và dựng trang web"):
            warnings = publish(cycles, s, build, site)
    if warnings:
        for message in warnings:
            s.err.write(f"MkDocs: {message}\n")
        s.err.write("Không dựng được trang web (MkDocs, chế độ nghiêm ngặt); trang web cũ được giữ nguyên.\n")
        return EXIT_USAGE
    pages = sum(1 for _ in site.rglob("*.html"))
    s.out.write(
        f"Đã dựng {pages} trang của {len(cycles)} kỳ vào {site}. "
        f"Dữ liệu: {summary_line(problems)} (xem trang Kiểm tra dữ liệu)\n"
    )
    if errors:  # published, but loudly: the units in error are not ranked
        write_problems(errors, "text", s.err)
        units = [f"{c.data.cycle}/{uid}" for c in cycles for uid in sorted(c.broken)]
        s.err.write(
            f"ĐÃ CÔNG BỐ TRANG NHƯNG DỮ LIỆU TRÊN NHÁNH CHÍNH CÓ LỖI ({summary_line(problems)}): "
            f"{len(units)} đơn vị được công bố với nhãn '{broken.LABEL.lower()}', không chấm điểm, "
            f"không xếp hạng: {', '.join(units)}. Sửa các lỗi trên rồi dựng lại.\n"
        )
        return EXIT_DATA
    return EXIT_OK


def publish(cycles: list[SiteCycle], s: Session, build: Path, site: Path) -> list[str]:
    """MkDocs writes a temp folder next to `site`, swapped in only when it finished without a
    warning; whatever happens (a failure, Ctrl+C) the previous site stays as it was. When
    nothing that shapes every page changed, the temp folder starts as a copy of the published
    site and MkDocs rebuilds only the pages whose source changed (docs/site.md, "Incremental build")."""
    tmp = temp_site(site)
    try:
        rendered = render(cycles, s.tree, s.root, build, tmp)
        full = getattr(s.args, "full", False)
        plan, _why = (None, "") if full else incremental.plan(build, site, rendered.files)
        if plan is not None:
            incremental.seed(site, tmp, plan)
        fault_point("render")
        run = Run()
        warnings = run_mkdocs(rendered.config, dirty=plan is not None, run=run)
        if not warnings:
            if plan is not None:
                merge_search(site, tmp, run)
            fault_point("mkdocs-done")
            incremental.forget(build)  # a kill from here until `remember` means a clean build next
            swap(tmp, site)
            incremental.remember(build, site, rendered.files)
        return warnings
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def quarantined(cycles: list[SiteCycle]) -> tuple[list[SiteCycle], list[Problem]]:
    out, blocking = [], []
    for c in cycles:
        kept, found = broken.quarantine(c)
        out.append(kept)
        blocking += found
    return out, blocking
