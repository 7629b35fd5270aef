"""`check`: the pull-request check: problems in the files a change touches, as annotations,
and a Markdown summary with the score change of each touched unit (before → after)."""

from __future__ import annotations

import argparse
import os
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from builder.cli.report import FORMATS, default_format, github_line, summary_line, write_problems
from builder.cli.safe_text import safe
from builder.cli.session import EXIT_DATA, EXIT_OK, Session
from builder.git.admin_review import needs_admin_review
from builder.git.check import CheckResult, UnitDiff, importance, run_check
from builder.links.pr import added_links
from builder.model import Problem
from builder.numbers import vn_number
from builder.office.export import dumps, number
from builder.results import UnitResult
from builder.rules.validate import has_errors

HELP = "kiểm tra một thay đổi (pull request): chỉ báo lỗi ở tệp được sửa, kèm điểm trước → sau"
ANNOTATIONS = 10  # GitHub shows at most 10 annotations of a step
STATUS_VI = {"submitted": "đã nộp", "draft": "bản nháp", "missing": "chưa nộp"}


def options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--base", required=True, help="phiên bản gốc, ví dụ origin/main")
    p.add_argument("--head", default="HEAD", help="phiên bản cần kiểm tra (mặc định: HEAD)")
    p.add_argument("--actor", help="tài khoản tạo thay đổi: lỗi nếu sửa tệp không phụ trách")
    p.add_argument(
        "--format", choices=FORMATS, help="định dạng: text (mặc định), github, json, codequality (GitLab)"
    )
    p.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi (mã thoát 1)")
    p.add_argument(
        "--summary",
        help="ghi bản tóm tắt Markdown vào tệp này (mặc định: $GITHUB_STEP_SUMMARY, nếu không thì in ra)",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="không dùng bộ nhớ đệm kết quả trong thư mục .git (cũng vậy khi PAR_NO_CACHE=1)",
    )


def run(s: Session) -> int:
    result = run_check(
        s.root, s.args.base, s.args.head, s.args.actor, s.args.cycle, use_cache=not s.args.no_cache
    )
    broken, unchecked = added_links(s.root, result.base, result.head, result.touched)
    result.problems = sorted(result.problems + broken, key=importance)
    if unchecked:
        result.notes.append(
            f"{unchecked} đường dẫn mới chưa được kiểm tra; lần chạy `links` tới sẽ kiểm tra."
        )
    fmt = s.args.format or default_format()
    summary = markdown(result)
    target = s.args.summary or os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "json":
        s.out.write(dumps(as_record(result)) + "\n")
    elif fmt == "github":
        s.out.write("".join(line + "\n" for line in github_annotations(result.problems)))
    elif fmt == "codequality":
        write_problems(result.problems, fmt, s.out)
    else:
        s.out.write("".join(safe(p.text()) + "\n" for p in sorted(result.problems, key=Problem.sort_key)))
    if target:
        with Path(target).open("a", encoding="utf-8") as f:
            f.write(summary + "\n")
    elif fmt not in ("json", "codequality"):
        s.out.write("\n" + summary + "\n")
    if needs_admin_review(result.touched):
        s.err.write(
            "Thay đổi sửa mã nguồn, quy trình hoặc mẫu trang: cần cán bộ quản trị của huyện xem xét.\n"
        )
    s.err.write(f"Thay đổi {len(result.touched)} tệp: {summary_line(result.problems)}.\n")
    return EXIT_DATA if has_errors(result.problems, s.args.strict) else EXIT_OK


def github_annotations(problems: list[Problem], limit: int = ANNOTATIONS) -> list[str]:
    """The most important problems as GitHub annotations, then how many more there are."""
    lines = [github_line(p) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(
            f"::notice title=check::… và {len(problems) - limit} vấn đề khác (xem bản tóm tắt của bước này)"
        )
    return lines


WJ = "\u2060"  # word joiner: invisible, but breaks GitHub's @mentions and autolinks
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=mailto)(?=:)|(?<=xmpp)(?=:)")
_MARKUP = str.maketrans({c: "\\" + c for c in "\\[]()!*_~"})


def _cell(text: object) -> str:
    """Untrusted text (a unit's free text) in the summary, which is posted as a pull-request
    comment: no HTML, no column breaks, no links or images (`[`, `]`, `!` escaped, bare URLs and
    e-mail addresses broken), no @mentions or #references, no code spans or emphasis."""
    value = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = value.replace("\r", " ").replace("\n", " ").translate(_MARKUP)
    value = value.replace("|", "\\|").replace("`", "'").replace("@", "@" + WJ).replace("#", "#" + WJ)
    return _AUTOLINK.sub(WJ, value)


def _code(text: object) -> str:
    """Untrusted text in a code span of a table cell (no Markdown inside, only its end)."""
    return str(text).replace("`", "'").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _pair(before: str, after: str) -> str:
    return after if before == after else f"{before} → **{after}**"


