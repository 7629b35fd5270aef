"""Site stage: the MkDocs hook named in the root `mkdocs.yml`, so `mkdocs build` and `mkdocs serve`
at the repository's root generate the pages first, exactly as `python -m builder build` does.

Under `mkdocs serve` the pages are generated again only when the data changed (a fingerprint of
the input files), so writing them does not start another rebuild for ever.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from builder.load.cycle import FolderTree
from builder.problems import UsageError
from builder.site import incremental
from builder.site.build import render_site
from builder.site.gather import gather_cycles
from builder.site.html_blocks import (
    on_page_content,
    on_page_context,
    on_page_markdown,
    on_post_build,
    on_post_page,
)

INPUTS = (
    "criteria",
    "submissions",
    "appraisals",
    "site_templates",
    "site_pages",
    "docs/guides",
    "mkdocs.yml",
)
FINGERPRINT = ".par-inputs"
# MkDocs reads a hook's events off the module: ours keep the HTML tables out of Python-Markdown
# here too (builder/site/html_blocks.py), as in the generated configuration's `hooks:`.
__all__ = [
    "on_config",
    "on_page_content",
    "on_page_context",
    "on_page_markdown",
    "on_post_build",
    "on_post_page",
    "on_startup",
]
_state = {"command": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        path = root / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for f in files:
            st = f.stat()
            digest.update(f"{f.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def generate(root: Path, site: Path) -> Path:
    """Write the generated pages into <root>/build; the generated configuration's path."""
    build = root / "build"
    stamp = build / FINGERPRINT
    now = fingerprint(root)
    generated = build / "mkdocs.yml"
    if _state["command"] == "serve" and generated.is_file() and stamp.is_file() and stamp.read_text() == now:
        return generated
    tree = FolderTree(root)
    cycles, problems = gather_cycles(root, tree, None)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        lines = "\n".join(f"{p.path}:{p.line}:{p.col}: {p.level} [{p.code}] {p.message}" for p in errors[:20])
        raise UsageError(f"dữ liệu có {len(errors)} lỗi; sửa rồi dựng lại:\n{lines}")
    path = render_site(cycles, tree, root, build, site)
    incremental.forget(build)  # MkDocs itself writes site_dir now: no published site is described
    stamp.write_text(now)
    return path


def on_config(config: Any) -> Any:
    """Replace the root configuration's pages, navigation and theme by the generated ones,
    keeping the live object (`mkdocs serve` watches what it holds)."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError

    root = Path(config.config_file_path).resolve().parent
    try:
        path = generate(root, Path(config.site_dir))
    except UsageError as err:
        raise PluginError(f"Chỉ số CCHC: {err}") from err
    ours = load_config(config_file=str(path), site_dir=config.site_dir)
    for key in (
        "docs_dir",
        "nav",
        "not_in_nav",
        "theme",
        "extra",
        "extra_css",
        "extra_javascript",
        "copyright",
        "site_name",
        "use_directory_urls",
        "validation",
        "markdown_extensions",
        "mdx_configs",
    ):
        config[key] = ours[key]
    return config
