"""The incremental build: after one changed scorecard MkDocs rebuilds only the pages whose
source changed, and the published site equals a clean build of the same data; anything that
shapes every page, a missing or hostile state file, or a kill mid-way means a clean build."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import zipfile
from pathlib import Path

import pytest
from jinja2 import Environment

from builder.site import incremental
from builder.site.writer import Writer
from conftest import ROOT, paused_build, run_cli

SAMPLE = ("criteria", "submissions", "appraisals", "docs/guides", "site_pages", "mkdocs.yml")
CARD = "submissions/2019/xa-ban-bo/scorecard.yaml"
ALWAYS = {"404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json"}  # MkDocs writes them


def _sample(target: Path) -> Path:
    """The repository's sample data as a plain folder (no Git: no history to read)."""
    for name in SAMPLE:
        src, dest = ROOT / name, target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(src, dest) if src.is_dir() else shutil.copy2(src, dest)
    return target


def _build(repo: Path, *extra: str) -> None:
    result = run_cli("build", "--root", str(repo), *extra)
    assert result.code == 0, result.err


def _state(site: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.relative_to(site).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _rewritten(before: dict[str, tuple[int, bytes]], after: dict[str, tuple[int, bytes]]) -> set[str]:
    return {p for p, (mtime, _) in after.items() if p not in before or before[p][0] != mtime}


def _xlsx_content(data: bytes, where: Path) -> dict[str, bytes]:
    """A workbook's parts without docProps/core.xml (openpyxl stamps it with the time of saving)."""
    where.write_bytes(data)
    with zipfile.ZipFile(where) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def _assert_same_as_clean(repo: Path, tmp: Path) -> None:
    """The incremental site equals a clean build of the same data into other folders."""
    _build(repo, "--out", str(tmp / "clean-site"), "--build-dir", str(tmp / "clean-build"))
    ours, clean = _state(repo / "site"), _state(tmp / "clean-site")
    assert sorted(ours) == sorted(clean)
    for path in ours:
        if path.endswith(".xlsx"):
            a, b = _xlsx_content(ours[path][1], tmp / "a.xlsx"), _xlsx_content(clean[path][1], tmp / "b.xlsx")
            assert a == b, path
        else:
            assert ours[path][1] == clean[path][1], path


def _edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def built(tmp_path: Path) -> Path:
    repo = _sample(tmp_path / "repo")
    _build(repo)
    return repo


def test_one_changed_scorecard_rebuilds_only_the_pages_that_show_it(built: Path, tmp_path: Path) -> None:
    docs = built / "build/docs"
    sources = {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    before = _state(built / "site")
    _edit(built, CARD, '"1.4":\n    points: 2.25', '"1.4":\n    points: 2')
    _build(built)
    after = _state(built / "site")
    changed_sources = {
        incremental.output_of(p)
        for p in (q.relative_to(docs).as_posix() for q in docs.rglob("*") if q.is_file())
        if sources.get(p) != (docs / p).read_bytes()
    }
    rewritten = _rewritten(before, after)
    # exactly the outputs of the sources that changed, and what MkDocs writes on every build
    assert rewritten == changed_sources | ALWAYS
    assert {"2019/units/xa-ban-bo.html", "2019/index.html", "2019/data/units/xa-ban-bo.json"} <= rewritten
    assert "2019/units/xa-ta-leng.html" not in rewritten  # another unit's page is reused
    assert "2019/methodology.html" not in rewritten and "huong-dan/index.html" not in rewritten
    pages = [p for p in after if p.endswith(".html")]
    assert len([p for p in rewritten if p.endswith(".html")]) < len(pages) / 5
    _assert_same_as_clean(built, tmp_path)


def test_a_build_with_nothing_changed_rebuilds_no_page(built: Path) -> None:
    before = _state(built / "site")
    docs_before = _state(built / "build/docs")
    _build(built)
    assert _rewritten(before, _state(built / "site")) - ALWAYS <= {
        "2019/data/chi-so-cchc-2019.xlsx",  # openpyxl stamps each workbook with its saving time
        "2020/data/chi-so-cchc-2020.xlsx",
    }
    sources = _rewritten(docs_before, _state(built / "build/docs"))
    assert {p for p in sources if not p.endswith(".xlsx")} == set()


def test_a_removed_unit_leaves_the_site_and_its_search(built: Path, tmp_path: Path) -> None:
    assert (built / "site/2019/units/xa-ban-bo.html").is_file()
    assert (built / "site/2019/files/xa-ban-bo").is_dir()
    shutil.rmtree(built / "submissions/2019/xa-ban-bo")
    _build(built)
    site = built / "site"
    assert not (site / "2019/files/xa-ban-bo").exists()
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    # the page stays (a missing unit has its page), but its evidence and old text are gone
    page = [e for e in index["docs"] if e["location"].startswith("2019/units/xa-ban-bo.html")]
    assert page and all("192/BC-UBND" not in e["text"] for e in page)
    _assert_same_as_clean(built, tmp_path)


def test_a_removed_page_goes_from_the_site_and_the_search_index(built: Path, tmp_path: Path) -> None:
    page = "2019/units/xa-nung-nang.html"
    assert (built / "site" / page).is_file()
    line = next(
        x
        for x in (built / "criteria/2019/assessment.yaml").read_text(encoding="utf-8").splitlines(True)
        if "id: xa-nung-nang" in x
    )
    _edit(built, "criteria/2019/assessment.yaml", line, "")  # the unit leaves the cycle
    before = _state(built / "site")
    _build(built)
    after = _state(built / "site")
    assert page not in after and "2019/data/units/xa-nung-nang.json" not in after
    assert page not in (built / "site/search/search_index.json").read_text(encoding="utf-8")
    assert "2019/units/xa-ta-leng.html" not in _rewritten(before, after)  # an incremental build did it
    _assert_same_as_clean(built, tmp_path)


def test_a_changed_configuration_rebuilds_every_page(built: Path, tmp_path: Path) -> None:
    before = _state(built / "site")
    _edit(built, "mkdocs.yml", 'site_name: "Chỉ số CCHC — UBND', 'site_name: "Chỉ số CCHC mới — UBND')
    _build(built)
    after = _state(built / "site")
    html = [p for p in after if p.endswith(".html")]
    assert set(html) <= _rewritten(before, after)
    assert "Chỉ số CCHC mới — UBND" in after["2019/units/xa-ta-leng.html"][1].decode("utf-8")
    _assert_same_as_clean(built, tmp_path)


@pytest.mark.parametrize(
    "damage",
    ["missing", "not-json", "files-not-a-map", "other-site", "no-search-index", "full-option"],
)
def test_any_doubt_means_a_clean_build(built: Path, tmp_path: Path, damage: str) -> None:
    state = built / "build" / incremental.STATE
    extra: tuple[str, ...] = ()
    if damage == "missing":
        state.unlink()
    elif damage == "not-json":
        state.write_bytes(b"\xff{not json")
    elif damage == "files-not-a-map":
        state.write_text(json.dumps({"fingerprint": "x", "files": ["../../etc/passwd"]}), encoding="utf-8")
    elif damage == "other-site":
        data = json.loads(state.read_text(encoding="utf-8"))
        state.write_text(json.dumps({**data, "site": "/somewhere/else"}), encoding="utf-8")
    elif damage == "no-search-index":
        (built / "site/search/search_index.json").unlink()
    else:
        extra = ("--full",)
    stray = built / "site/2019/units/stray.html"  # only a clean build drops a file no source made
    stray.write_text("stray", encoding="utf-8")
    before = _state(built / "site")
    _build(built, *extra)
    after = _state(built / "site")
    assert "2019/units/stray.html" not in after
    assert {p for p in after if p.endswith(".html")} <= _rewritten(before, after)
    _assert_same_as_clean(built, tmp_path)


def test_a_hostile_state_cannot_delete_outside_the_site(built: Path, tmp_path: Path) -> None:
    """A state file naming sources outside docs/ (../) removes nothing outside the temp site."""
    outside = tmp_path / "keep.html"
    outside.write_text("keep", encoding="utf-8")
    state = built / "build" / incremental.STATE
    data = json.loads(state.read_text(encoding="utf-8"))
    data["files"]["../../keep.md"] = "0" * 64  # from site.tmp-<pid>/: tmp_path/keep.html
    data["files"][str(outside.with_suffix(".md"))] = "0" * 64  # an absolute path
    state.write_text(json.dumps(data), encoding="utf-8")
    _build(built)
    assert outside.read_text(encoding="utf-8") == "keep"
    _assert_same_as_clean(built, tmp_path)


@pytest.mark.parametrize("point", ["render", "mkdocs-pages", "mkdocs-done", "swap"])
def test_a_killed_incremental_build_never_publishes_a_mixed_site(
    built: Path, tmp_path: Path, point: str
) -> None:
    # enough changed pages that MkDocs is stopped with some rebuilt and others not yet
    _edit(built, "criteria/2019/assessment.yaml", "UBND xã Bản Bo", "UBND xã Bản Bo Mới")
    before = {p: data for p, (_, data) in _state(built / "site").items()}
    proc = paused_build(built, point)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    if point == "swap":  # killed between the two renames: the previous site waits as site.old-<pid>
        assert not (built / "site").exists()
        assert not (built / "build" / incremental.STATE).exists()  # so the next build is clean
    else:
        assert {p: data for p, (_, data) in _state(built / "site").items()} == before
    _build(built)
    assert "UBND xã Bản Bo Mới" in (built / "site/2019/index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in built.iterdir() if p.name.startswith("site.")) == []
    _assert_same_as_clean(built, tmp_path)


# --- the writer ------------------------------------------------------------------------


def test_the_writer_keeps_unchanged_files_and_prunes_what_it_did_not_write(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    first = Writer(docs, Environment())
    first.text("a/page.md", "một")
    first.text("b/old.md", "cũ")
    first.produce("c/book.bin", lambda p: p.write_bytes(b"\x00\x01"))
    stamp = 1_000_000_000_000_000_000
    for f in docs.rglob("*"):
        if f.is_file():
            os.utime(f, ns=(stamp, stamp))
    second = Writer(docs, Environment())
    second.text("a/page.md", "một")  # the same bytes: not rewritten
    second.produce("c/book.bin", lambda p: p.write_bytes(b"\x00\x01"))
    second.text("a/new.md", "mới")
    assert second.prune() == ["b/old.md"]
    assert (docs / "a/page.md").stat().st_mtime_ns == stamp
    assert (docs / "c/book.bin").stat().st_mtime_ns == stamp
    assert not (docs / "b").exists()  # its folder, left empty, goes too
    assert sorted(second.written) == ["a/new.md", "a/page.md", "c/book.bin"]
    third = Writer(docs, Environment())
    third.text("a/page.md", "khác")
    assert (docs / "a/page.md").read_text(encoding="utf-8") == "khác"
    assert (docs / "a/page.md").stat().st_mtime_ns != stamp
    assert not list(docs.rglob(".par-tmp-*"))


def test_a_failed_library_write_leaves_the_previous_file(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    Writer(docs, Environment()).produce("book.bin", lambda p: p.write_bytes(b"old"))

    def half(path: Path) -> None:
        path.write_bytes(b"ha")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        Writer(docs, Environment()).produce("book.bin", half)
    assert (docs / "book.bin").read_bytes() == b"old"
    assert not list(docs.rglob(".par-tmp-*"))


def test_a_full_disk_while_copying_the_site_keeps_the_previous_one(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit(built, CARD, '"1.4":\n    points: 2.25', '"1.4":\n    points: 2')
    before = {p: data for p, (_, data) in _state(built / "site").items()}
    copied: list[str] = []
    real = shutil.copy2

    def full(src: str, dst: str, **kw: object) -> object:
        if len(copied) > 20:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), dst)
        copied.append(dst)
        return real(src, dst, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(shutil, "copy2", full)
    result = run_cli("build", "--root", str(built))
    monkeypatch.undo()
    assert result.code != 0 and "Traceback" not in result.err, result.err
    assert {p: data for p, (_, data) in _state(built / "site").items()} == before
    assert sorted(p.name for p in built.iterdir() if p.name.startswith("site.")) == []
    _build(built)  # space again: the next build publishes the change
    _assert_same_as_clean(built, tmp_path)


def test_a_full_disk_while_writing_docs_leaves_no_half_file(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit(built, CARD, '"1.4":\n    points: 2.25', '"1.4":\n    points: 2')
    real = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if self.name == ".par-tmp-xa-ban-bo.md":
            real(self, data[:10])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    result = run_cli("build", "--root", str(built))
    monkeypatch.undo()
    assert result.code != 0 and "Traceback" not in result.err, result.err
    page = (built / "build/docs/2019/units/xa-ban-bo.md").read_text(encoding="utf-8")
    assert page.startswith("---\n") and len(page) > 1000  # the previous page, whole
    assert not list((built / "build/docs").rglob(".par-tmp-*"))
    _build(built)
    _assert_same_as_clean(built, tmp_path)
