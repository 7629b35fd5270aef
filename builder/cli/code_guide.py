"""The problem codes explained for officers: docs/guides/ma-loi.md from code_guide.yaml."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from builder.problems import CODES

GUIDE_FILE = Path(__file__).with_name("code_guide.yaml")
GUIDE_PAGE = "docs/guides/ma-loi.md"
FIELDS = ("meaning", "fix", "wrong", "right")
FAMILIES = {
    "file": "Tệp và cú pháp YAML",
    "shape": "Khóa và kiểu giá trị",
    "assessment": "Cấu hình kỳ đánh giá (assessment.yaml)",
    "criteria": "Bộ tiêu chí",
    "scorecard": "Phiếu tự đánh giá và tài liệu kiểm chứng",
    "appraisal": "Thẩm định và yêu cầu bổ sung",
    "history": "Lịch sử nộp bài và quyền sửa tệp",
}
LEVELS = {"error": "Lỗi (phải sửa)", "warning": "Cảnh báo (nên sửa)"}


def load_guide() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = yaml.safe_load(GUIDE_FILE.read_text(encoding="utf-8"))
    return data


def missing_entries(guide: dict[str, dict[str, Any]]) -> list[str]:
    """Codes of builder/problems.py without a complete entry (each of FIELDS, non-empty)."""
    return [
        f"{code}: {', '.join(f for f in FIELDS if not str(guide.get(code, {}).get(f) or '').strip())}"
        for code in CODES
        if any(not str(guide.get(code, {}).get(f) or "").strip() for f in FIELDS)
    ]


def _message(template: str) -> str:
    """A message template as an officer sees it, the placeholders shown as "…"."""
    return re.sub(r"\{[a-z_]+\}", "…", template)


def guide_page() -> str:
    guide = load_guide()
    lines = [
        "# Giải thích các mã lỗi",
        "",
        "<!-- Sinh bởi `python -m builder docs` từ builder/cli/code_guide.yaml; không sửa tay. -->",
        "",
        "Mỗi vấn đề công cụ tìm thấy được in trên một dòng, ví dụ:",
        "",
        "```text",
        "submissions/2020/xa-an-binh/scorecard.yaml:12:5: error [score-above-max] Điểm 2 vượt điểm "
        "tối đa 1 của tiêu chí '1.1.1'",
        "```",
        "",
        "tức là: tệp, dòng 12, cột 5; `error` là lỗi phải sửa (phiếu chưa hợp lệ), `warning` là cảnh"
        " báo nên sửa; trong ngoặc vuông là mã lỗi. Tìm mã đó trên trang này để biết nó nghĩa là gì,"
        " sửa thế nào, kèm một ví dụ sai và một ví dụ đúng. (Bản tiếng Anh cho người phát triển: "
        "`docs/problems.md`.)",
        "",
    ]
    for family, title in FAMILIES.items():
        codes = [c for c in CODES.values() if c.family == family]
        lines += [f"**{title}:** " + ", ".join(f"[{c.code}](#{c.code})" for c in codes), ""]
    for family, title in FAMILIES.items():
        lines += [f"## {title}", ""]
        for c in (c for c in CODES.values() if c.family == family):
            entry = guide.get(c.code, {})
            lang = entry.get("lang", "yaml")
            lines += [
                f"### {c.code}",
                "",
                f"{LEVELS[c.level]}. Thông báo: “{_message(c.message)}”",
                "",
                f"**Nghĩa là:** {entry.get('meaning', '')}",
                "",
                f"**Cách sửa:** {entry.get('fix', '')}",
                "",
                "Sai:",
                "",
                "```text",  # not valid by design: never marked for the guide tests' YAML check
                str(entry.get("wrong", "")).rstrip(),
                "```",
                "",
                "Đúng:",
                "",
                *(["<!-- test: yaml -->"] if lang == "yaml" else []),
                f"```{lang}",
                str(entry.get("right", "")).rstrip(),
                "```",
                "",
            ]
    return "\n".join(lines)
