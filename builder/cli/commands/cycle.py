"""`cycle new YEAR [--from PREV]`: start the next cycle from the previous one's configuration."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from datetime import date
from pathlib import Path

from builder.cli.report import summary_line, write_problems
from builder.cli.session import EXIT_DATA, EXIT_OK, Session
from builder.editor.new_cycle import new_assessment_text, next_deadline
from builder.load import cycle as loader
from builder.problems import UsageError
from builder.rules.validate import validate

HELP = "mở kỳ đánh giá mới từ cấu hình kỳ trước (đơn vị, cụm, Hội đồng, xếp loại, bộ tiêu chí)"


def options(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["new"], help="new: mở kỳ mới")
    p.add_argument("year", help="kỳ mới, ví dụ 2021")
    p.add_argument("--from", dest="previous", help="kỳ làm mẫu (mặc định: kỳ mới nhất)")
    p.add_argument(
        "--deadline",
        type=date.fromisoformat,
        help="hạn nộp YYYY-MM-DD (mặc định: hạn của kỳ trước cộng một năm)",
    )


def run(s: Session) -> int:
    new = str(s.args.year)
    if not new.isdigit() or len(new) != 4:
        raise UsageError(f"kỳ '{new}' phải là một năm có 4 chữ số, ví dụ 2021")
    found = s.cycles()
    old = s.args.previous or found[-1]
    if old not in found:
        raise UsageError(f"không có kỳ '{old}' để làm mẫu (có: {', '.join(found)})")
    target = s.root / "criteria" / new
    if target.exists():
        raise UsageError(f"criteria/{new}/ đã có; không ghi đè")
    data, problems = s.load(old)
    if data.assessment is None or any(p.level == "error" for p in problems):
        write_problems([p for p in problems if p.level == "error"], "text", s.err)
        s.err.write(f"Kỳ {old} còn lỗi ({summary_line(problems)}): sửa trước khi dùng làm mẫu.\n")
        return EXIT_DATA
    source = s.root / "criteria" / old
    text = (source / "assessment.yaml").read_text(encoding="utf-8")
    deadline = s.args.deadline
    if deadline is None:
        if data.assessment.deadline is None:
            raise UsageError(f"kỳ {old} không có hạn nộp: cho hạn của kỳ mới bằng --deadline YYYY-MM-DD")
        deadline = next_deadline(data.assessment.deadline)
    new_text, notes = new_assessment_text(text, old, new, deadline)
    criteria = sorted({t.criteria_file for t in data.assessment.tiers.values()})
    # gather, then write: the new folder appears whole or not at all
    staging = Path(tempfile.mkdtemp(prefix=f".cycle-{new}-", dir=s.root / "criteria"))
    try:
        (staging / "assessment.yaml").write_text(new_text, encoding="utf-8")
        for name in criteria:
            shutil.copy2(source / name, staging / name)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    written = ["assessment.yaml", *criteria]
    s.out.write(f"Đã mở kỳ {new} từ kỳ {old}: criteria/{new}/ ({', '.join(written)}).\n")
    for note in notes:
        s.out.write(f"  - {note}\n")
    check = validate(loader.load_cycle(s.tree, new), s.tree)
    if any(p.level == "error" for p in check):
        write_problems(check, "text", s.err)
        return EXIT_DATA
    s.out.write(
        "Tiếp theo: xem lại assessment.yaml (hạn nộp, căn cứ pháp lý, đơn vị), nhập bộ tiêu chí\n"
        f"chính thức nếu thay đổi ({s.command} criteria import …), rồi chạy {s.command} schema\n"
        f"và {s.command} codeowners.\n"
    )
    return EXIT_OK
