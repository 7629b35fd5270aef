"""The check's result cache (builder/git/result_cache.py): the same output with or without it,
byte for byte; untouched units read once at most; any doubtful entry recomputed; a git dir that
cannot be written means no cache, never a traceback; a poisoned entry bends only a run that uses it."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from gitkit import FULL, GitRepo, appraisal, base_repo, isolate_git, scorecard  # noqa: F401

from builder.git import result_cache
from builder.git.check import run_check
from builder.git.repo import GitTree
from conftest import run_cli

CARD = "submissions/2019/{}/scorecard.yaml"
UNITS = [f"xa-{i:02d}" for i in range(12)]  # even: 'Cụm 1', odd: 'Cụm 2'
REVIEWERS = (
    '  - {id: noi-vu, name: "Phòng Nội vụ", criteria: ["1", "2"], owners: ["@noi-vu"]}\n'
    '  - {id: tai-chinh, name: "Phòng Tài chính", criteria: ["2"], owners: ["@tai-chinh"]}\n'
)
OTHERS = ["xa-04", "xa-06", "xa-08", "xa-10"]  # Cụm 1 but xa-00 (touched) and xa-02 (appraised)


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("PAR_NO_CACHE", raising=False)


def groups_repo(tmp_path: Path) -> GitRepo:
    """12 units in two groups, an appraisal on the base; the PR changes xa-00 (Cụm 1), xa-01
    (Cụm 2) and the appraisal (now also scoring xa-05), so both groups rank touched units."""
    repo = base_repo(tmp_path / "repo", UNITS, reviewers=REVIEWERS)
    for i, unit in enumerate(UNITS):
        repo.write(CARD.format(unit), scorecard(unit, dict(FULL, **{"2.1": str(i % 5)})))
    repo.write("appraisals/2019/noi-vu.yaml", appraisal([], '  xa-02:\n    "1.1": {points: 1}'))
    repo.commit("2020-01-15T08:00:00+07:00", "Các đơn vị nộp phiếu")
    repo.git("checkout", "-q", "-b", "pr")
    repo.write(CARD.format("xa-00"), scorecard("xa-00", FULL))  # 2.1: 0 → 4: rank 5 → 1
    repo.write(CARD.format("xa-01"), scorecard("xa-01", dict(FULL, **{"2.1": "0"})))
    scores = '  xa-02:\n    "1.1": {points: 1}\n  xa-05:\n    "1.2": {points: 1, comment: "Thiếu"}'
    repo.write("appraisals/2019/noi-vu.yaml", appraisal([], scores))
    repo.commit("2020-01-16T08:00:00+07:00")
    return repo


def outputs(repo: GitRepo, *extra: str) -> str:
    """Everything check prints, in two formats, with the exit codes."""
    found = []
    for fmt in ("json", "text"):
        run = run_cli("check", "--root", str(repo.path), "--base", "main", "--format", fmt, *extra)
        found.append(f"{run.code}\n{run.out}\n{run.err}")
    return "\n".join(found)


def entries(repo: GitRepo) -> list[Path]:
    return sorted((repo.path / ".git/par-cache/v1").glob("*/*.json"))


def test_same_output_cold_warm_and_without_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = groups_repo(tmp_path)
    cold = outputs(repo)
    assert len(entries(repo)) == 8  # the units of both groups the PR does not touch nor appraise
    warm = run_check(repo.path, "main")
    assert warm.cached == 8 and warm.loaded == run_check(repo.path, "main", use_cache=False).loaded
    assert outputs(repo) == cold  # warm
    assert outputs(repo, "--no-cache") == cold
    monkeypatch.setenv("PAR_NO_CACHE", "1")
    assert run_check(repo.path, "main").cached == 0
    assert outputs(repo) == cold
    assert '"rank": 1' in cold and "5 → **1**" in cold  # the ranks come from the group
    assert not (repo.path / "par-cache").exists() and repo.git("status", "--porcelain") == ""


def test_untouched_units_are_read_once_at_most(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = groups_repo(tmp_path)
    reads: list[str] = []
    original = GitTree.read_bytes

    def spy(self: GitTree, relpath: str) -> bytes | None:
        reads.append(relpath)
        return original(self, relpath)

    monkeypatch.setattr(GitTree, "read_bytes", spy)
    run_check(repo.path, "main")  # cold: every other unit of the groups once, at head
    assert all(reads.count(CARD.format(u)) == 1 for u in OTHERS)
    reads.clear()
    run_check(repo.path, "main")  # warm: not at all
    assert not any(CARD.format(u) in reads for u in OTHERS)
    assert reads.count(CARD.format("xa-00")) == 2  # the touched unit, at head and at base


def test_a_changed_neighbour_or_its_appraisal_is_recomputed(tmp_path: Path) -> None:
    """Keys follow content: after main moves (a neighbour's scorecard, then an appraisal that
    scores a neighbour), the warm run ranks as a cold one does."""
    repo = groups_repo(tmp_path)
    outputs(repo)
    repo.git("checkout", "-q", "main")
    repo.write(CARD.format("xa-06"), scorecard("xa-06", dict(FULL, **{"2.1": "5"})))  # now ahead of xa-00
    repo.commit("2020-01-17T08:00:00+07:00", "xa-06 sửa")
    repo.git("checkout", "-q", "pr")
    repo.merge("main", "2020-01-17T09:00:00+07:00")
    assert run_check(repo.path, "main").cached == 7  # xa-06 recomputed
    changed = outputs(repo)
    assert changed == outputs(repo, "--no-cache")
    repo.git("checkout", "-q", "main")
    scores = '  xa-04:\n    "2.1": {points: 0, comment: "Sai"}'
    repo.write("appraisals/2019/tai-chinh.yaml", appraisal([], scores).replace("noi-vu", "tai-chinh"))
    repo.commit("2020-01-18T08:00:00+07:00", "thẩm định xa-02", author="Phòng Nội vụ")
    repo.git("checkout", "-q", "pr")
    repo.merge("main", "2020-01-18T09:00:00+07:00")
    assert run_check(repo.path, "main").cached == 7  # xa-04 recomputed, the others still hit
    assert outputs(repo) == outputs(repo, "--no-cache") != changed


BAD_ENTRIES = {
    "truncated": lambda data, other: data[: len(data) // 2],
    "empty": lambda data, other: b"",
    "not-json": lambda data, other: b"\xff\xfe garbage",
    "another-units-entry": lambda data, other: other,  # its key inside does not match
    "old-schema": lambda data, other: data.replace(b'"schema": 1', b'"schema": 0'),
    "future-schema": lambda data, other: data.replace(b'"schema": 1', b'"schema": 2'),
    "list": lambda data, other: b"[1, 2, 3]",
    "status-unknown": lambda data, other: data.replace(b'"submitted"', b'"winner"'),
    "index-zero-denominator": lambda data, other: _edit(data, index=[1, 0]),
    "index-text": lambda data, other: _edit(data, index="100"),
    "index-huge": lambda data, other: _edit(data, index=[10**80, 1]),
    "index-bool": lambda data, other: _edit(data, index=[True, 1]),
    "total-nan": lambda data, other: _edit(data, final_total="NaN"),
    "total-number": lambda data, other: _edit(data, final_total=9.5),
    "class-object": lambda data, other: _edit(data, classification={"x": 1}),
    "field-missing": lambda data, other: _edit(data, status=None, drop="status"),
    "too-large": lambda data, other: data[:-1] + b"," + b" " * 20000 + b"}",
    "deeply-nested": lambda data, other: b"[" * 7000 + b"]" * 7000,
}


def _edit(data: bytes, drop: str | None = None, **values: object) -> bytes:
    entry = json.loads(data)
    entry.update(values)
    if drop:
        entry.pop(drop)
    return json.dumps(entry).encode()


@pytest.mark.parametrize("kind", sorted(BAD_ENTRIES))
def test_a_doubtful_entry_is_ignored_and_recomputed(tmp_path: Path, kind: str) -> None:
    repo = groups_repo(tmp_path)
    cold = outputs(repo)
    paths = entries(repo)
    datas = [p.read_bytes() for p in paths]
    for i, path in enumerate(paths):
        path.write_bytes(BAD_ENTRIES[kind](datas[i], datas[(i + 1) % len(datas)]))
    assert run_check(repo.path, "main").cached == 0  # all recomputed, and written again
    assert [p.read_bytes() for p in entries(repo)] == datas
    assert outputs(repo) == cold


@pytest.mark.parametrize("kind", ["directory", "fifo", "symlink-to-dev-zero", "dangling-symlink"])
def test_an_entry_that_is_not_a_file_is_ignored(tmp_path: Path, kind: str) -> None:
    repo = groups_repo(tmp_path)
    cold = outputs(repo)
    for path in entries(repo):
        path.unlink()
        if kind == "directory":
            path.mkdir()
        elif kind == "fifo":
            os.mkfifo(path)  # opening it for reading must not hang the check
        else:
            path.symlink_to("/dev/zero" if kind == "symlink-to-dev-zero" else tmp_path / "nowhere")
    assert outputs(repo) == cold


def test_a_cache_folder_redirected_by_a_symlink_is_not_used(tmp_path: Path) -> None:
    repo = groups_repo(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo.path / ".git/par-cache").symlink_to(elsewhere)
    cold = outputs(repo, "--no-cache")
    assert outputs(repo) == cold and list(elsewhere.iterdir()) == []
    (repo.path / ".git/par-cache").unlink()
    (repo.path / ".git/par-cache").write_text("not a folder")
    assert outputs(repo) == cold


def test_a_symlinked_entry_folder_is_neither_read_nor_written(tmp_path: Path) -> None:
    repo = groups_repo(tmp_path)
    cold = outputs(repo)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for folder in {p.parent for p in entries(repo)}:
        for entry in folder.iterdir():  # the real entries, moved where the symlink points
            entry.rename(elsewhere / entry.name)
        folder.rmdir()
        folder.symlink_to(elsewhere)
    before = sorted(elsewhere.iterdir())
    assert run_check(repo.path, "main").cached == 0
    assert outputs(repo) == cold and sorted(elsewhere.iterdir()) == before


def test_the_configuration_is_parsed_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A national registry takes a second to parse: the head's parse serves the base's
    configuration (same bytes) for `closed` and for ownership (--actor)."""
    from builder.git import ownership
    from builder.load import cycle as loader

    repo = groups_repo(tmp_path)
    ownership._PARSED.clear()
    calls: list[str] = []
    for module in (ownership, loader):
        original = module.parse_assessment

        def counted(*args: object, original: object = original) -> object:
            calls.append("parse")
            return original(*args)  # type: ignore[operator]

        monkeypatch.setattr(module, "parse_assessment", counted)
    run_check(repo.path, "main", actor="xa-00")
    assert calls == ["parse"]


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_full_or_read_only_git_dir_means_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int
) -> None:
    repo = groups_repo(tmp_path)
    cold = outputs(repo, "--no-cache")

    def fail(*args: object, **kwargs: object) -> object:
        raise OSError(error, os.strerror(error))

    with monkeypatch.context() as m:
        m.setattr(result_cache.os, "replace", fail)  # the disk fills between write and rename
        assert outputs(repo) == cold
    assert entries(repo) == [] and list((repo.path / ".git/par-cache/v1").glob("*/.tmp-*")) == []
    with monkeypatch.context() as m:
        m.setattr(result_cache.tempfile, "mkstemp", fail)
        assert outputs(repo) == cold
    with monkeypatch.context() as m:
        m.setattr(Path, "mkdir", fail)
        assert outputs(repo) == cold
    assert entries(repo) == []


