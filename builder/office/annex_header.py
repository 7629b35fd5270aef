"""Office stage: where an annex's table starts: its title block, its header row(s), its numbering row.

`annex.py` reads the rows below. The header is looked for in the first rows, one row or two
(a merged "Điểm" above "Tối đa", "Tự đánh giá", "Thẩm định": the texts are joined per column).
"""

from __future__ import annotations

import re
import unicodedata

from builder.office.criteria_sheet import cell_text
from builder.office.documents import Table, Value

HEADER_SEARCH = 30
WANTED = {  # the columns an annex must have, as the officer knows them
    "id": "STT",
    "name": "Lĩnh vực/Tiêu chí/Tiêu chí thành phần (hoặc Nội dung)",
    "max": "Điểm tối đa",
}


def norm(value: Value) -> str:
    text = unicodedata.normalize("NFC", cell_text(value)).lower()
    return re.sub(r"\s+", " ", text).strip()


def column_key(text: str) -> str | None:
    """The meaning of a header cell (its one or two rows joined), or None."""
    t = text.replace("(", " ").replace(")", " ").strip()
    t = re.sub(r"\s+", " ", t)
    if t in {"stt", "tt", "số tt", "số thứ tự", "mã", "mã số", "mã tiêu chí"}:
        return "id"
    if "tự đánh giá" in t or "tự chấm" in t:
        return "self"
    if "thẩm định" in t or "hội đồng" in t:
        return "appraised"
    if "tối đa" in t or t in {"điểm", "điểm chuẩn", "thang điểm", "điểm quy định"}:
        return "max"
    if "kiểm chứng" in t:
        return "evidence"
    if "ghi chú" in t:
        return "description"
    if "nội dung" in t or "tiêu chí" in t or "lĩnh vực" in t:
        return "name"
    return None


def find_header(table: Table) -> tuple[int, int, dict[str, int]] | None:
    """(first header row, rows it spans, key → column) of the best header in the first rows."""
    best: tuple[int, int, dict[str, int]] | None = None
    for number in range(1, min(len(table.rows), HEADER_SEARCH) + 1):
        first = [norm(v) for v in table.rows[number - 1]]
        keys: dict[str | None, int] = {}
        for c, t in enumerate(first, start=1):
            keys.setdefault(column_key(t) if t else None, c)  # the first column of a kind
        keys.pop(None, None)
        if not ({"id", "name"} & set(keys)) or len(keys) < 2:
            continue
        span, second = 1, [norm(v) for v in (table.rows[number] if number < len(table.rows) else [])]
        if any(column_key(t) for t in second) and not any(looks_like_id(t) for t in second):
            span = 2  # a two-row header: "Điểm" merged above "Tối đa", "Tự đánh giá", …
            width = max(len(first), len(second))
            first += [""] * (width - len(first))
            joined = [f"{a} {second[i] if i < len(second) else ''}".strip() for i, a in enumerate(first)]
            keys = {}
            for c, t in enumerate(joined, start=1):
                key = column_key(t) or column_key(second[c - 1] if c - 1 < len(second) else "")
                if t and key and key not in keys:
                    keys[key] = c
        found = (number, span, {k: c for k, c in keys.items() if k is not None})
        if set(WANTED) <= set(found[2]):
            return found
        if best is None or len(found[2]) > len(best[2]):
            best = found
    return best


def looks_like_id(text: str) -> bool:
    return bool(re.fullmatch(r"[ivxlc]+|\d+(\.\d+)*\.?", text))


def title_block(lines: list[str]) -> dict[str, str]:
    """title and source from the lines above the header ("PHỤ LỤC 03", title, "(Kèm theo …)")."""
    texts = [re.sub(r"\s+", " ", line).strip() for line in lines if line.strip()]
    labels = [n for n, t in enumerate(texts) if _LABEL.match(t)]
    label, decision, title = "", "", list[str]()
    for text in texts[labels[-1] :] if labels else texts:  # a decision's own text may come first
        low = text.lower()
        if (m := _LABEL.match(text)) is not None:
            label, rest = m.group(1), m.group(2)
            title += [rest] if rest else []
        elif "kèm theo" in low or re.match(r"^\(?(quyết định|công văn|hướng dẫn)\b", low):
            decision = text.strip("()").strip()
        elif not decision and len(title) < 2:
            title.append(text)
    meta = {}
    if title:
        meta["title"] = " ".join(title)
    if label or decision:
        meta["source"] = ", ".join(p for p in (label, decision) if p)
    return meta


_LABEL = re.compile(r"^(phụ lục(?: số)? [0-9IVX]+[a-z]?)\s*[:.–-]?\s*(.*)$", re.I)


def numbering_row(cells: list[Value]) -> bool:
    """The row "(1) (2) (3) …" (or 1 2 3 …) under the header."""
    texts = [cell_text(v) for v in cells if cell_text(v)]
    numbers = [t.strip("()") for t in texts]
    return len(texts) >= 3 and all(n.isdigit() for n in numbers) and numbers == sorted(numbers, key=int)
