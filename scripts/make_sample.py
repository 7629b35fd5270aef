#!/usr/bin/env python3
"""Generate the sample scorecards and appraisals (dữ liệu minh họa) from the criteria sets.

Illustrative only: không phải kết quả thật của đơn vị nào. Rewrites submissions/<cycle>/ and appraisals/<cycle>/ for each cycle in PROFILES from
criteria/<cycle>/ (edit this script and rerun it; never hand-edit the output). Deterministic:
every random choice is seeded by cycle, unit and reviewer. Needs Python 3.11+ and PyYAML:
    python scripts/make_sample.py        # prints each unit's final total
"""

from __future__ import annotations

import json
import random
import re
import shutil
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = "# yaml-language-server: $schema={up}schemas/{cycle}/{name}.schema.json"  # editor completion
HEAD = ["# Dữ liệu minh họa (illustrative): không phải kết quả thật của đơn vị nào.",
        "# Tệp do scripts/make_sample.py sinh ra; sửa script rồi chạy lại, không sửa tay."]

# unit -> (quality of its work 0..1, share of the survey points 0..1). A unit absent from its
# cycle did not submit at all (status missing).
PROFILES = {
    "2019": {
        "huyen-tam-duong": (0.90, 0.86), "tt-tam-duong": (0.97, 0.92), "xa-binh-lu": (0.97, 0.92),
        "xa-ban-bo": (0.90, 0.84), "xa-na-tam": (0.86, 0.82), "xa-ban-giang": (0.88, 0.80),
        "xa-ban-hon": (0.80, 0.78), "xa-son-binh": (0.82, 0.76), "xa-then-sin": (0.85, 0.80),
        "xa-sung-phai": (0.74, 0.70), "xa-ta-leng": (0.78, 0.72), "xa-giang-ma": (0.72, 0.74),
        "xa-ho-thau": (0.66, 0.66), "xa-khun-ha": (0.70, 0.66)},  # xa-nung-nang: not submitted
    "2020": {  # xa-sung-phai left the district in 2020
        "huyen-tam-duong": (0.93, 0.88), "tt-tam-duong": (0.96, 0.93), "xa-binh-lu": (0.84, 0.80),
        "xa-ban-bo": (0.93, 0.88), "xa-na-tam": (0.83, 0.80), "xa-ban-giang": (0.90, 0.84),
        "xa-ban-hon": (0.86, 0.82), "xa-son-binh": (0.78, 0.74), "xa-then-sin": (0.88, 0.83),
        "xa-ta-leng": (0.74, 0.70), "xa-giang-ma": (0.80, 0.76), "xa-ho-thau": (0.74, 0.70),
        "xa-khun-ha": (0.79, 0.73), "xa-nung-nang": (0.68, 0.64)},
}
DRAFT = {("2019", "xa-khun-ha"): ("1", "2", "3", "4", "5")}  # a draft: the fields scored so far
TIE = {"2019": ("xa-ban-hon", "xa-son-binh")}  # equal final totals: 2nd unit's survey adjusted
NOT_APPLICABLE = {  # (cycle, unit) -> leaves marked not applicable (na_allowed leaves only)
    ("2019", "huyen-tam-duong"): ["2.1"], ("2020", "huyen-tam-duong"): ["6.1"],
    ("2019", "xa-ho-thau"): ["2.1", "5.5"], ("2019", "xa-ta-leng"): ["3.2"],
    ("2019", "xa-ban-giang"): ["5.5"], ("2019", "xa-then-sin"): ["2.1"],
    ("2020", "xa-nung-nang"): ["2.1", "3.2"], ("2020", "xa-giang-ma"): ["5.5"],
    ("2020", "xa-son-binh"): ["2.1"],
}
NA_REASON = {"2.1": "Trong năm {cycle} {who} không ban hành văn bản quy phạm pháp luật nào.",
             "3.2": "Trong năm {cycle} xã không nhận được phản ánh, kiến nghị nào về quy định hành chính.",
             "5.5": "Trong năm {cycle} xã không tổ chức tuyển dụng công chức.",
             "6.1": "Trong năm {cycle} không có kết luận thanh tra, kiểm toán nào về tài chính, ngân sách."}
