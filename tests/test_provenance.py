"""Provenance: the footer names the data's commit, or says the data shown differs from it; every
self and appraised point on a unit page links to the file and line that states it, at that
commit, on the district's forge (GitHub or GitLab), or shows its plain path:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitkit import GitRepo, isolate_git  # noqa: F401
from site_repo import build, make_repo, read_page

from builder.site.provenance import blob_url

SELF_FILE = "submissions/2020/xa-binh/scorecard.yaml"
APPRAISAL_FILE = "appraisals/2020/noi-vu.yaml"
KEY = "'1.1':"


def _line(path: Path, after: str, key: str = "points:") -> int:
    """The 1-based line of the first `key` after the line `after` (found in the text itself)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, text in enumerate(lines) if text.strip() == after)
    return next(i for i in range(start, len(lines)) if lines[i].strip().startswith(key)) + 1


def _appraisal_line(root: Path) -> int:
    lines = (root / APPRAISAL_FILE).read_text(encoding="utf-8").splitlines()
    unit = next(i for i, text in enumerate(lines) if text.strip() == "xa-binh:")
    crit = next(i for i in range(unit, len(lines)) if lines[i].strip() == KEY)
    return next(i for i in range(crit, len(lines)) if lines[i].strip().startswith("points:")) + 1


def _cells(root: Path) -> tuple[tuple[str, list[str]], tuple[str, list[str]]]:
    page = read_page(root / "site/2020/units/xa-binh.html")
    row = next(r for t in page.table("Mã") for r in t["rows"] if r["Mã"][0] == "1.1")
    return row["Tự chấm"], row["Thẩm định"]


def _titles(root: Path) -> list[str]:
    page = read_page(root / "site/2020/units/xa-binh.html")
    return [a.get("title") or "" for tag, a in page.tags if "par-src" in (a.get("class") or "")]


def _footer(root: Path) -> str:
    """The footer's provenance line. Every page's footer holds the same slot, filled by the
    generated script (so a new commit does not change every page: docs/site.md, "Incremental
    build"); its text is the same as the plain-text asset's, named by the <noscript> fallback."""
    html = (root / "site/2020/index.html").read_text(encoding="utf-8")
    start = html.index("md-copyright__highlight")
    footer = html[start : html.index("</div>", start)]
    assert "data-par-provenance></span>" in footer and "assets/par-provenance.txt" in footer
    assert '<script src="../assets/par-provenance.js"></script>' in html
    text = (root / "site/assets/par-provenance.txt").read_text(encoding="utf-8").strip()
    script = (root / "site/assets/par-provenance.js").read_text(encoding="utf-8")
    assert f"var text = {json.dumps(text, ensure_ascii=False)};" in script
    return text


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str]:
    root = make_repo(tmp_path / "repo")
    (root / "mkdocs.yml").write_text("repo_url: https://github.com/huyen/chi-so-cchc\n", encoding="utf-8")
    sha = GitRepo(root).commit("2021-01-10T09:00:00+07:00")
    return root, sha


def test_blob_urls_of_each_forge() -> None:
    assert (
        blob_url("https://github.com/o/r", "abc", "a b/s.yaml", 7)
        == "https://github.com/o/r/blob/abc/a%20b/s.yaml#L7"
    )
    assert (
        blob_url("https://gitlab.com/o/r/", "abc", "s.yaml", 7)
        == "https://gitlab.com/o/r/-/blob/abc/s.yaml#L7"
    )
    assert blob_url("https://gitlab.tinh.gov.vn/o/r.git", "abc", "s.yaml", 1).startswith(
        "https://gitlab.tinh.gov.vn/o/r/-/blob/abc/"
    )
    assert (
        blob_url("https://codeberg.org/o/r", "abc", "s.yaml", 2)
        == "https://codeberg.org/o/r/src/commit/abc/s.yaml#L2"
    )
    assert blob_url("javascript:alert(1)", "abc", "s.yaml", 1) is None