def test_a_folder_with_a_symlink_is_never_cached(tmp_path: Path) -> None:
    """A symlink's blob is its target's name: the tree id does not change with what it points to."""
    repo = groups_repo(tmp_path)
    repo.git("checkout", "-q", "main")
    (repo.path / "shared.yaml").write_text("note: x\n", encoding="utf-8")
    (repo.path / "submissions/2019/xa-04/note.yaml").symlink_to("../../../shared.yaml")
    repo.commit("2020-01-15T09:00:00+07:00", "liên kết")
    repo.git("checkout", "-q", "pr")
    repo.merge("main", "2020-01-16T09:00:00+07:00")
    outputs(repo)
    assert len(entries(repo)) == 7  # xa-04 is read every time
    assert run_check(repo.path, "main").cached == 7


def test_a_poisoned_entry_bends_only_runs_that_use_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoever can write the git dir can plant a well-formed entry (the trust rule in
    docs/git-workflow.md): --no-cache, PAR_NO_CACHE=1 and other code ignore it."""
    repo = groups_repo(tmp_path)
    honest = outputs(repo)
    for path in entries(repo):
        entry = json.loads(path.read_bytes())
        if entry["index"] is not None:
            entry["index"] = [100, 1]  # every neighbour at 100: xa-00 would drop to last
        path.write_text(json.dumps(entry))
    assert outputs(repo) != honest  # the planted entries are used: a local speed-up only
    assert outputs(repo, "--no-cache") == honest
    monkeypatch.setenv("PAR_NO_CACHE", "1")
    assert outputs(repo) == honest
    monkeypatch.delenv("PAR_NO_CACHE")
    monkeypatch.setattr(result_cache, "code_hash", lambda: "another version of builder/")
    assert run_check(repo.path, "main").cached == 0
    assert outputs(repo) == honest


def test_the_code_hash_covers_the_builder_package() -> None:
    assert len(result_cache.code_hash()) == 64
    assert result_cache.code_hash() == result_cache.code_hash.__wrapped__()
