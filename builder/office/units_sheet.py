"""Office stage: a district's list of units from a CSV or XLSX sheet, as `assessment.yaml` entries.

Columns (Vietnamese or English headers, any order): "Tên đơn vị" / name (required), "Loại" /
kind (xã, thị trấn, phường, huyện…), "Cụm" / group, "Mã hành chính" / code, "Người phụ trách"
/ owners (logins separated by "," or ";"), "Mã đơn vị" / id (suggested from the name when empty:
"UBND xã Bản Bo" → `xa-ban-bo`). Every problem names the row of the sheet.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from slugify import slugify

HEADERS = {
    "name": ("tên đơn vị", "tên", "đơn vị", "name"),
    "kind": ("loại", "loại đơn vị", "kind"),
    "group": ("cụm", "cụm thi đua", "nhóm", "group"),
    "code": ("mã hành chính", "mã đvhc", "mã hc", "code"),
    "owners": ("người phụ trách", "tài khoản", "owners"),
    "id": ("mã đơn vị", "id"),
}
KINDS = {"xã": "xa", "thị trấn": "thi-tran", "phường": "phuong", "huyện": "huyen", "thị xã": "thi-xa"}
DISTRICT_KINDS = {"huyen", "thi-xa", "thanh-pho"}


@dataclass
class UnitRow:
    row: int
    id: str
    name: str
    kind: str | None
    group: str | None
    code: str | None
    owners: list[str]


@dataclass
class UnitList:
    units: list[UnitRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "FILE:ROW: message", Vietnamese


def suggest_id(name: str, kind: str | None) -> str:
    """`UBND xã Bản Bo` → `xa-ban-bo`: the kind's prefix and the place name, in ASCII."""
    plain = re.sub(r"^\s*(ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+", "", name, flags=re.I)
    return slugify(plain) or slugify(name) or "don-vi"


def _kind(text: str) -> str | None:
    t = text.strip().lower()
    return KINDS.get(t, slugify(t) or None) if t else None


def read_rows(path: Path) -> list[list[str]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        rows = [["" if v is None else str(v).strip() for v in row] for row in ws.iter_rows(values_only=True)]
        wb.close()
        return rows
    text = path.read_bytes().decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:2000], delimiters=",;\t") if text.strip() else csv.excel
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def read_units(path: Path) -> UnitList:
    found = UnitList()
    name = path.name
    rows = read_rows(path)
    header_at, columns = None, {}
    for i, row in enumerate(rows[:20]):
        keys = {}
        for col, cell in enumerate(row):
            for key, aliases in HEADERS.items():
                if cell.strip().lower() in aliases:
                    keys[key] = col
        if "name" in keys:
            header_at, columns = i, keys
            break
    if header_at is None:
        found.problems.append(f'{name}: không tìm thấy dòng tiêu đề có cột "Tên đơn vị" (hoặc name)')
        return found
    seen: dict[str, int] = {}
    for i, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        values = {k: (row[c] if c < len(row) else "") for k, c in columns.items()}
        if not any(values.values()):
            continue
        if not values.get("name"):
            found.problems.append(f"{name}:{i}: thiếu tên đơn vị")
            continue
        kind = _kind(values.get("kind", ""))
        uid = values.get("id") or suggest_id(values["name"], kind)
        if uid in seen:
            found.problems.append(
                f"{name}:{i}: mã đơn vị '{uid}' trùng với dòng {seen[uid]}; ghi cột \"Mã đơn vị\""
            )
            continue
        seen[uid] = i
        owners = [o.strip() for o in re.split(r"[,;\s]+", values.get("owners", "")) if o.strip()]
        owners = [o if o.startswith("@") else f"@{o}" for o in owners]
        code = values.get("code") or None
        if code and re.fullmatch(r"\d+(\.0)?", code):
            code = code.split(".")[0].zfill(5) if len(code.split(".")[0]) < 5 else code.split(".")[0]
        found.units.append(UnitRow(i, uid, values["name"], kind, values.get("group") or None, code, owners))
    return found


def unit_lines(units: list[UnitRow]) -> list[str]:
    """The `units:` entries as assessment.yaml writes them, one flow mapping a line."""

    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    lines = []
    for u in units:
        tier = "district" if u.kind in DISTRICT_KINDS else "commune"
        parts = [f"id: {u.id}", f"name: {q(u.name)}", f"tier: {tier}"]
        if u.kind:
            parts.append(f"kind: {u.kind}")
        if u.code:
            parts.append(f"code: {q(u.code)}")
        if u.group:
            parts.append(f"group: {q(u.group)}")
        if u.owners:
            parts.append(f"owners: [{', '.join(q(o) for o in u.owners)}]")
        lines.append("  - {" + ", ".join(parts) + "}")
    return lines


def replace_units(text: str, lines: list[str]) -> str:
    """assessment.yaml's text with its top-level `units:` block replaced by `lines`."""
    out, skipping, done = [], False, False
    for line in text.splitlines():
        if re.match(r"^units:\s*(#.*)?$", line):
            out += ["units:", *lines]
            skipping, done = True, True
            continue
        if skipping and (line.startswith((" ", "-", "\t")) or not line.strip()):
            continue
        skipping = False
        out.append(line)
    if not done:
        out += ["units:", *lines]
    return "\n".join(out) + "\n"