def test_points_link_to_their_line_at_the_commit(repo: tuple[Path, str]) -> None:
    root, sha = repo
    code, out, err = build(root)
    assert code == 0, out + err
    own, council = _cells(root)
    self_line = _line(root / SELF_FILE, KEY)
    assert own == ("2", [f"https://github.com/huyen/chi-so-cchc/blob/{sha}/{SELF_FILE}#L{self_line}"])
    line = _appraisal_line(root)
    assert council == ("1", [f"https://github.com/huyen/chi-so-cchc/blob/{sha}/{APPRAISAL_FILE}#L{line}"])
    assert f"{SELF_FILE}:{self_line}" in _titles(root)
    assert f"Phiên bản dữ liệu {sha[:10]}" in _footer(root)


def test_a_scorecard_links_at_the_commit_that_last_changed_it(repo: tuple[Path, str]) -> None:
    """A later commit that does not touch the scorecard leaves its links (and so its unit page)
    as they were; the appraisal file, whose history is not read, links at the newest commit."""
    root, first = repo
    appraisal = root / APPRAISAL_FILE
    appraisal.write_text(appraisal.read_text(encoding="utf-8") + "# ghi chú\n", encoding="utf-8")
    second = GitRepo(root).commit("2021-01-12T09:00:00+07:00")
    code, out, err = build(root)
    assert code == 0, out + err
    own, council = _cells(root)
    assert own[1] == [
        f"https://github.com/huyen/chi-so-cchc/blob/{first}/{SELF_FILE}#L{_line(root / SELF_FILE, KEY)}"
    ]
    assert council[1] == [
        f"https://github.com/huyen/chi-so-cchc/blob/{second}/{APPRAISAL_FILE}#L{_appraisal_line(root)}"
    ]
    assert f"Phiên bản dữ liệu {second[:10]}" in _footer(root)
    card = root / SELF_FILE  # now the scorecard changes: its links follow
    card.write_text("# sửa\n" + card.read_text(encoding="utf-8"), encoding="utf-8")
    third = GitRepo(root).commit("2021-01-13T09:00:00+07:00")
    code, out, err = build(root)
    assert code == 0, out + err
    own, _ = _cells(root)
    assert own[1] == [f"https://github.com/huyen/chi-so-cchc/blob/{third}/{SELF_FILE}#L{_line(card, KEY)}"]


def test_gitlab_forge(repo: tuple[Path, str]) -> None:
    root, sha = repo
    (root / "mkdocs.yml").write_text("repo_url: https://gitlab.com/huyen/chi-so-cchc\n", encoding="utf-8")
    code, out, err = build(root)
    assert code == 0, out + err
    own, _ = _cells(root)
    assert own[1] == [
        f"https://gitlab.com/huyen/chi-so-cchc/-/blob/{sha}/{SELF_FILE}#L{_line(root / SELF_FILE, KEY)}"
    ]


def test_uncommitted_data_is_said_and_not_linked(repo: tuple[Path, str]) -> None:
    root, sha = repo
    card = root / SELF_FILE
    card.write_text("# sửa chưa ghi\n" + card.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = build(root)
    assert code == 0, out + err
    footer = _footer(root)
    assert "thay đổi chưa ghi thành phiên bản (1 tệp)" in footer and sha[:10] in footer
    own, council = _cells(root)
    assert own == ("2", [])  # that line is not at the commit: plain path:line, no link
    assert f"{SELF_FILE}:{_line(card, KEY)}" in _titles(root)
    assert council[1] and council[1][0].startswith(f"https://github.com/huyen/chi-so-cchc/blob/{sha}/")


def test_without_forge_or_git_points_show_path_and_line(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "plain")
    code, out, err = build(root)
    assert code == 0, out + err
    own, council = _cells(root)
    assert own == ("2", []) and council == ("1", [])
    assert f"{SELF_FILE}:{_line(root / SELF_FILE, KEY)}" in _titles(root)
    assert f"{APPRAISAL_FILE}:{_appraisal_line(root)}" in _titles(root)
    assert "Phiên bản dữ liệu" not in _footer(root)
