"""Faults of `build` (issue 10): interrupted at named points (PAR_FAULT_PAUSE), the previous
site stays byte for byte and the next build just works; one build at a time (a lock)."""

from __future__ import annotations

import errno
import os
import signal
from pathlib import Path

import pytest

from casekit import materialize
from conftest import paused_build, run_cli

POINTS = ["render", "mkdocs-pages", "mkdocs-done", "swap"]


def _snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _leftovers(repo: Path) -> list[str]:
    return sorted(p.name for p in repo.iterdir() if p.name.startswith("site."))


@pytest.fixture
def built(tmp_path: Path) -> Path:
    repo = materialize(None, tmp_path / "r")
    assert run_cli("build", "--root", str(repo)).code == 0
    config = repo / "criteria/2019/assessment.yaml"
    text = config.read_text(encoding="utf-8")  # the next build would publish another name
    config.write_text(text.replace("UBND xã An Bình", "UBND xã An Bình Mới"), encoding="utf-8")
    return repo


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_an_interrupted_build_keeps_the_previous_site(built: Path, sig: signal.Signals) -> None:
    before = _snapshot(built / "site")
    assert "index.html" in before
    for point in POINTS:
        proc = paused_build(built, point)
        proc.send_signal(sig)
        assert proc.wait(timeout=60) != 0
        assert proc.stderr is not None
        err = proc.stderr.read()
        assert "Traceback" not in err, err
        if sig == signal.SIGKILL and point == "swap":  # killed between the two renames
            assert not (built / "site").exists()
            assert _snapshot(built / f"site.old-{proc.pid}") == before
            continue  # the next build puts it back before anything else
        assert _snapshot(built / "site") == before, point
        if sig == signal.SIGINT:
            assert "Đã dừng theo yêu cầu (Ctrl+C)" in err
            assert _leftovers(built) == []
    result = run_cli("build", "--root", str(built))
    assert result.code == 0, result.err
    assert _leftovers(built) == []
    assert "UBND xã An Bình Mới" in (built / "site/2019/index.html").read_text(encoding="utf-8")


def test_a_second_build_while_one_runs_is_refused(built: Path) -> None:
    before = _snapshot(built / "site")
    proc = paused_build(built, "mkdocs-pages")
    try:
        second = run_cli("build", "--root", str(built))
        assert second.code == 2
        assert "một lệnh dựng trang khác đang chạy" in second.err and ".par-build.lock" in second.err
        assert _snapshot(built / "site") == before
    finally:
        proc.kill()
        proc.wait(timeout=60)
    assert run_cli("build", "--root", str(built)).code == 0  # the lock died with its process
    assert _leftovers(built) == []


def test_a_failed_mkdocs_run_keeps_the_previous_site(built: Path) -> None:
    before = _snapshot(built / "site")
    (built / "site_pages").mkdir()  # a district page with a broken link: MkDocs (strict) fails
    (built / "site_pages/gioi-thieu.md").write_text("[x](khong-co-trang-nay.md)\n", encoding="utf-8")
    result = run_cli("build", "--root", str(built))
    assert result.code == 2 and "trang web cũ được giữ nguyên" in result.err, result.err
    assert _snapshot(built / "site") == before
    assert _leftovers(built) == []


def test_a_read_only_output_folder_is_a_message(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _snapshot(built / "site")

    def read_only(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))

    monkeypatch.setattr(Path, "rename", read_only)
    result = run_cli("build", "--root", str(built))
    assert result.code == 2 and "Traceback" not in result.err
    assert "chỉ đọc" in result.err and str(built / "site") in result.err, result.err
    monkeypatch.undo()
    assert _snapshot(built / "site") == before
    assert _leftovers(built) == []
