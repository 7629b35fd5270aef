"""Small repositories for the site tests: two cycles, two tiers, groups, drafts, a missing unit,
an evidence file, bonus/deduction/survey/N-A criteria; optionally a payload in every free-text
field. Built once per session and shared by tests/test_site*.py and tests/browser/."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from builder.cli import main

# Markdown, HTML and Jinja that must be shown as typed and never run, load or link.
PAYLOAD = (
    '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
    " [lien ket](javascript:window.__xss=3) ![anh](http://198.51.100.7/x.png)"
    " {{ 7*7 }} {% raw %}r{% endraw %} *nghieng* `ma` | ong & &amp; &lt;b&gt;"
    ' <a href="javascript:window.__xss=4">a</a> <!-- c --> ${7*7} :smile:'
)
MULTILINE = (
    "# Tiêu đề giả\n\n    khối mã thụt lề\n- mục danh sách\n1. mục số\n> trích dẫn\n"
    "<style>body{display:none}</style>\n[tham chiếu]: http://198.51.100.7/ref"
)

# Every kind of page that shows text from units and reviewers: both XSS tests walk them all.
PAYLOAD_PAGES = [
    "index.html",
    "2020/index.html",
    "2020/units/index.html",
    "2020/units/xa-an.html",
    "2020/units/xa-binh.html",
    "2020/units/xa-dung.html",
    "2020/fields/index.html",
    "2020/fields/commune-1.html",
    "2020/methodology.html",
    "2020/validation.html",
    "2019/index.html",
    "2019/units/xa-binh.html",
]


def _text(base: str, payload: bool) -> str:
    return f"{base} {PAYLOAD}" if payload else base


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    path.write_text(text, encoding="utf-8")


def criteria_set(p: bool) -> dict[str, Any]:
    return {
        "title": _text("Bộ tiêu chí thử", p),
        "source": _text("Minh họa cho kiểm thử", p),
        "max_total": 10,
        "fields": [
            {
                "id": "1",
                "name": _text("Chỉ đạo điều hành", p),
                "criteria": [
                    {
                        "id": "1.1",
                        "name": _text("Kế hoạch", p),
                        "max": 2,
                        "levels": [
                            {"points": 2, "when": _text("Đúng hạn", p)},
                            {"points": 1, "when": "Chậm"},
                            {"points": 0, "when": "Không có"},
                        ],
                        "evidence": [_text("Kế hoạch năm", p)],
                    },
                    {
                        "id": "1.2",
                        "name": _text("Tỷ lệ hoàn thành", p),
                        "max": 3,
                        "measure": {"name": _text("Tỷ lệ", p), "unit": "%"},
                        "bands": [
                            {"min": 90, "points": 3},
                            {"min": 50, "points": 1.5},
                            {"min": 0, "points": 0},
                        ],
                    },
                    {"id": "1.3", "name": "Sáng kiến", "max": 1, "kind": "bonus", "evidence_required": False},
                    {
                        "id": "1.4",
                        "name": "Bị phê bình",
                        "max": 1,
                        "kind": "deduction",
                        "evidence_required": False,
                        "description": _text("Trừ 0,5 mỗi lần", p),
                    },
                ],
            },
            {
                "id": "2",
                "name": "Một cửa",
                "criteria": [
                    {"id": "2.1", "name": "Bộ phận một cửa", "max": 2, "na_allowed": True},
                    {"id": "2.2", "name": "Khảo sát hài lòng", "max": 3, "source": "survey"},
                ],
            },
        ],
    }


UNITS = [
    ("xa-an", "Xã An", "Cụm 1"),
    ("xa-binh", "Xã Bình", "Cụm 1"),
    ("xa-cuong", "Xã Cường", "Cụm 1"),
    ("xa-dung", "Xã Dũng", "Cụm 2"),
    ("xa-em", "Xã Êm", "Cụm 2"),
]
# self points per unit and cycle: (1.1, 1.2 value→points, 1.3, 1.4, 2.1 or "na"); survey 2.2
SCORES = {
    "2019": {
        "xa-an": (2, 95, 1, 0, 2, 3),
        "xa-binh": (1, 60, 0, -0.5, 2, 2),
        "xa-cuong": (1, 60, 0, -0.5, 2, 2),
        "xa-dung": (2, 40, 0, 0, "na", 1),
    },
    "2020": {
        "xa-an": (1, 92, 0, 0, 2, 2),
        "xa-binh": (2, 95, 1, 0, 2, 3),
        "xa-cuong": (2, 55, 0, 0, 1, 2),
        "xa-dung": (1, 30, 0, -1, "na", 1),
        "xa-em": (2, 99, 0, 0, 2, 3),
        "huyen": (2, 90, 0, 0, 2, 2.5),
    },
}
DRAFT = {("2020", "xa-cuong")}


def make_repo(root: Path, payload: bool = False, cycles: tuple[str, ...] = ("2019", "2020")) -> Path:
    p = payload
    for cycle in cycles:
        year = int(cycle)
        _dump(
            root / f"criteria/{cycle}/assessment.yaml",
            {
                "cycle": cycle,
                "title": _text(f"Chỉ số CCHC năm {cycle}", p),
                "authority": _text("UBND huyện Thử", p),
                "demo": True,
                "legal_basis": [
                    {
                        "number": _text("1/2019/QĐ-UBND", p),
                        "date": date(2019, 1, 2),
                        "issuer": _text("UBND tỉnh Thử", p),
                        "title": _text("Quy định", p),
                    }
                ],
                "deadline": date(year + 1, 1, 22),
                "timezone": "Asia/Ho_Chi_Minh",
                "classification": [
                    {"label": _text("Xuất sắc", p), "min": 90},
                    {"label": "Tốt", "min": 80},
                    {"label": "Khá", "min": 70},
                    {"label": "Trung bình", "min": 50},
                    {"label": "Yếu", "min": 0},
                ],
                "tiers": {
                    "district": {"name": _text("Cấp huyện", p), "criteria": "district.yaml"},
                    "commune": {"name": _text("Cấp xã", p), "criteria": "commune.yaml"},
                },
                "units": [{"id": "huyen", "name": _text("UBND huyện Thử", p), "tier": "district"}]
                + [
                    {
                        "id": uid,
                        "name": _text(name, p),
                        "tier": "commune",
                        "kind": "xa",
                        "group": _text(group, p),
                        "code": _text("0001", p),
                    }
                    for uid, name, group in UNITS
                ],
                "reviewers": [
                    {"id": "noi-vu", "name": _text("Phòng Nội vụ", p), "criteria": ["1"]},
                    {"id": "van-phong", "name": "Văn phòng", "criteria": ["2"]},
                ],
            },
        )
        for tier in ("district", "commune"):
            _dump(root / f"criteria/{cycle}/{tier}.yaml", criteria_set(p))
        appraised: dict[str, dict[str, Any]] = {}
        survey: dict[str, dict[str, Any]] = {}
        for uid, (s11, value, s13, s14, s21, s22) in SCORES[cycle].items():
            folder = root / f"submissions/{cycle}/{uid}"
            evidence = {
                "title": _text("Kế hoạch CCHC", p),
                "number": _text("12/KH-UBND", p),
                "date": date(year, 1, 5),
                "issuer": _text("UBND xã", p),
                "url": "https://example.org/ke-hoach.pdf?a=1&b=(2)",
            }
            if uid == "xa-an":
                (folder / "evidence").mkdir(parents=True, exist_ok=True)
                (folder / "evidence/bao cao.pdf").write_bytes(b"%PDF-1.4\n% minh hoa\n")
                (folder / "evidence/trang.html").write_text("<script>window.__xss=9</script>")
                evidence2 = {
                    "title": _text("Báo cáo", p),
                    "number": "3/BC",
                    "date": date(year, 2, 1),
                    "issuer": "UBND xã",
                    "file": "evidence/bao cao.pdf",
                }
                evidence3 = {
                    "title": "Trang web",
                    "number": "4/BC",
                    "date": date(year, 2, 1),
                    "issuer": "UBND xã",
                    "file": "evidence/trang.html",
                }
                items = [evidence, evidence2, evidence3]
            else:
                items = [evidence]
            points12 = 3 if value >= 90 else 1.5 if value >= 50 else 0
            scores: dict[str, Any] = {
                "1.1": {"points": s11, "evidence": items},
                "1.2": {
                    "value": value,
                    "points": points12,
                    "explanation": _text("Giải trình số liệu", p) + ("\n" + MULTILINE if p else ""),
                },
                "1.3": {"points": s13, "explanation": "Không có sáng kiến" if not s13 else "Có"},
                "1.4": {"points": s14},
                "2.1": (
                    {"not_applicable": True, "reason": _text("Chưa có trụ sở", p)}
                    if s21 == "na"
                    else {"points": s21, "explanation": "Có bộ phận"}
                ),
            }
            status = "draft" if (cycle, uid) in DRAFT else "submitted"
            if p and status == "draft":
                del scores["1.1"]  # a leaf-missing warning quoting the criterion's name
            _dump(
                folder / "scorecard.yaml",
                {
                    "unit": uid,
                    "cycle": cycle,
                    "status": status,
                    "approved_by": {
                        "name": _text("Nguyễn Văn A", p),
                        "title": _text("Chủ tịch", p),
                        "date": date(year + 1, 1, 10),
                    },
                    "scores": scores,
                    "difficulties": _text("Thiếu kinh phí", p) + ("\n" + MULTILINE if p else ""),
                    "recommendations": _text("Đề nghị tập huấn", p),
                },
            )
            if (uid == "xa-an" or (uid, cycle) == ("xa-binh", "2020")) and s11 > 0:
                appraised.setdefault(uid, {})["1.1"] = {
                    "points": s11 - 1,
                    "comment": _text("Tài liệu chưa đủ", p),
                }
            survey.setdefault(uid, {})["2.2"] = {"points": s22, "comment": "Điều tra"}
        _dump(
            root / f"appraisals/{cycle}/noi-vu.yaml",
            {
                "reviewer": "noi-vu",
                "cycle": cycle,
                "appraised_by": {
                    "name": _text("Trần Thị B", p),
                    "title": "Trưởng phòng",
                    "date": date(year + 1, 2, 1),
                },
                "units": appraised,
                "requests": [
                    {
                        "unit": "xa-binh",
                        "criteria": ["1.1"],
                        "document": _text("CV 30/NV", p),
                        "date": date(year + 1, 2, 1),
                        "due": date(year + 1, 2, 8),
                    }
                ],
            },
        )
        _dump(
            root / f"appraisals/{cycle}/van-phong.yaml",
            {"reviewer": "van-phong", "cycle": cycle, "units": survey},
        )
    return root


def build(root: Path, out: Path | None = None) -> tuple[int, str, str]:
    """Run `python -m builder build` in-process; (exit code, stdout, stderr)."""
    args = ["build", "--root", str(root)]
    if out is not None:
        args += ["--out", str(out)]
    so, se = io.StringIO(), io.StringIO()
    code = main(args, so, se)
    return code, so.getvalue(), se.getvalue()


_BUILT: dict[str, Path] = {}


def assert_tables_back(site: Path) -> None:
    """A built site's pages hold no marker or token of the HTML-block hook, and its unit pages
    have their tables (builder/site/html_blocks.py put them back)."""
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "<!--par-html" not in html and "<!--/par-html" not in html, path
    units = [p.read_text(encoding="utf-8") for p in site.glob("*/units/*.html")]
    # a unit's tables are those the search index skips: back in the page after the search plugin
    assert units and sum("<table data-search-exclude>" in html for html in units) > len(units) // 2


def built_site(base: Path, name: str, payload: bool = False, sample: Path | None = None) -> Path:
    """A repository built once per session (cached by name); returns its root (site in site/)."""
    if name in _BUILT:
        return _BUILT[name]
    root = base / name
    if sample is not None:
        for part in ("criteria", "submissions", "appraisals"):
            if (sample / part).is_dir():
                shutil.copytree(sample / part, root / part)
    else:
        make_repo(root, payload)
    code, out, err = build(root)
    assert code == 0, f"build failed ({code}):\n{out}\n{err}"
    _BUILT[name] = root
    return root


# --- reading the built HTML ------------------------------------------------------------------

from html.parser import HTMLParser  # noqa: E402


class Page(HTMLParser):
    """The parts of a built page the tests look at: tables (with the heading above each),
    the article's text, every tag with its attributes, and script bodies."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tables: list[dict[str, Any]] = []
        self.scripts: list[str] = []
        self.text_parts: list[str] = []
        self._heading: list[str] | None = None
        self._last_heading = ""
        self._cell: list[str] | None = None
        self._cell_links: list[str] = []
        self._row: list[tuple[str, list[str]]] | None = None
        self._table: dict[str, Any] | None = None
        self._script: list[str] | None = None
        self._article = 0
        self.feed(html)
        self.close()

    @property
    def text(self) -> str:
        return " ".join("".join(self.text_parts).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "article":
            self._article += 1
        elif tag == "br" and self._article:
            self.text_parts.append("\n")
        elif tag in ("h1", "h2", "h3"):
            self._heading = []
        elif tag == "table":
            self._table = {"heading": self._last_heading, "rows": []}
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell, self._cell_links = [], []
        elif tag == "a" and self._cell is not None:
            self._cell_links.append(dict(attrs).get("href") or "")
        elif tag == "script":
            self._script = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article -= 1
        elif tag in ("h1", "h2", "h3") and self._heading is not None:
            self._last_heading = " ".join("".join(self._heading).split())
            self._heading = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append((" ".join("".join(self._cell).split()), self._cell_links))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self._table["rows"].append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None
        elif tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._article:
            self.text_parts.append(data)

    def table(self, first_header: str) -> list[dict[str, Any]]:
        """Tables whose first header cell is `first_header`, rows as dicts by header text."""
        found = []
        for t in self.tables:
            rows = t["rows"]
            if not rows or rows[0][0][0] != first_header:
                continue
            headers = [text for text, _ in rows[0]]
            found.append(
                {
                    "heading": t["heading"],
                    "rows": [{h: cell for h, cell in zip(headers, row, strict=False)} for row in rows[1:]],
                }
            )
        return found


def read_page(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))
