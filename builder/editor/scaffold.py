"""`new UNIT`: write a scorecard skeleton listing every leaf the unit scores, ready to fill in."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from builder.model import CriteriaSet, Criterion, CycleData, Unit
from builder.numbers import plain
from builder.problems import did_you_mean

KIND_TITLE = {
    "xa": "Chủ tịch UBND xã",
    "thi-tran": "Chủ tịch UBND thị trấn",
    "phuong": "Chủ tịch UBND phường",
}


def write_scaffold(
    root: Path, data: CycleData, unit_id: str, filename: str, command: str = "python -m builder"
) -> tuple[str, int]:
    """Write submissions/<cycle>/<unit>/<filename>; returns (message, exit code). Never overwrites."""
    a = data.assessment
    if a is None:
        return f"Lỗi: kỳ {data.cycle} chưa có assessment.yaml hợp lệ", 2
    unit = a.units.get(unit_id)
    if unit is None:
        return f"Lỗi: không có đơn vị '{unit_id}' trong assessment.yaml{did_you_mean(unit_id, a.units)}", 2
    s = data.criteria.get(unit.tier)
    if s is None:
        tier = a.tiers[unit.tier].name if unit.tier in a.tiers else unit.tier
        return f"Lỗi: chưa đọc được bộ tiêu chí của {tier} (xem lỗi của lệnh validate)", 2
    if "/" in filename or not filename.endswith((".yaml", ".yml")):
        return "Lỗi: --file phải là tên tệp .yaml trong thư mục của đơn vị", 2
    path = root / "submissions" / data.cycle / unit.id / filename
    if path.exists():
        return (
            f"Lỗi: {path.relative_to(root).as_posix()} đã có; không ghi đè. "
            "Hãy sửa tệp đó hoặc chọn --file khác.",
            2,
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(scaffold_text(data.cycle, unit, s), encoding="utf-8")
    rel = path.relative_to(root).as_posix()
    leaves = s.applicable_leaves(unit.kind)
    survey = sum(1 for c in leaves if c.source == "survey")
    to_score = len(leaves) - survey
    survey_note = f"; {survey} tiêu chí điều tra xã hội học do Hội đồng chấm" if survey else ""
    return (
        f"Đã tạo {rel} ({to_score} tiêu chí đơn vị tự chấm{survey_note}).\n"
        f"Điền điểm (points) và tài liệu kiểm chứng (evidence), rồi chạy:\n"
        f"  {command} validate --cycle {data.cycle}",
        0,
    )


def _comment(text: str, indent: str) -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in text.splitlines() or [""]]


def _number(value: Decimal) -> str:
    return plain(value)


def _leaf_lines(leaf: Criterion) -> list[str]:
    lines = [f'  "{leaf.id}":']
    low = f"-{_number(leaf.max)} đến 0" if leaf.kind == "deduction" else f"0 đến {_number(leaf.max)}"
    kind = {"bonus": " (điểm thưởng)", "deduction": " (điểm trừ)"}.get(leaf.kind, "")
    lines += _comment(f"{leaf.id}. {leaf.name}{kind}: điểm từ {low}", "    ")
    for level in leaf.levels:
        lines += _comment(f"  {_number(level.points)} điểm: {level.when}", "    ")
    if leaf.bands:
        measure = leaf.measure_name or "Giá trị đo"
        unit = f" ({leaf.measure_unit})" if leaf.measure_unit else ""
        lines += _comment(f"Ghi {measure}{unit} vào value; điểm theo khoảng:", "    ")
        for band in leaf.bands:
            lines += _comment(f"  từ {_number(band.min)} trở lên: {_number(band.points)} điểm", "    ")
    if leaf.evidence:
        lines += _comment("Tài liệu kiểm chứng: " + "; ".join(leaf.evidence), "    ")
    if leaf.na_allowed:
        lines += _comment('Nếu không áp dụng: bỏ points, ghi not_applicable: true và reason: "…"', "    ")
    if leaf.bands:
        lines.append("    value:")
    lines.append("    points:")
    if leaf.evidence_required:
        lines += [
            "    evidence: []",
            '    # - {title: "…", number: "…", date: YYYY-MM-DD, issuer: "…", url: "https://…"}',
            '    # Không có tài liệu kiểm chứng: ghi giải trình vào explanation: "…"',
        ]
    return lines


def scaffold_text(cycle: str, unit: Unit, s: CriteriaSet) -> str:
    title = KIND_TITLE.get(unit.kind or "", "Thủ trưởng đơn vị")
    lines = [
        f"# yaml-language-server: $schema=../../../schemas/{cycle}/{s.tier}.schema.json",
        f"# Phiếu tự đánh giá, chấm điểm Chỉ số CCHC kỳ {cycle}: {unit.name}",
        f"# Bộ tiêu chí: {s.title}",
        "# Ghi điểm vào 'points' (số, dấu chấm thập phân: 0.5), tài liệu kiểm chứng vào 'evidence'.",
        "# Khi lãnh đạo đã phê duyệt: đổi status thành submitted và điền approved_by.",
        f"unit: {unit.id}",
        f'cycle: "{cycle}"',
        "status: draft",
        f'# approved_by: {{name: "…", title: "{title}", date: YYYY-MM-DD}}',
        "scores:",
    ]
    for criterion in s.fields:
        lines += _node_lines(criterion, unit)
    lines += [
        "# Khó khăn, vướng mắc và kiến nghị (nếu có)",
        'difficulties: ""',
        'recommendations: ""',
    ]
    return "\n".join(lines) + "\n"


def _node_lines(node: Criterion, unit: Unit) -> list[str]:
    if node.is_leaf:
        if not node.applies(unit.kind):
            return []
        if node.source == "survey":
            return _comment(
                f"{node.id}. {node.name}: điểm điều tra xã hội học, do Hội đồng ghi; đơn vị không tự chấm",
                "  ",
            )
        return _leaf_lines(node)
    lines = _comment(
        f"{node.id}. {node.name.upper() if node.id == node.field_id else node.name} "
        f"(tối đa {_number(node.max)} điểm)",
        "  ",
    )
    for child in node.children:
        lines += _node_lines(child, unit)
    return lines
