"""Site stage, the incremental build: can the published site be reused; the temp site seeded from it.

The build folder keeps `.par-site.json` next to docs/: the fingerprint of everything that
shapes every page (the generated MkDocs configuration without its `site_dir`, the theme
overrides, the versions of the builder and the engine) and the SHA-256 of each docs/ file the
published site was built from. It is removed just before a site is swapped in and written
again just after, so a build killed in between finds none and builds in full.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

STATE = ".par-site.json"
ENGINE_PACKAGES = (
    "par-index-builder",
    "mkdocs",
    "mkdocs-material",
    "Markdown",
    "Jinja2",
    "pymdown-extensions",
)
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
SEARCH_INDEX = "search/search_index.json"


@dataclass(frozen=True)
class Plan:
    """An incremental build: the outputs to remove from the copy of the published site before
    MkDocs runs (changed, new and removed sources), so MkDocs rebuilds or drops exactly those."""

    stale: tuple[str, ...]
    removed: tuple[str, ...]  # docs/ files of the published site that this run did not write


def _versions() -> str:
    out = []
    for name in ENGINE_PACKAGES:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return ";".join(out)


def fingerprint(build: Path) -> str:
    """What shapes every page: the configuration (not where it writes), the overrides, the versions."""
    digest = hashlib.sha256(_versions().encode())
    config = yaml.safe_load((build / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    config.pop("site_dir", None)  # the temp folder's name changes with every build
    digest.update(json.dumps(config, sort_keys=True, ensure_ascii=False, default=str).encode())
    overrides = build / "overrides"
    for f in sorted(p for p in overrides.rglob("*") if p.is_file()) if overrides.is_dir() else []:
        digest.update(f"\0{f.relative_to(overrides).as_posix()}\0".encode())
        digest.update(f.read_bytes())
    # our own engine code decides how MkDocs runs (and this module what is reused)
    for module in ("engine.py", "incremental.py", "html_blocks.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    return digest.hexdigest()


def output_of(path: str) -> str:
    """The site file MkDocs makes from a docs/ file (`use_directory_urls: false`)."""
    for suffix in MARKDOWN_SUFFIXES:
        if path.lower().endswith(suffix):
            return path[: -len(suffix)] + ".html"
    return path


def _nav_titled(nav: Any) -> bool:
    """Every navigation entry has its own title: a page MkDocs does not read again in a dirty
    build has no title of its own, and the other pages' menus would show it without one."""
    if isinstance(nav, list):
        return all(_nav_titled(item) for item in nav)
    if isinstance(nav, dict):
        return all(isinstance(v, str) or _nav_titled(v) for v in nav.values())
    return False


def _read_state(build: Path) -> dict[str, Any] | None:
    try:
        state = json.loads((build / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and isinstance(state.get("files"), dict) else None


def plan(build: Path, site: Path, files: dict[str, str]) -> tuple[Plan | None, str]:
    """An incremental plan, or None and why the build must be clean (any doubt is a clean build)."""
    state = _read_state(build)
    if state is None:
        return None, "chưa có trang đã dựng trước đó (hoặc lần dựng trước bị dừng giữa chừng)"
    if state.get("site") != str(site.resolve()):
        return None, "thư mục trang web khác lần dựng trước"
    if not (site / "index.html").is_file() or not (site / SEARCH_INDEX).is_file():
        return None, "trang web đã dựng không còn đầy đủ"
    if state.get("fingerprint") != fingerprint(build):
        return None, "cấu hình, giao diện hoặc phiên bản công cụ đã thay đổi"
    config = yaml.safe_load((build / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    if not _nav_titled(config.get("nav", [])):
        return None, "thanh điều hướng có trang không ghi tiêu đề"
    if any(Path(p).stem.lower() == "readme" for p in files):  # MkDocs may make it an index.html
        return None, "có trang README"
    previous: dict[str, str] = state["files"]
    changed = [p for p, sha in files.items() if previous.get(p) != sha]
    removed = [p for p in previous if p not in files]
    stale = sorted({output_of(p) for p in changed + removed})
    return Plan(tuple(stale), tuple(sorted(removed))), ""


def seed(site: Path, tmp: Path, p: Plan) -> None:
    """The temp site starts as a copy of the published one, mtimes kept (MkDocs' dirty rule
    compares them). Copies, not hard links: MkDocs writes its outputs in place (open "wb"),
    which through a link would change the published site before the swap."""
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.copytree(site, tmp, symlinks=True, copy_function=shutil.copy2)
    root = tmp.resolve()
    for out in p.stale:
        target = (tmp / out).resolve()
        if target.is_relative_to(root) and target != root:
            target.unlink(missing_ok=True)
    _drop_empty_dirs(tmp)


def _drop_empty_dirs(top: Path) -> None:
    dirs = [p for p in top.rglob("*") if p.is_dir() and not p.is_symlink()]
    for d in sorted(dirs, key=lambda p: -len(p.parts)):
        if not any(d.iterdir()):
            d.rmdir()


def forget(build: Path) -> None:
    """No published site is described any more (a swap is about to happen, or another tool wrote it)."""
    (build / STATE).unlink(missing_ok=True)


def remember(build: Path, site: Path, files: dict[str, str]) -> None:
    """The published site and the sources it was built from (written whole, then renamed)."""
    state = {"fingerprint": fingerprint(build), "site": str(site.resolve()), "files": files}
    tmp = build / f"{STATE}.tmp"
    tmp.write_text(json.dumps(state, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, build / STATE)
