"""The how-to guides (docs/guides/*.md) are tested: every ```bash block is run in a copy of the
sample repository (or marked as skipped, with the reason), every marked ```yaml example passes
the generated schema, so a guide cannot go stale. Also the pre-commit hooks the guides rely on.

Markers are HTML comments on the line before a block, invisible on the site:
`<!-- test: run -->`, `<!-- test: skip (lý do) -->`, `<!-- test: schema 2020/commune -->`,
`<!-- test: yaml -->`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml

from builder.editor.schema_file import editor_view
from builder.editor.schemas import cycle_schemas
from builder.load import cycle as loader
from builder.load.yamlfile import read_yaml
from casekit import case_dirs, materialize
from conftest import ROOT

GUIDES = ROOT / "docs" / "guides"
MARKER = re.compile(r"^<!-- test: (run|skip \(.+\)|schema \S+|yaml) -->$")


@dataclass
class Block:
    guide: str
    line: int
    language: str
    marker: str | None
    text: str


def blocks(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    found, i = [], 0
    while i < len(lines):
        fence = re.match(r"^```(\w*)\s*$", lines[i])
        if fence and fence.group(1):
            start = i
            i += 1
            while i < len(lines) and lines[i] != "```":
                i += 1
            previous = lines[start - 1] if start > 0 else ""
            marker = MARKER.match(previous)
            found.append(
                Block(
                    path.name,
                    start + 1,
                    fence.group(1),
                    marker.group(1) if marker else None,
                    "\n".join(lines[start + 1 : i]) + "\n",
                )
            )
        i += 1
    return found


def guide_files() -> list[Path]:
    return sorted(GUIDES.glob("*.md"))


def test_the_three_guides_exist_in_vietnamese() -> None:
    names = [p.name for p in guide_files()]
    assert names == ["don-vi.md", "huyen.md", "index.md", "ma-loi.md", "tham-dinh.md"]
    for path in guide_files():
        text = path.read_text(encoding="utf-8")
        generated = path.name == "ma-loi.md"  # the codes' guide: tests/test_code_guide.py
        assert text.startswith("# Hướng dẫn") or generated
        assert re.search(r"[\u1ea0-\u1ef9]", text)  # Vietnamese with diacritics


@pytest.mark.parametrize("path", guide_files(), ids=lambda p: p.name)
def test_every_command_block_is_run_or_says_why_not(path: Path) -> None:
    for block in blocks(path):
        if block.language in ("bash", "sh", "shell"):
            assert block.marker is not None, f"{path.name}:{block.line}: mark it <!-- test: run -->"
            assert block.marker == "run" or block.marker.startswith("skip ("), block.marker
        if block.language == "yaml":
            assert block.marker is not None, f"{path.name}:{block.line}: mark it <!-- test: schema … -->"


def yaml_blocks() -> list[Block]:
    return [b for p in guide_files() for b in blocks(p) if b.language == "yaml"]


@pytest.mark.parametrize("block", yaml_blocks(), ids=lambda b: f"{b.guide}:{b.line}")
def test_yaml_examples_pass_the_schema(block: Block) -> None:
    loaded = read_yaml(Path("."), block.guide, block.text.encode("utf-8"))
    assert loaded.problems == [] and loaded.root is not None
    assert block.marker is not None
    if block.marker == "yaml":
        return
    cycle, name = block.marker.split()[1].split("/")
    schema = cycle_schemas(loader.load_cycle(loader.FolderTree(ROOT), cycle))[
        f"schemas/{cycle}/{name}.schema.json"
    ]
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = [e.message for e in validator.iter_errors(editor_view(loaded.root))]
    assert errors == []


# --- running the commands ------------------------------------------------------------------


GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Cán bộ thử",
    "GIT_AUTHOR_EMAIL": "thu@example.org",
    "GIT_COMMITTER_NAME": "Cán bộ thử",
    "GIT_COMMITTER_EMAIL": "thu@example.org",
    "GIT_AUTHOR_DATE": "2021-01-10T09:00:00+07:00",
    "GIT_COMMITTER_DATE": "2021-01-10T09:00:00+07:00",
}


def sample_repository(target: Path, remove: list[str] = ()) -> dict[str, str]:  # type: ignore[assignment]
    """A copy of the sample as a Git repository with an `origin` to push to; returns the env."""
    target.mkdir()
    for name in ("criteria", "submissions", "appraisals", "schemas", ".github"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name)
    for name in ("README.md", ".gitignore"):
        if (ROOT / name).is_file():
            shutil.copyfile(ROOT / name, target / name)
    for rel in remove:
        shutil.rmtree(target / rel, ignore_errors=True)
    (target / ".venv").symlink_to(ROOT / ".venv")
    env = {**os.environ, **GIT_ENV, "LC_ALL": "C.UTF-8"}
    origin = target.parent / "origin.git"

    def git(*args: str, cwd: Path = target) -> None:
        subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)

    git("init", "-q", "--bare", "-b", "main", str(origin), cwd=target.parent)
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "Dữ liệu mẫu")
    git("remote", "add", "origin", str(origin))
    git("push", "-q", "-u", "origin", "main")
    return env


def run_guide(name: str, repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = ["set -euo pipefail"]
    for block in blocks(GUIDES / name):
        if block.marker == "run":
            script += [f"echo '### {name}:{block.line}' >&2", block.text]
    return subprocess.run(
        ["bash", "-c", "\n".join(script)], cwd=repo, env=env, capture_output=True, text=True, timeout=600
    )


def test_unit_guide_commands(tmp_path: Path) -> None:
    repo = tmp_path / "kho"
    env = sample_repository(repo, remove=["submissions/2020/xa-nung-nang"])
    done = run_guide("don-vi.md", repo, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Đã tạo submissions/2020/xa-nung-nang/scorecard.yaml" in done.stdout
    pushed = subprocess.run(
        [
            "git",
            "ls-tree",
            "-r",
            "--name-only",
            "nop-phieu-xa-nung-nang-2020",
            "submissions/2020/xa-nung-nang",
        ],
        cwd=tmp_path / "origin.git",
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert pushed.stdout.split() == ["submissions/2020/xa-nung-nang/scorecard.yaml"]


def test_reviewer_guide_commands(tmp_path: Path) -> None:
    repo = tmp_path / "kho"
    env = sample_repository(repo)
    done = run_guide("tham-dinh.md", repo, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Dữ liệu mẫu" in done.stdout  # the log of the unit's folder


def test_district_guide_commands(tmp_path: Path) -> None:
    repo = tmp_path / "kho"
    env = sample_repository(repo)
    done = run_guide("huyen.md", repo, env)
    assert done.returncode == 0, done.stdout + done.stderr
    for tier in ("commune", "district"):
        imported = loader.load_cycle(loader.FolderTree(repo), "2021").criteria[tier]
        original = loader.load_cycle(loader.FolderTree(repo), "2020").criteria[tier]
        assert list(imported.nodes) == list(original.nodes)
        assert (repo / f"schemas/2021/{tier}.schema.json").is_file()
    assert sorted(p.name for p in (repo / "xuat-ban").iterdir()) == [
        "chi-so-cchc-2020.xlsx",
        "ket-qua-2020.csv",
        "ket-qua-2020.json",
        "tieu-chi-2020.csv",
        "tong-hop-2020.csv",
    ]
    assert (repo / "site" / "index.html").is_file()
    assert (repo / "submissions/2021/xa-ban-bo/scorecard.yaml").is_file()


# --- pre-commit ----------------------------------------------------------------------------


def hooks(path: Path) -> list[dict[str, object]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, list):
        return data
    return [hook for repo in data["repos"] for hook in repo["hooks"] if repo["repo"] == "local"]


def test_pre_commit_files_are_valid_for_pre_commit() -> None:
    pre_commit = shutil.which("pre-commit", path=str(ROOT / ".venv/bin")) or shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    for command in (
        ["validate-manifest", ".pre-commit-hooks.yaml"],
        ["validate-config", ".pre-commit-config.yaml"],
    ):
        done = subprocess.run([pre_commit, *command], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    ids = [hook["id"] for hook in hooks(ROOT / ".pre-commit-hooks.yaml")]
    assert ids == ["par-validate", "par-schema-check"]
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [r["repo"] for r in config["repos"]] == ["https://github.com/astral-sh/ruff-pre-commit", "local"]
    assert [h["id"] for h in hooks(ROOT / ".pre-commit-config.yaml")] == ids


@pytest.mark.parametrize("file", [".pre-commit-hooks.yaml", ".pre-commit-config.yaml"])
def test_hook_commands_pass_on_good_data_and_stop_bad_data(file: str, tmp_path: Path) -> None:
    """Each hook's entry, run as pre-commit would (from the repository root), exits 0 on a clean
    repository and 1 when a scorecard has an error or the schemas are stale."""
    venv = ROOT / ".venv" / "bin"
    good = materialize(None, tmp_path / "good")
    bad = materialize(next(c for c in case_dirs("invalid") if c.name == "score-above-max"), tmp_path / "bad")
    for repo in (good, bad):
        (repo / ".venv").symlink_to(ROOT / ".venv")
    subprocess.run(
        [str(venv / "python"), "-m", "builder", "schema"], cwd=good, check=True, capture_output=True
    )
    for hook in hooks(ROOT / file):
        entry = str(hook["entry"]).replace("par-builder", str(venv / "par-builder"))
        assert hook["pass_filenames"] is False
        ok = subprocess.run(entry, shell=True, cwd=good, capture_output=True, text=True)
        assert ok.returncode == 0, (hook["id"], ok.stdout, ok.stderr)
        failed = subprocess.run(entry, shell=True, cwd=bad, capture_output=True, text=True)
        assert failed.returncode == 1, (hook["id"], failed.stdout, failed.stderr)


def test_the_site_publishes_the_guides(tmp_path: Path) -> None:
    from builder.site.build import copy_guides
    from builder.site.text import environment
    from builder.site.writer import Writer

    nav = copy_guides(ROOT, Writer(tmp_path, environment([])))
    assert nav == [
        {
            "Hướng dẫn": [
                {"Hướng dẫn sử dụng": "huong-dan/index.md"},
                {"Hướng dẫn cho đơn vị": "huong-dan/don-vi.md"},
                {"Hướng dẫn cho huyện": "huong-dan/huyen.md"},
                {"Giải thích các mã lỗi": "huong-dan/ma-loi.md"},
                {"Hướng dẫn cho Hội đồng thẩm định": "huong-dan/tham-dinh.md"},
            ]
        }
    ]
    for guide in guide_files():
        assert (tmp_path / "huong-dan" / guide.name).read_text(encoding="utf-8") == guide.read_text(
            encoding="utf-8"
        )


# --- the README's commune path on a fresh clone --------------------------------------------


def readme_commune_commands() -> list[str]:
    """The bash blocks of the README's section for units, in order (indented under list items)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Dành cho đơn vị", 1)[1].split("\n## ", 1)[0]
    return [m.group(1) for m in re.finditer(r"```bash\n(.*?)\n\s*```", section, re.S)]