SPECIAL = {  # self points on the bonus and deduction leaves (0 for the others)
    ("2019", "tt-tam-duong", "bonus"): D(1), ("2019", "xa-binh-lu", "bonus"): D("0.5"),
    ("2019", "huyen-tam-duong", "bonus"): D("0.5"), ("2020", "xa-ban-bo", "bonus"): D("0.5"),
    ("2020", "tt-tam-duong", "bonus"): D("0.5"), ("2019", "xa-ho-thau", "deduction"): D("-0.5"),
    ("2020", "xa-ta-leng", "deduction"): D("-0.5")}
FOUND_DEDUCTION = {  # a deduction the unit did not declare but the council found
    ("2019", "xa-giang-ma"): "Bị UBND huyện nhắc nhở bằng văn bản do chậm gửi báo cáo CCHC quý III/2019 "
                             "(minh họa); trừ 0,5 điểm."}
REQUESTS = [  # yêu cầu bổ sung: (cycle, reviewer, unit, leaf, document, date, due)
    ("2019", "noi-vu", "xa-giang-ma", "5.2", "Công văn 30/NV", date(2020, 2, 1), date(2020, 2, 8))]
PDFS = {("2019", "xa-ban-bo", "1.1.1"): "kh-cchc-2019.pdf", ("2019", "xa-ban-bo", "9.2"): "bc-tthc-2019.pdf",
        ("2019", "tt-tam-duong", "7.4"): "qd-iso-2019.pdf", ("2020", "xa-ban-bo", "1.1.1"): "kh-cchc-2020.pdf",
        ("2019", "huyen-tam-duong", "1.1.1"): "kh-cchc-2019.pdf"}
SEEN: dict[tuple[str, str], dict[str, dict]] = {}  # (cycle, unit) -> documents cited so far
SURNAMES = "Lò Tẩn Lý Vàng Giàng Sùng Chẻo Hoàng Tao Lường Nguyễn Trần Phàn Đèo Lê".split()
# Hand-written text: a department's part of the district scorecard is "id: head | difficulties |
# recommendations"; communes draw two "khó khăn" and two "kiến nghị"; "giải trình" explains.
TEXT: dict[str, list[str]] = {}
for _line in """
noi-vu: Trưởng phòng Nội vụ | Một số nhiệm vụ sắp xếp tổ chức bộ máy phụ thuộc lộ trình chung của tỉnh, chưa thể hoàn thành trong năm. | Đề nghị Sở Nội vụ sớm hướng dẫn tài liệu kiểm chứng cho các tiêu chí mới.
tu-phap: Trưởng phòng Tư pháp | Công chức làm công tác pháp chế ở huyện còn kiêm nhiệm nhiều việc. | Đề nghị tổ chức tập huấn kỹ năng kiểm tra, rà soát văn bản QPPL cho cấp xã.
van-phong: Chánh Văn phòng HĐND-UBND huyện | Tỷ lệ hồ sơ nộp trực tuyến còn thấp do người dân chưa quen sử dụng. | Đề nghị tăng cường tuyên truyền dịch vụ công trực tuyến và dịch vụ bưu chính công ích.
tai-chinh-ke-hoach: Trưởng phòng Tài chính - Kế hoạch | Nguồn thu trên địa bàn nhỏ lẻ; một số công trình giải ngân chậm do vướng giải phóng mặt bằng. | Đề nghị tỉnh giao kế hoạch vốn sớm để huyện chủ động giải ngân.
van-hoa-thong-tin: Trưởng phòng Văn hóa và Thông tin | Đường truyền internet ở một số xã vùng cao chưa ổn định. | Đề nghị đầu tư đường truyền cho các xã vùng cao.
kinh-te-ha-tang: Trưởng phòng Kinh tế - Hạ tầng | Công chức phụ trách ISO thay đổi, chi phí tư vấn duy trì hệ thống còn lớn. | Đề nghị hỗ trợ kinh phí chuyển đổi, duy trì hệ thống ISO 9001:2015.
khó khăn: Công chức kiêm nhiệm nhiều việc, chưa có người chuyên trách theo dõi công tác CCHC.
khó khăn: Đường truyền internet ở các thôn vùng cao chưa ổn định, ảnh hưởng đến việc tiếp nhận hồ sơ trực tuyến.
khó khăn: Phần lớn người dân là đồng bào dân tộc thiểu số, còn ít sử dụng dịch vụ công trực tuyến.
khó khăn: Trang thiết bị của Bộ phận một cửa đã xuống cấp, máy tính cấu hình thấp.
khó khăn: Kinh phí dành cho tuyên truyền CCHC còn hạn chế.
khó khăn: Nhiều tài liệu kiểm chứng chưa được số hóa nên việc tổng hợp còn mất thời gian.
khó khăn: Địa bàn rộng, đi lại khó khăn vào mùa mưa; người dân chưa quen nhận kết quả qua bưu điện.
kiến nghị: Đề nghị UBND huyện tổ chức tập huấn tự đánh giá, chấm điểm Chỉ số CCHC cho công chức cấp xã.
kiến nghị: Đề nghị UBND huyện hỗ trợ kinh phí nâng cấp trang thiết bị cho Bộ phận một cửa.
kiến nghị: Đề nghị các phòng chuyên môn hướng dẫn cụ thể tài liệu kiểm chứng của từng tiêu chí.
kiến nghị: Đề nghị tăng cường hướng dẫn người dân sử dụng dịch vụ công trực tuyến mức độ 3, 4.
kiến nghị: Đề nghị Hội đồng sớm thông báo kết quả thẩm định để đơn vị kịp khắc phục hạn chế.
giải trình: Đơn vị đã thực hiện nhưng kết quả được lồng ghép trong báo cáo kinh tế - xã hội năm {cycle}, chưa có văn bản riêng; đơn vị chịu trách nhiệm về tính chính xác của thông tin giải trình.
giải trình: Văn bản gốc đang lưu tại bộ phận Văn phòng - Thống kê, chưa kịp số hóa; đơn vị sẽ xuất trình bản chính khi Hội đồng yêu cầu.
giải trình: Số liệu lấy từ sổ theo dõi của đơn vị, chưa có văn bản tổng hợp riêng; đơn vị cam kết số liệu đúng thực tế.
""".strip().splitlines():
    TEXT.setdefault(_line.split(": ", 1)[0], []).append(_line.split(": ", 1)[1])
