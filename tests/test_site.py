"""The published site: numbers equal the scores, every cycle and section is there, links resolve,
nothing is fetched from outside, and the build refuses data with errors."""

from __future__ import annotations

import functools
import http.server
import io
import json
import shutil
import subprocess
import threading
from collections import Counter
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from site_repo import build, built_site, make_repo, read_page

from builder.cli import main
from builder.load import cycle as loader
from builder.numbers import vn_number
from builder.office.export import criteria_csv, cycle_record, dumps, units_csv
from builder.results import Change, CycleHistory, UnitHistory
from builder.rules.validate import validate
from builder.score import score_cycle
from builder.site.build import render_site
from builder.site.writer import SiteCycle
from conftest import ROOT


@pytest.fixture(scope="session")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory.getbasetemp(), "plain")


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own sample data, copied to a plain folder and built."""
    if not (ROOT / "criteria").is_dir():
        pytest.skip("no sample data in criteria/")
    return built_site(tmp_path_factory.getbasetemp(), "sample", sample=ROOT)


def score_json(root: Path, cycle: str) -> dict:
    out, err = io.StringIO(), io.StringIO()
    main(["score", "--format", "json", "--root", str(root), "--cycle", cycle], out, err)
    return json.loads(out.getvalue())


def shown(value: str | int | float | None) -> str:
    return "—" if value is None else vn_number(Decimal(str(value)))


def html_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html"))


def ranking_rows(page_path: Path) -> list[dict]:
    rows = []
    for table in read_page(page_path).table("Hạng"):
        rows.extend(table["rows"])
    return rows


def check_ranking_against_score(page_path: Path, expected: dict) -> int:
    rows = ranking_rows(page_path)
    assert len(rows) == len(expected["units"])
    for row, unit in zip(rows, expected["units"], strict=True):
        href = row["Đơn vị"][1][0]
        assert href.endswith(f"units/{unit['unit']}.html"), (href, unit["unit"])
        assert row["Đơn vị"][0] == unit["name"]
        assert row["Hạng"][0] == (str(unit["rank"]) if unit["rank"] else "—")
        assert row["Tự chấm"][0] == shown(unit["self_total"])
        assert row["Điểm cuối cùng"][0] == shown(unit["final_total"])
        assert row["Chỉ số"][0] == shown(unit["index"])
        assert row["Xếp loại"][0] == (unit["classification"] or "—")
    return len(rows)


def test_home_ranking_equals_score_json_of_the_newest_cycle(sample: Path) -> None:
    cycles = loader.cycles(loader.FolderTree(sample))
    checked = check_ranking_against_score(sample / "site/index.html", score_json(sample, cycles[-1]))
    assert checked > 0


def test_every_cycle_ranking_page_equals_score_json(sample: Path, repo: Path) -> None:
    for root in (sample, repo):
        for cycle in loader.cycles(loader.FolderTree(root)):
            check_ranking_against_score(root / f"site/{cycle}/index.html", score_json(root, cycle))


def test_ranking_orders_groups_ties_drafts_and_missing_units(repo: Path) -> None:
    page = read_page(repo / "site/2019/index.html")
    groups = {t["heading"]: [(r["Hạng"][0], r["Đơn vị"][0]) for r in t["rows"]] for t in page.table("Hạng")}
    assert groups["Cấp xã — Cụm 1"] == [("1", "Xã An"), ("2", "Xã Bình"), ("2", "Xã Cường")]
    assert groups["Cấp xã — Cụm 2"] == [("1", "Xã Dũng"), ("—", "Xã Êm")]
    assert groups["Cấp huyện"] == [("—", "UBND huyện Thử")]
    rows_2020 = ranking_rows(repo / "site/2020/index.html")
    draft = next(r for r in rows_2020 if r["Đơn vị"][0] == "Xã Cường")
    assert draft["Hạng"][0] == "—" and draft["Đúng hạn"][0] == "Bản nháp"


def test_change_against_the_previous_cycle(repo: Path) -> None:
    before = {u["unit"]: u for u in score_json(repo, "2019")["units"]}
    now = {u["unit"]: u for u in score_json(repo, "2020")["units"]}
    rows = {r["Đơn vị"][0]: r["So với kỳ 2019"][0] for r in ranking_rows(repo / "site/2020/index.html")}
    delta = Decimal(now["xa-binh"]["index"]) - Decimal(before["xa-binh"]["index"])
    assert rows["Xã Bình"] == ("+" if delta > 0 else "") + vn_number(delta)
    assert rows["Xã Êm"] == "—"  # missing in 2019: no index to compare with
    assert rows["UBND huyện Thử"] == "—"


def test_unit_page_shows_its_numbers(sample: Path) -> None:
    cycle = loader.cycles(loader.FolderTree(sample))[-1]
    for unit in score_json(sample, cycle)["units"]:
        page = read_page(sample / f"site/{cycle}/units/{unit['unit']}.html")
        assert f"Chỉ số CCHC: {shown(unit['index'])}" in page.text
        if unit["status"] == "missing":
            assert "chưa nộp phiếu" in page.text
            continue
        assert f"Điểm cuối cùng: {shown(unit['final_total'])}" in page.text
        (fields,) = page.table("Lĩnh vực")
        by_id = {row["Lĩnh vực"][0].split(".")[0]: row for row in fields["rows"]}
        for fid, f in unit["fields"].items():
            assert by_id[fid]["Tối đa"][0] == shown(f["max"])
            assert by_id[fid]["Tự chấm"][0] == shown(f["self"])
            assert by_id[fid]["Điểm cuối cùng"][0] == shown(f["final"])
        assert by_id["Tổng cộng"]["Điểm cuối cùng"][0] == shown(unit["final_total"])


def test_unit_page_lists_evidence_comments_requests_and_texts(repo: Path) -> None:
    page = read_page(repo / "site/2020/units/xa-binh.html")
    text = page.text
    assert "Kế hoạch CCHC (số 12/KH-UBND, ngày 05/01/2020, UBND xã)" in text
    assert "Phòng Nội vụ thẩm định 1 điểm (tự chấm 2): Tài liệu chưa đủ" in text
    assert "Phòng Nội vụ yêu cầu bổ sung tài liệu cho tiêu chí 1.1 theo CV 30/NV" in text
    assert "hạn bổ sung 08/02/2021" in text
    assert "Tỷ lệ: 95 %" in text and "Giải trình: Giải trình số liệu" in text
    assert "Thiếu kinh phí" in text and "Đề nghị tập huấn" in text
    assert "Thời điểm nộp: không xác định" in text
    hrefs = [a.get("href") for tag, a in page.tags if tag == "a"]
    assert "https://example.org/ke-hoach.pdf?a=1&b=%282%29" in hrefs
    dung = read_page(repo / "site/2020/units/xa-dung.html").text
    assert "Lý do không áp dụng: Chưa có trụ sở" in dung


def test_evidence_files_are_copied_only_when_safe_to_publish(repo: Path) -> None:
    page = read_page(repo / "site/2020/units/xa-an.html")
    hrefs = [a.get("href") for tag, a in page.tags if tag == "a"]
    assert "../files/xa-an/evidence/bao%20cao.pdf" in hrefs
    assert (repo / "site/2020/files/xa-an/evidence/bao cao.pdf").read_bytes().startswith(b"%PDF")
    assert not list((repo / "site").rglob("trang.html")), "an HTML evidence file was published"
    assert "tệp evidence/trang.html không đăng lên trang" in page.text


def test_every_cycle_is_published_newest_first_and_nav_lists_sections(repo: Path) -> None:
    config = yaml.safe_load((repo / "build/mkdocs.yml").read_text(encoding="utf-8"))
    nav = config["nav"]
    assert [next(iter(item)) for item in nav] == ["Trang chủ", "Kỳ 2020", "Kỳ 2019"]
    sections = [next(iter(e)) for e in nav[1]["Kỳ 2020"]]
    assert sections == ["Xếp hạng", "Đơn vị", "Lĩnh vực", "Phương pháp", "Tải xuống", "Kiểm tra dữ liệu"]
    assert "units/xa-" not in json.dumps(nav)
    home = read_page(repo / "site/index.html")
    (cycles,) = home.table("Kỳ")
    assert [r["Kỳ"][0] for r in cycles["rows"]] == ["2020", "2019"]
    for cycle in ("2019", "2020"):
        for page in (
            "index",
            "units/index",
            "fields/index",
            "methodology",
            "downloads",
            "validation",
            "units/xa-an",
            "fields/commune-1",
        ):
            assert (repo / f"site/{cycle}/{page}.html").is_file(), (cycle, page)


def test_mkdocs_config_is_minimal_and_portable(repo: Path) -> None:
    config = yaml.safe_load((repo / "build/mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == ["search"]
    assert config["theme"]["name"] == "material" and config["theme"]["language"] == "vi"
    assert config["theme"]["font"] is False
    assert config["markdown_extensions"] == ["tables", "toc"]
    markdown = "\n".join(p.read_text(encoding="utf-8") for p in (repo / "build/docs").rglob("*.md"))
    for material_only in ("!!! ", '=== "', "{ .", "{:", ":material-", "--8<--"):
        assert material_only not in markdown


def test_downloads_hold_the_exact_values(repo: Path) -> None:
    for cycle in ("2019", "2020"):
        data = loader.load_cycle(loader.FolderTree(repo), cycle)
        result = score_cycle(data)
        data_dir = repo / f"site/{cycle}/data"
        assert (data_dir / "results.json").read_text(encoding="utf-8") == dumps(cycle_record(result)) + "\n"
        assert json.loads((data_dir / "results.json").read_text()) == score_json(repo, cycle)
        assert (data_dir / "units.csv").read_text(encoding="utf-8") == units_csv(result)
        assert (data_dir / "criteria.csv").read_text(encoding="utf-8") == criteria_csv(result)
        downloads = read_page(repo / f"site/{cycle}/downloads.html")
        hrefs = {a.get("href") for tag, a in downloads.tags if tag == "a"}
        assert {"data/units.csv", "data/criteria.csv", "data/results.json", "data/criteria.json"} <= hrefs
        assert "data/tong-hop.csv" in hrefs
        assert (data_dir / "tong-hop.csv").read_bytes().startswith("\ufeffXếp hạng;".encode())
    unit = json.loads((repo / "site/2020/data/units/xa-binh.json").read_text(encoding="utf-8"))
    assert unit["leaves"]["1.1"] == {
        "max": 2,
        "applicable": True,
        "self": 2,
        "appraised": 1,
        "final": 1,
        "appraised_by": ["noi-vu"],
    }


def test_methodology_shows_criteria_classes_legal_basis_and_source(repo: Path) -> None:
    text = read_page(repo / "site/2020/methodology.html").text
    for expected in (
        "1/2019/QĐ-UBND ngày 02/01/2019 của UBND tỉnh Thử",
        "Xuất sắc 90",
        "Minh họa cho kiểm thử",
        "2 điểm: Đúng hạn",
        "từ 90 được 3 điểm",
        "Điểm thưởng",
        "Điểm trừ, từ \u22121 đến 0",
        "điều tra xã hội học",
        "Có thể đánh dấu không áp dụng",
        "Kế hoạch năm",
        "đồng hạng",
    ):
        assert expected in text, expected


def test_field_page_and_heatmap_show_every_unit(repo: Path) -> None:
    page = read_page(repo / "site/2020/fields/commune-1.html")
    (table,) = page.table("Đơn vị")
    names = [r["Đơn vị"][0] for r in table["rows"]]
    assert names[0] == "Điểm tối đa" and names[-1] == "Trung bình"
    assert {"Xã An", "Xã Bình", "Xã Cường", "Xã Dũng", "Xã Êm"} <= set(names)
    binh = next(r for r in table["rows"] if r["Đơn vị"][0] == "Xã Bình")
    assert binh["1.1"][0] == "1*"  # appraised 1 instead of self 2
    heatmaps = read_page(repo / "site/2020/fields/index.html").table("Đơn vị")
    assert len(heatmaps) == 2  # one per tier
    commune = next(t for t in heatmaps if len(t["rows"]) == 5)
    binh = next(r for r in commune["rows"] if r["Đơn vị"][0] == "Xã Bình")
    field = next(u for u in score_json(repo, "2020")["units"] if u["unit"] == "xa-binh")["fields"]
    for fid, f in field.items():
        share = Decimal(str(f["final"])) * 100 / Decimal(str(f["max"]))
        assert binh[fid][0] == vn_number(share, 1)


def test_validation_page_lists_warnings(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "warn", cycles=("2020",))
    card = root / "submissions/2020/xa-em/scorecard.yaml"
    data = yaml.safe_load(card.read_text(encoding="utf-8"))
    data["status"] = "draft"
    del data["scores"]["2.1"]
    card.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (root / "docs/guides").mkdir(parents=True)
    shutil.copy(ROOT / "docs/guides/ma-loi.md", root / "docs/guides/ma-loi.md")
    code, out, err = build(root)
    assert code == 0, err
    page = read_page(root / "site/2020/validation.html")
    (table,) = page.table("Vị trí")
    assert any(r["Mã"][0] == "leaf-missing" and r["Mức"][0] == "cảnh báo" for r in table["rows"])
    hrefs = {a.get("href") for tag, a in page.tags if tag == "a"}
    assert "../huong-dan/ma-loi.html#leaf-missing" in hrefs, sorted(h for h in hrefs if h and "ma-loi" in h)
    guide = read_page(root / "site/huong-dan/ma-loi.html")
    assert "leaf-missing" in {a.get("id") for tag, a in guide.tags}


def test_build_refuses_data_with_errors_and_writes_nothing(tmp_path: Path) -> None:
    """An error outside the units' folders (the district's configuration) stops the build;
    one in a unit's folder does not (tests/test_trust.py)."""
    root = make_repo(tmp_path / "bad", cycles=("2020",))
    config = root / "criteria/2020/assessment.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + 'trusted_committers: ["GitHub"]\n', encoding="utf-8"
    )
    code, out, err = build(root)
    assert code == 1
    assert "error [trusted-committer-bad]" in err and "Không dựng trang" in err
    assert not (root / "site").exists() and not (root / "build").exists()


