"""The district's own `mkdocs.yml` at the root: merged into `build`, and `mkdocs build` at the root
works through the hook; each installable engine builds the sample (Material; Zensical where it installs)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from site_repo import assert_tables_back

from builder.site.engine import HTML_HOOK
from conftest import ROOT, run_cli

PARTS = ("criteria", "submissions", "appraisals", "site_templates", "site_pages", "docs/guides", "mkdocs.yml")


def sample_copy(tmp: Path) -> Path:
    repo = tmp / "repo"
    for part in PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, repo / part)
        else:
            repo.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, repo / part)
    (repo / "builder").symlink_to(ROOT / "builder")  # the root's mkdocs.yml names builder/site/hook.py
    return repo


def test_the_districts_settings_reach_the_built_site(tmp_path: Path) -> None:
    repo = sample_copy(tmp_path)
    config = yaml.safe_load((repo / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_name"] = "Trang thử của huyện"
    config["copyright"] = "Bản quyền UBND huyện thử"
    config["theme"]["palette"] = {"primary": "green"}
    config["nav"].append({"Liên hệ": "lien-he.md"})
    (repo / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (repo / "site_pages" / "lien-he.md").write_text(
        "# Liên hệ\n\nĐiện thoại: 0213 000 000\n", encoding="utf-8"
    )
    result = run_cli("build", "--root", str(repo))
    assert result.code == 0, result.err
    generated = yaml.safe_load((repo / "build/mkdocs.yml").read_text(encoding="utf-8"))
    assert generated["site_name"] == "Trang thử của huyện"
    assert generated["theme"]["palette"] == {"primary": "green"}
    assert generated["theme"]["name"] == "material" and generated["theme"]["custom_dir"] == "overrides"
    assert generated["nav"][-1] == {"Liên hệ": "lien-he.md"} and generated["nav"][0] == {
        "Trang chủ": "index.md"
    }
    # the root's own wiring (builder/site/hook.py) stays there; only our HTML-block hook is ours
    assert generated["hooks"] == [HTML_HOOK] and "watch" not in generated
    home = (repo / "site/index.html").read_text(encoding="utf-8")
    assert "Trang thử của huyện" in home and "Bản quyền UBND huyện thử" in home
    assert 'data-md-color-primary="green"' in home
    assert "0213 000 000" in (repo / "site/lien-he.html").read_text(encoding="utf-8")


def test_a_broken_district_config_is_a_usage_error_with_its_line(tmp_path: Path) -> None:
    repo = sample_copy(tmp_path)
    (repo / "mkdocs.yml").write_text("site_name: [không đóng\n", encoding="utf-8")
    result = run_cli("build", "--root", str(repo))
    assert result.code == 2
    assert result.err.startswith("Lỗi: mkdocs.yml:2:1: tệp cấu hình trang web của huyện không đọc được")
    assert not (repo / "site").exists()


def test_mkdocs_build_at_the_root_generates_the_pages_through_the_hook(tmp_path: Path) -> None:
    repo = sample_copy(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=repo, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert_tables_back(repo / "site")  # the HTML-block hook ran its events here too
    assert (repo / "site/2020/index.html").is_file() and (repo / "site/gioi-thieu.html").is_file()
    assert (repo / "build/docs/2020/index.md").is_file()
    ranking = (repo / "site/2020/index.html").read_text(encoding="utf-8")
    assert "<table data-search-exclude>" in ranking  # the hook's HTML blocks too
    assert "<!--par-html" not in ranking


def test_mkdocs_build_at_the_root_refuses_data_with_errors(tmp_path: Path) -> None:
    repo = sample_copy(tmp_path)
    card = next((repo / "submissions/2020").glob("*/scorecard.yaml"))
    card.write_text(card.read_text(encoding="utf-8").replace("cycle:", "cycle: [", 1), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=repo, capture_output=True, text=True, timeout=600
    )
    assert done.returncode != 0
    assert "Chỉ số CCHC: dữ liệu có" in done.stderr and "Traceback" not in done.stderr


def test_zensical_builds_the_same_site_where_it_installs(tmp_path: Path) -> None:
    zensical = shutil.which("zensical")
    if zensical is None:
        pytest.skip(
            "Zensical is not installed: on this machine `pip install zensical` fails (its zensical-ui "
            "dependency is not on the package index); docs/site.md says how to switch engines"
        )
    repo = sample_copy(tmp_path)
    assert run_cli("build", "--root", str(repo)).code == 0
    done = subprocess.run(
        [zensical, "build", "-f", "build/mkdocs.yml"], cwd=repo, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert_tables_back(repo / "site")  # the HTML-block hook ran its events here too