def test_readme_commune_path_runs_as_written_on_a_fresh_clone(tmp_path: Path) -> None:
    commands = readme_commune_commands()
    assert any(" new " in c for c in commands) and any(" validate" in c for c in commands)
    repo = tmp_path / "kho"
    env = sample_repository(repo)  # nothing removed: the sample as a clone has it
    script = "set -euo pipefail\n" + "\n".join(textwrap_dedent(c) for c in commands)
    done = subprocess.run(
        ["bash", "-c", script], cwd=repo, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Đã tạo submissions/2019/xa-nung-nang/scorecard.yaml" in done.stdout


def textwrap_dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text)


def test_make_test_says_why_browser_tests_were_skipped() -> None:
    from types import SimpleNamespace

    from conftest import browser_skip_note

    skipped = [
        SimpleNamespace(
            nodeid="tests/browser/test_phone.py::test_x",
            longrepr=("f", 1, "Skipped: no /usr/bin/chromium: apt-get install -y chromium"),
        ),
        SimpleNamespace(nodeid="tests/test_schema.py::test_editor", longrepr=("f", 1, "Skipped: node")),
    ]
    note = browser_skip_note(skipped)
    assert note is not None and note.startswith("1 browser tests skipped (no /usr/bin/chromium")
    assert "apt-get install -y chromium poppler-utils" in note
    assert browser_skip_note(skipped[1:]) is None