DEPT = {rid: TEXT[rid][0].split(" | ") for rid in TEXT if "-" in rid}
AGREE = ["Thống nhất với điểm tự chấm.", "Đồng ý với kết quả tự đánh giá.",
         "Tài liệu kiểm chứng đầy đủ, thống nhất kết quả tự chấm."]  # the last one needs evidence
CUT = ["Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả thực hiện; trừ {d} điểm.",
       "Báo cáo chưa có số liệu cụ thể, chưa đủ căn cứ chấm điểm tối đa; trừ {d} điểm.",
       "Không có tài liệu kiểm chứng, giải trình chưa đủ căn cứ; trừ {d} điểm."]
DOC_CODES = {"Kế hoạch": "KH", "Báo cáo": "BC", "Quyết định": "QĐ", "Thông báo": "TB", "Biên bản": "BB",
             "Nghị quyết": "NQ", "Quy chế": "QĐ", "Chương trình": "CTr", "Đề án": "ĐA"}


def leaves_of(node: dict) -> list[dict]:
    return [x for c in node["criteria"] for x in leaves_of(c)] if "criteria" in node else [node]


def load_cycle(cycle: str) -> tuple[dict, dict[str, list[dict]], dict[str, dict[str, str]]]:
    """The assessment, each tier's leaves (numbers as Decimal) and field names; checks sums."""
    folder = ROOT / "criteria" / cycle
    assessment = yaml.safe_load((folder / "assessment.yaml").read_text(encoding="utf-8"))
    sets, fields = {}, {}
    for tier, spec in assessment["tiers"].items():
        doc = yaml.safe_load((folder / spec["criteria"]).read_text(encoding="utf-8"))
        fields[tier] = {f["id"]: f"{f['id']}. {f['name']}" for f in doc["fields"]}
        leaves = [leaf for f in doc["fields"] for leaf in leaves_of(f)]
        for leaf in leaves:
            leaf["max"] = D(str(leaf["max"]))
            for item in leaf.get("levels", []) + leaf.get("bands", []):
                item.update({k: D(str(v)) for k, v in item.items() if k != "when"})
            if "levels" in leaf:
                assert max(x["points"] for x in leaf["levels"]) == leaf["max"], leaf["id"]
            if "bands" in leaf:
                mins = [b["min"] for b in leaf["bands"]]
                assert mins == sorted(mins, reverse=True) and mins[-1] == 0, leaf["id"]
                assert leaf["bands"][0]["points"] == leaf["max"] and "measure" in leaf
        counted = sum(x["max"] for x in leaves if x.get("kind") not in ("bonus", "deduction"))
        assert counted == D(str(doc["max_total"])), (cycle, tier, counted)
        sets[tier] = leaves
    return assessment, sets, fields