def _values(r: UnitResult | None) -> dict[str, str]:
    if r is None:
        return {"status": "—", "total": "—", "index": "—", "class": "—", "rank": "—"}
    return {
        "status": STATUS_VI.get(r.status, r.status),
        "total": vn_number(r.final_total),
        "index": vn_number(r.index),
        "class": r.classification or "—",
        "rank": str(r.rank) if r.rank else "—",
    }


def _num(value: Decimal | Fraction | None) -> str:
    return "—" if value is None else vn_number(value, 3).rstrip("0").rstrip(",")


def markdown(result: CheckResult) -> str:
    errors = sum(1 for p in result.problems if p.level == "error")
    lines = [
        f"## Kiểm tra thay đổi `{result.base[:7]}` → `{result.head[:7]}`",
        "",
        f"{len(result.touched)} tệp thay đổi · {errors} lỗi · {len(result.problems) - errors} "
        f"cảnh báo trong các tệp này (các tệp khác: xem bước `validate`)",
    ]
    lines += [f"> {_cell(n)}" for n in result.notes]
    review = needs_admin_review(result.touched)
    if review:
        shown = ", ".join(f"`{_code(p)}`" for p in review[:10]) + (" …" if len(review) > 10 else "")
        lines += [
            "",
            "> [!WARNING]",
            "> **Cần cán bộ quản trị của huyện xem xét**: thay đổi sửa mã nguồn, quy trình kiểm tra, "
            f"tệp dựng trang hoặc mẫu trang ({shown}). Kết quả kiểm tra này chạy bằng mã của nhánh "
            "gốc nên chưa phản ánh tác động của các tệp đó.",
        ]
    if result.problems:
        lines += ["", "### Vấn đề", "", "| Mức | Vị trí | Mã | Nội dung |", "|---|---|---|---|"]
        for p in result.problems:
            level = "❌ lỗi" if p.level == "error" else "⚠️ cảnh báo"
            lines.append(f"| {level} | `{_code(p.path)}:{p.line}` | `{p.code}` | {_cell(p.message)} |")
    if result.diffs:
        lines += [
            "",
            "### Điểm trước → sau",
            "",
            "| Kỳ | Đơn vị | Trạng thái | Điểm cuối | Chỉ số | Xếp loại | Hạng |",
            "|---|---|---|---:|---:|---|---:|",
        ]
        for d in result.diffs:
            b, a = _values(d.before), _values(d.after)
            cells = [_pair(b[k], a[k]) for k in ("status", "total", "index", "class", "rank")]
            lines.append(
                f"| {_cell(d.cycle)} | {_cell(d.name)} (`{_code(d.unit)}`) | " + " | ".join(cells) + " |"
            )
        for d in (d for d in result.diffs if d.leaves):
            lines += [
                "",
                f"#### {_cell(d.name)}: tiêu chí thay đổi điểm",
                "",
                "| Tiêu chí | Tên | Tự chấm | Điểm cuối |",
                "|---|---|---:|---:|",
            ]
            for leaf in d.leaves:
                own = _pair(_num(leaf.self_before), _num(leaf.self_after))
                final = _pair(_num(leaf.final_before), _num(leaf.final_after))
                lines.append(f"| {_cell(leaf.criterion)} | {_cell(leaf.name)} | {own} | {final} |")
    elif not result.problems:
        lines += ["", "Thay đổi không ảnh hưởng đến điểm của đơn vị nào."]
    return "\n".join(lines)


def _result_record(r: UnitResult | None) -> dict[str, object] | None:
    if r is None:
        return None
    return {
        "status": r.status,
        "final_total": r.final_total,
        "index": number(r.index),
        "classification": r.classification,
        "rank": r.rank,
    }


def _diff_record(d: UnitDiff) -> dict[str, object]:
    return {
        "cycle": d.cycle,
        "unit": d.unit,
        "name": d.name,
        "before": _result_record(d.before),
        "after": _result_record(d.after),
        "criteria": [
            {
                "id": x.criterion,
                "name": x.name,
                "self_before": x.self_before,
                "self_after": x.self_after,
                "final_before": x.final_before,
                "final_after": x.final_after,
            }
            for x in d.leaves
        ],
    }


def as_record(result: CheckResult) -> dict[str, object]:
    return {
        "base": result.base,
        "head": result.head,
        "touched": result.touched,
        "admin_review": needs_admin_review(result.touched),
        "problems": [
            {
                "path": p.path,
                "line": p.line,
                "col": p.col,
                "level": p.level,
                "code": p.code,
                "message": p.message,
            }
            for p in result.problems
        ],
        "loaded_units": result.loaded,
        "notes": result.notes,
        "units": [_diff_record(d) for d in result.diffs],
    }