def test_build_refuses_to_empty_a_folder_it_did_not_make(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", cycles=("2020",))
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("x")
    code, _, err = build(root, out=precious)
    assert code == 2 and (precious / "keep.txt").exists()
    assert "không trống" in err


def test_build_option_cycle_is_a_usage_error(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", cycles=("2020",))
    out, err = io.StringIO(), io.StringIO()
    assert main(["build", "--root", str(root), "--cycle", "2020"], out, err) == 2


def test_demo_banner_on_every_page_and_none_without_demo(repo: Path, tmp_path: Path) -> None:
    pages = [p for p in html_files(repo / "site") if p.name != "404.html"]
    assert len(pages) > 20
    for path in pages:
        assert "Dữ liệu minh họa:" in path.read_text(encoding="utf-8"), path
    root = make_repo(tmp_path / "real", cycles=("2020",))
    config = root / "criteria/2020/assessment.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("demo: true", "demo: false"), encoding="utf-8"
    )
    assert build(root)[0] == 0
    assert "Dữ liệu minh họa:" not in (root / "site/2020/units/xa-an.html").read_text("utf-8")


def test_no_request_leaves_the_site(repo: Path) -> None:
    for path in html_files(repo / "site"):
        page = read_page(path)
        for tag, attrs in page.tags:
            for key in ("src", "href"):
                value = attrs.get(key) or ""
                external = value.startswith(("http:", "https:", "//"))
                if external and (tag != "a"):
                    pytest.fail(f"{path}: <{tag} {key}={value}> loads from outside")
        html = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def _internal_targets(site: Path, path: Path) -> list[tuple[str, Path]]:
    found = []
    for tag, attrs in read_page(path).tags:
        for key in ("href", "src"):
            value = attrs.get(key)
            if not value or value.startswith(("http:", "https:", "mailto:", "#", "//", "data:")):
                continue
            if tag == "link" and attrs.get("rel") in ("canonical",):
                continue
            target = unquote(urlsplit(value).path)
            if not target:
                continue
            base = site if target.startswith("/") else path.parent  # 404.html uses absolute paths
            resolved = (base / target.lstrip("/")).resolve()
            if resolved.is_dir():
                resolved = resolved / "index.html"
            found.append((value, resolved))
    return found


def test_every_internal_link_resolves(repo: Path, sample: Path) -> None:
    for root in (repo, sample):
        site = root / "site"
        for path in html_files(site):
            for value, target in _internal_targets(site, path):
                assert target.is_file(), f"{path.relative_to(site)}: broken link {value}"


def test_linkchecker_finds_no_broken_link(repo: Path, tmp_path: Path) -> None:
    """LinkChecker (the tool) over HTTP on 127.0.0.1: run as root it drops to `nobody`, who
    cannot read pytest's private temporary folders, so this process serves the files. The
    `LinkChecker` header lets it go beyond its default 10 requests per second."""
    exe = shutil.which("linkchecker") or str(ROOT / ".venv/bin/linkchecker")
    if not Path(exe).exists():
        pytest.skip("linkchecker is not installed (pip install -e '.[test]')")

    class Served(http.server.SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            self.send_header("LinkChecker", "test")
            super().end_headers()

        def log_message(self, *args: object) -> None:
            pass

    config = tmp_path / "linkcheckerrc"
    config.write_text("[checking]\nmaxrequestspersecond=1000\n", encoding="utf-8")
    handler = functools.partial(Served, directory=str(repo / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        done = subprocess.run(
            [
                exe,
                "-f",
                str(config),
                "--no-warnings",
                "--no-status",
                "--threads",
                "8",
                f"http://127.0.0.1:{server.server_port}/index.html",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    checked = int(done.stdout.split(" links in ")[0].rsplit("\n", 1)[-1].split()[-1])
    assert checked > 60 and "0 errors found" in done.stdout, done.stdout[-2000:]


def test_history_is_shown_when_known(tmp_path: Path) -> None:
    """With a CycleHistory (as history.py gives from Git): late flags, timeline and footer."""
    root = make_repo(tmp_path / "h", cycles=("2020",))
    tree = loader.FolderTree(root)
    data = loader.load_cycle(tree, "2020")
    when = datetime(2021, 1, 25, 9, 30, tzinfo=timezone(timedelta(hours=7)))
    change = Change(
        "a1b2c3d4e5f6" + "0" * 28,
        when,
        "Lò Văn <b>G</b>",
        ("x",),
        ("1.1", "1.2"),
        "submitted",
        after_deadline=True,
        late_criteria=("1.2",),
    )
    history = CycleHistory(
        "2020",
        True,
        {
            "xa-an": UnitHistory("xa-an", when, True, (change,)),
            "xa-binh": UnitHistory("xa-binh", when - timedelta(days=5), False, ()),
        },
        commit="f" * 40,
        commit_date=when,
    )
    result = score_cycle(data, history.late())
    config = render_site(
        [SiteCycle(data, validate(data, tree), result, history)], tree, root, root / "build", root / "site"
    )
    from builder.site.engine import run_mkdocs

    assert run_mkdocs(config) == []
    rows = {r["Đơn vị"][0]: r["Đúng hạn"][0] for r in ranking_rows(root / "site/2020/index.html")}
    assert rows["Xã An"] == "Trễ hạn" and rows["Xã Bình"] == "Đúng hạn"
    page = read_page(root / "site/2020/units/xa-an.html")
    (timeline,) = page.table("Thời điểm")
    row = timeline["rows"][0]
    assert row["Thời điểm"][0] == "25/01/2021 09:30" and row["Phiên bản"][0] == "a1b2c3d"
    assert row["Người thực hiện"][0] == "Lò Văn <b>G</b>"
    assert row["Tiêu chí thay đổi"][0] == "1.1, 1.2"
    assert row["Sau hạn nộp"][0] == "có; sửa không có yêu cầu bổ sung: 1.2"
    assert "Thời điểm nộp: 25/01/2021 09:30 (trễ hạn)" in page.text
    footer = (root / "site/assets/par-provenance.txt").read_text(encoding="utf-8")  # the footer's line
    assert footer == "Phiên bản dữ liệu ffffffffff, 25/01/2021 09:30.\n"
    (status,) = read_page(root / "site/2020/index.html").table("Cấp")
    assert status["rows"][-1]["Nộp trễ hạn"][0] == "1"


def test_no_history_is_shown_as_unknown(repo: Path) -> None:
    rows = ranking_rows(repo / "site/2020/index.html")
    assert {r["Đúng hạn"][0] for r in rows} <= {"Không xác định", "Bản nháp", "Chưa nộp"}
    (status,) = read_page(repo / "site/2020/index.html").table("Cấp")
    assert all(r["Nộp trễ hạn"][0] == "không xác định" for r in status["rows"])
    html = (repo / "site/2020/units/xa-an.html").read_text(encoding="utf-8")
    assert "Thời điểm nộp: không xác định" in read_page(repo / "site/2020/units/xa-an.html").text
    assert "Số liệu công bố không kèm lịch sử nộp phiếu, nên không xác định được" in html  # in plain words
    footer = (repo / "site/assets/par-provenance.txt").read_text(encoding="utf-8")  # the footer's line
    assert footer == "Số liệu không kèm lịch sử nộp phiếu: thời điểm nộp không xác định.\n"


def test_unit_pages_leave_the_search_index_past_a_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from builder.site import unit_pages as render_units

    root = make_repo(tmp_path / "big", cycles=("2020",))
    monkeypatch.setattr(render_units, "SEARCH_UNITS_MAX", 3)
    assert build(root)[0] == 0
    index = json.loads((root / "site/search/search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "2020/units/index.html" in locations and "2020/index.html" in locations
    assert not [loc for loc in locations if loc.startswith("2020/units/xa-")]
    assert (root / "site/2020/units/xa-an.html").is_file()


def test_class_counts_on_home_and_ranking_pages(sample: Path) -> None:
    cycle = loader.cycles(loader.FolderTree(sample))[-1]
    data = loader.load_cycle(loader.FolderTree(sample), cycle)
    assert data.assessment is not None
    names = {tier.id: tier.name for tier in data.assessment.tiers.values()}
    units = score_json(sample, cycle)["units"]
    expected = {
        names[tier]: +Counter(
            u["classification"] for u in units if u["tier"] == tier and u["status"] == "submitted"
        )
        for tier in {u["tier"] for u in units}
    }
    for page in ("index.html", f"{cycle}/index.html"):
        found = {}
        for table in read_page(sample / "site" / page).table("Xếp loại"):
            counts = Counter({r["Xếp loại"][0]: int(r["Số đơn vị đã nộp"][0]) for r in table["rows"]})
            found[table["heading"].removeprefix("Xếp loại — ")] = +counts
        assert found == expected, page