def check_points(leaf: dict, points: D) -> None:
    low, high = (-leaf["max"], D(0)) if leaf.get("kind") == "deduction" else (D(0), leaf["max"])
    assert low <= points <= high and points == points.quantize(D("0.001")), (leaf["id"], points)
    for key in ("levels", "bands"):
        assert key not in leaf or points in [x["points"] for x in leaf[key]], (leaf["id"], points)


def self_score(leaf: dict, q: float, rng: random.Random) -> tuple[D, D | None]:
    """Points (and measured value) that a unit of quality q gives itself on a leaf."""
    x = min(1.0, max(0.0, q + rng.gauss(0.03, 0.08)))
    if "bands" in leaf:
        top = float(leaf["bands"][0]["min"])
        value = top * (0.5 + 0.55 * x) + rng.uniform(-0.02, 0.02) * top
        value = D(str(round(min(value, 100.0) if top <= 100 else value, 1)))
        return next(b["points"] for b in leaf["bands"] if value >= b["min"]), value
    target = D(str(x)) * leaf["max"]
    if "levels" in leaf:  # the nearest level, the higher one on a tie
        return -min((abs(lv["points"] - target), -lv["points"]) for lv in leaf["levels"])[1], None
    return min(leaf["max"], (target / D("0.25")).quantize(D(1)) * D("0.25")), None


def evidence_item(unit: dict, cycle: str, rng: random.Random, name: str) -> dict:
    """A document: cited again with the same number and date, never two with one number."""
    seen = SEEN.setdefault((cycle, unit["id"]), {})
    if name in seen:
        return dict(seen[name])
    code = next((c for w, c in DOC_CODES.items() if name.startswith(w)), "UBND")
    issuer = unit["name"].replace("UBND", "HĐND") if code == "NQ" else unit["name"]
    if "công nhận" in name or "kết luận kiểm tra" in name:  # from the level above
        issuer = "UBND tỉnh Lai Châu" if unit["tier"] == "district" else "UBND huyện Tam Đường"
    yearly = name.endswith("năm")  # "Báo cáo … năm" → "Báo cáo … năm 2019", dated December
    month = 1 if code == "KH" else 12 if yearly and code == "BC" else rng.randint(3, 11)
    step = 200 if unit["tier"] == "district" or issuer.startswith(("UBND huyện", "UBND tỉnh")) else 15
    taken = {d["number"] for d in seen.values()}
    number = next(n for n in (f"{rng.randint(step * (month - 1) + 1, step * (month + 2 * (month == 12)))}/{code}-"  # grows over the year
                              + ("HĐND" if code == "NQ" else "UBND") for _ in iter(int, 1)) if n not in taken)
    slug = number.lower().replace("/", "-").replace("đ", "d")
    seen[name] = {"title": f"{name} {cycle}" if yearly else name, "number": number,
            "date": date(int(cycle), month, rng.randint(5, 28)), "issuer": issuer,
            "url": f"https://example.org/minh-hoa/tam-duong/{cycle}/{unit['id']}/{slug}.pdf"}
    return dict(seen[name])


def scorecard(cycle: str, unit: dict, leaves: list[dict], keep) -> dict:
    """The unit's self-assessment {leaf id: entry} of the leaves for which keep(id) is true."""
    q, uid, rng = PROFILES[cycle][unit["id"]][0], unit["id"], random.Random(f"{cycle}/{unit['id']}")
    who = "UBND huyện" if unit["tier"] == "district" else "HĐND, UBND xã"
    scores = {}
    for leaf in leaves:
        lid, kind = leaf["id"], leaf.get("kind", "normal")
        points, value = self_score(leaf, q, rng)  # drawn for every leaf: stable sequences
        explain = rng.random() < 0.04 + 0.3 * (1 - q) and \
            not any(r[0] == cycle and r[2:4] == (uid, lid) for r in REQUESTS)  # supplied on request
        if leaf.get("source") == "survey" or not keep(lid) or \
                unit.get("kind") not in leaf.get("applies_to", [unit.get("kind")]):
            continue
        if lid in NOT_APPLICABLE.get((cycle, uid), []):
            assert leaf.get("na_allowed"), lid
            scores[lid] = {"not_applicable": True, "reason": NA_REASON[lid].format(cycle=cycle, who=who)}
            continue
        if kind != "normal":
            points = SPECIAL.get((cycle, uid, kind), D(0))
        check_points(leaf, points)
        entry = ({"value": value} if value is not None else {}) | {"points": points}
        if kind == "deduction" and points < 0:  # the letter that criticised the unit
            entry["evidence"] = [evidence_item(unit, cycle, rng, "Thông báo kết luận kiểm tra CCHC")]
        elif kind == "bonus" and points == 0:
            entry["explanation"] = f"Năm {cycle} đơn vị chưa có sáng kiến, mô hình mới được công nhận."
        elif explain and leaf.get("evidence_required", True):
            entry["explanation"] = rng.choice(TEXT["giải trình"]).format(cycle=cycle)
        elif leaf.get("evidence_required", True):
            names = leaf["evidence"][: 1 + (rng.random() < 0.4)]
            entry["evidence"] = [evidence_item(unit, cycle, rng, n) for n in names]
            if (cycle, uid, lid) in PDFS:
                del entry["evidence"][0]["url"]
                entry["evidence"][0]["file"] = f"evidence/{PDFS[cycle, uid, lid]}"
        scores[lid] = entry
    return scores


def appraise(cycle: str, reviewer: dict, unit: dict, leaves: list[dict], scores: dict) -> dict:
    """One reviewer's appraised points for one commune: mostly confirmations, some cuts."""
    q, uid, rid = PROFILES[cycle][unit["id"]][0], unit["id"], reviewer["id"]
    rng, out = random.Random(f"{cycle}/{rid}/{uid}"), {}
    for leaf in leaves:
        lid, entry = leaf["id"], scores.get(leaf["id"])
        include, cut = rng.random() < 0.8, rng.random() < 0.1 + 0.4 * (1 - q)
        if entry is None or entry.get("not_applicable") or not covers(reviewer, lid):
            continue
        explained = "explanation" in entry and leaf.get("kind") != "bonus"
        cut = cut or (explained and rng.random() < 0.5)
        own, points = entry["points"], entry["points"]
        comment = "Chấp nhận giải trình của đơn vị." if "explanation" in entry else \
            rng.choice(AGREE[: 2 + ("evidence" in entry)])
        if leaf.get("kind") == "deduction" and (cycle, uid) in FOUND_DEDUCTION:
            points, comment = D("-0.5"), FOUND_DEDUCTION[cycle, uid]
        elif any(r[:4] == (cycle, rid, uid, lid) for r in REQUESTS):
            comment = "Đơn vị đã bổ sung tài liệu kiểm chứng theo yêu cầu; thống nhất điểm tự chấm."
        elif cut and own > 0 and "bands" in leaf:
            bands = leaf["bands"]  # the next band down, with a measured value just under its min
            i = next(i for i, b in enumerate(bands) if b["points"] == own)
            hi, lo = bands[i]["min"], bands[i + 1]["min"]
            value = (hi - min(hi - lo, hi / 10) * D(str(rng.uniform(0.1, 0.9)))).quantize(D("0.1"))
            points = bands[i + 1]["points"]
            comment = (f"Số liệu thẩm định là {fmt(value, True)}% (đơn vị báo cáo {fmt(entry['value'], True)}%),"
                       f" chỉ đạt {fmt(points, True)} điểm.")
        elif cut and own > 0 and "levels" in leaf:
            lower = [lv for lv in leaf["levels"] if lv["points"] < own][0]
            if own - lower["points"] <= 1:  # a council rarely takes a whole criterion away
                points = lower["points"]
                when = lower["when"][0].lower() + lower["when"][1:]
                comment = f"Theo tài liệu kiểm chứng, đơn vị chỉ đạt mức: {when}."
        elif cut and own > 0:
            points = max(D(0), own - rng.choice([D("0.25"), D("0.5")]))
            comment = (CUT[2] if explained else rng.choice(CUT[:2])).format(d=fmt(own - points, True))
        if points != own or include:
            check_points(leaf, points)
            out[lid] = {"points": points, "comment": comment}
    return out


def fmt(d: D, comma: bool = False) -> str:
    """A number as YAML writes it (2.5), or as Vietnamese text does (2,5) with comma."""
    text = "0" if d == 0 else format(d.normalize(), "f")
    return text.replace(".", ",") if comma else text


def scalar(v: object) -> str:
    """One YAML value on one line: numbers plain, strings double-quoted, ids plain."""
    if isinstance(v, (bool, D, date)):  # not_applicable: true, points, dates
        return "true" if v is True else fmt(v) if isinstance(v, D) else str(v)
    if isinstance(v, list):
        return "[" + ", ".join(scalar(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {scalar(x)}" for k, x in v.items()) + "}"
    plain = re.fullmatch(r"[a-z][a-z0-9-]*", str(v)) and v not in ("yes", "no", "on", "off", "null")
    return str(v) if plain else json.dumps(str(v), ensure_ascii=False)


def write(path: Path, head: list[str], top: dict, section: str, body: dict, tail: dict, labels: dict | None = None) -> None:
    """Write a scorecard or appraisal in the readable layout of the docs, then re-read it."""
    lines = head + [f"{k}: {scalar(v)}" for k, v in top.items()] + [f"{section}:"]
    labels = dict(labels or {})
    for key, value in body.items():
        if key.split(".")[0] in labels:  # a comment line before each field
            lines.append(f"  # {labels.pop(key.split('.')[0])}")
        if section == "units":  # an appraisal: unit, then one criterion a line
            lines.append(f"  {key}:")
            lines += [f'    "{cid}": {scalar(e)}' for cid, e in value.items()]
        elif "evidence" in value or len(scalar(value)) > 80:
            lines.append(f'  "{key}":')
            for k, v in value.items():
                lines += ["    evidence:"] + [f"      - {scalar(x)}" for x in v] if k == "evidence" \
                    else [f"    {k}: {scalar(v)}"]
        else:
            lines.append(f'  "{key}": {scalar(value)}')
    for k, v in tail.items():
        lines += [f"{k}:"] + [f"  - {scalar(x)}" for x in v] if isinstance(v, list) \
            else [f"{k}: {scalar(v)}"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    yaml.safe_load(path.read_text(encoding="utf-8"))  # must stay valid YAML


def make_pdf(text: str) -> bytes:
    """A minimal valid one-page PDF showing one ASCII line (xref offsets computed)."""
    stream = f"BT /F1 14 Tf 60 760 Td ({text}) Tj ET"
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources "
            "<< /Font << /F1 5 0 R >> >> >>", f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, xref = "%PDF-1.4\n", "xref\n0 6\n0000000000 65535 f \n"
    for i, body in enumerate(objs, 1):
        xref += f"{len(out):010d} 00000 n \n"
        out += f"{i} 0 obj\n{body}\nendobj\n"
    return (out + xref + f"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n{len(out)}\n%%EOF\n").encode("ascii")


def person(key: str) -> str:
    """An obviously invented name: family name, middle name, one letter, '(minh họa)'."""
    rng = random.Random("person/" + key)
    middle = rng.choice(["Văn", "Văn", "Thị", "A", "Seo"])
    return f"{rng.choice(SURNAMES)} {middle} {rng.choice('ABCDEGHKLMNPQSTV')} (minh họa)"


def covers(reviewer: dict, lid: str) -> bool:
    return any(lid == c or lid.startswith(c + ".") for c in reviewer["criteria"])


def generate(cycle: str) -> None:
    assessment, sets, field_names = load_cycle(cycle)
    year = int(cycle) + 1  # approvals in January, appraisals in February of the next year
    units, reviewers = ({x["id"]: x for x in assessment[key]} for key in ("units", "reviewers"))
    for folder in (ROOT / "submissions" / cycle, ROOT / "appraisals" / cycle):
        shutil.rmtree(folder, ignore_errors=True)
    scores: dict[str, dict] = {}
    for uid in (u for u in units if u in PROFILES[cycle]):
        unit, folder, tier = units[uid], ROOT / "submissions" / cycle / uid, units[uid]["tier"]
        leaves = sets[tier]
        rng = random.Random(f"notes/{cycle}/{uid}")
        parts = {}  # file name -> (scores, approval, difficulties, recommendations)
        if tier == "district":  # one file per department, each approved by its head
            for n, (rid, (head, *notes)) in enumerate(DEPT.items()):
                approval = {"name": person(f"{cycle}/{rid}"), "title": head, "date": date(year, 1, 8 + 2 * n)}
                keep = lambda lid, r=reviewers[rid]: covers(r, lid)  # noqa: E731
                parts[rid] = (scorecard(cycle, unit, leaves, keep), approval, *notes)
        else:
            fields = DRAFT.get((cycle, uid))
            title = "Chủ tịch UBND " + ("thị trấn" if unit["kind"] == "thi-tran" else "xã")
            approval = None if fields else {"name": person(uid), "title": title,
                                            "date": date(year, 1, rng.randint(10, 21))}
            keep = (lambda lid, f=fields: lid.split(".")[0] in f) if fields else (lambda lid: True)
            notes = [" ".join(rng.sample(TEXT[k], 2)) for k in ("khó khăn", "kiến nghị")]
            parts["scorecard"] = (scorecard(cycle, unit, leaves, keep), approval, *notes)
        scores[uid] = {}  # merged over the parts
        for name, (part, approval, difficulties, recommendations) in parts.items():
            top = {"unit": uid, "cycle": cycle, "status": "submitted" if approval else "draft"}
            top.update({"approved_by": approval} if approval else {})
            schema = SCHEMA.format(up="../../../", cycle=cycle, name=tier)
            notes = {"difficulties": difficulties, "recommendations": recommendations}
            write(folder / f"{name}.yaml", [schema] + HEAD, top, "scores", part, notes, field_names[tier])
            scores[uid].update(part)
        for (_, _, lid), pdf in ((k, v) for k, v in PDFS.items() if k[:2] == (cycle, uid)):
            (folder / "evidence").mkdir(exist_ok=True)
            (folder / "evidence" / pdf).write_bytes(make_pdf(f"Tai lieu minh hoa - {uid} - {cycle} - tieu chi {lid}"))
    appraisals: dict[str, dict] = {rid: {} for rid in reviewers}
    for rid, uid in ((r, u) for r in reviewers for u in scores):
        if units[uid]["tier"] == "commune" and (cycle, uid) not in DRAFT:
            got = appraise(cycle, reviewers[rid], units[uid], sets["commune"], scores[uid])
            appraisals[rid].update({uid: got} if got else {})
    survey = appraisals["dieu-tra-xhh"]
    for uid in scores:  # the survey covers every unit with a scorecard, the district too
        leaf = next(x for x in sets[units[uid]["tier"]] if x.get("source") == "survey")
        rng = random.Random(f"survey/{cycle}/{uid}")
        share = PROFILES[cycle][uid][1] + rng.uniform(-0.02, 0.02)
        comment = f"Kết quả điều tra xã hội học năm {cycle} (minh họa): {rng.randint(60, 140)} phiếu hợp lệ."
        survey[uid] = {"8.1": {"points": (leaf["max"] * D(str(share))).quantize(D("0.01")), "comment": comment}}
    if cycle in TIE:  # make the pair's final totals equal through the second unit's survey
        a, b = TIE[cycle]
        survey[b]["8.1"]["points"] += final_total(a, scores, appraisals) - final_total(b, scores, appraisals)
        check_points(next(x for x in sets["commune"] if x.get("source") == "survey"), survey[b]["8.1"]["points"])
    for rid in reviewers:
        head = DEPT.get(rid, ["Tổ trưởng " + reviewers[rid]["name"]])[0]
        by = {"name": person(f"{cycle}/{rid}"), "title": head, "date": date(year, 2, 10 + len(rid) % 8)}
        top = {"reviewer": rid, "cycle": cycle, "appraised_by": by}
        tail = {"requests": [{"unit": u, "criteria": [lid], "document": doc, "date": d1, "due": d2}
                             for c, r, u, lid, doc, d1, d2 in REQUESTS if (c, r) == (cycle, rid)]}
        write(ROOT / "appraisals" / cycle / f"{rid}.yaml", [SCHEMA.format(up="../../", cycle=cycle, name="appraisal")]
              + HEAD, top, "units", appraisals[rid], tail if tail["requests"] else {})
    print(cycle, {u: fmt(final_total(u, scores, appraisals)) for u in scores})  # see `builder score`


def final_total(uid: str, scores: dict, appraisals: dict) -> D:
    """Self points, replaced by appraised points where a reviewer gave them, plus survey."""
    final = {lid: e["points"] for lid, e in scores[uid].items() if "points" in e}
    for got in appraisals.values():
        final.update({lid: e["points"] for lid, e in got.get(uid, {}).items()})
    return sum(final.values(), D(0))


if __name__ == "__main__":
    for c in PROFILES:
        generate(c)
