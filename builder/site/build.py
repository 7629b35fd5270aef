"""Site stage, the build: every cycle's pages and data files into build/docs, then MkDocs's configuration.

`render_site` gathers the page writers (`cycle_pages`, `unit_pages`, `field_pages`), which write
through a `writer.Writer`; `mkdocs` runs the engine. Nothing here calls back the other way.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from builder.load.cycle import Tree
from builder.problems import UsageError
from builder.site import cycle_pages, field_pages, unit_pages
from builder.site.district import merge_district, read_district
from builder.site.engine import mkdocs_config
from builder.site.provenance import footer_text, provenance_files
from builder.site.publish import LOCK
from builder.site.text import environment, slug
from builder.site.writer import SiteCycle, Writer, template_dirs

BUILD_MARKER = ".par-build"


def check_build_dir(build: Path) -> None:
    """Refuse a non-empty folder we did not make (our lock file alone does not count)."""
    if (
        build.is_dir()
        and not (build / BUILD_MARKER).exists()
        and any(p.name != LOCK for p in build.iterdir())
    ):
        raise UsageError(
            f"{build} không trống và không phải thư mục dựng trang trước đó; "
            "hãy chọn thư mục khác (--build-dir)"
        )


def prepare_build_dir(build: Path) -> None:
    """Clear a previous build folder's configuration and theme overrides, keeping docs/ (its
    unchanged files keep their mtimes: the incremental build); refuse a non-empty folder we
    did not make."""
    check_build_dir(build)
    for name in ("overrides", "mkdocs.yml"):
        target = build / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    build.mkdir(parents=True, exist_ok=True)
    (build / BUILD_MARKER).write_text("thư mục do python -m builder build tạo ra\n", encoding="utf-8")


def check_site_dir(site: Path) -> None:
    """MkDocs empties site_dir: refuse a non-empty folder that is not a previous site."""
    if site.exists() and any(site.iterdir()) and not (site / "index.html").exists():
        raise UsageError(
            f"{site} không trống và không phải trang đã dựng trước đó; hãy chọn thư mục khác (--out)"
        )


@dataclass(frozen=True)
class Rendered:
    """What `render` wrote: the MkDocs configuration and every docs/ file with its SHA-256."""

    config: Path
    files: dict[str, str] = field(default_factory=dict)


def render_site(cycles: list[SiteCycle], tree: Tree, root: Path, build: Path, site: Path) -> Path:
    """Write every page and data file of every cycle and the MkDocs configuration; return the
    configuration's path (`render` also says which files were written)."""
    return render(cycles, tree, root, build, site).config


def render(cycles: list[SiteCycle], tree: Tree, root: Path, build: Path, site: Path) -> Rendered:
    """Write every page and data file of every cycle (oldest first in `cycles`) and the
    MkDocs configuration; files of an earlier run that this one did not write are removed."""
    dirs = template_dirs(root)
    check_site_dir(site)
    prepare_build_dir(build)
    docs = build / "docs"
    writer = Writer(docs, environment(dirs))
    district = read_district(root)
    forge = district.get("repo_url")
    if isinstance(forge, str) and forge.strip():
        cycles = [replace(c, repo_url=forge.strip()) for c in cycles]
    guide = root / "docs" / "guides" / "ma-loi.md"  # the officers' guide to problem codes
    writer.env.globals["codes_guide"] = "huong-dan/ma-loi.md" if guide.is_file() else None
    newest_first = list(reversed(cycles))
    for d in dirs[::-1]:  # ours first, then the district's on top
        if (d / "assets").is_dir():
            copy_tree(writer, d / "assets", "assets/")
        if (d / "overrides").is_dir():
            shutil.copytree(d / "overrides", build / "overrides", dirs_exist_ok=True)
    previous: SiteCycle | None = None
    for cycle in cycles:
        base = f"{slug(cycle.data.cycle)}/"
        cycle_pages.write_cycle(writer, base, cycle, previous)
        unit_pages.write_units(writer, base, cycle, previous, tree)
        field_pages.write_fields(writer, base, cycle)
        previous = cycle
    cycle_pages.write_home(writer, newest_first, cycles)
    # the data's version changes with every commit: in an asset, so that pages stay the same
    for name, content in provenance_files(footer_text(newest_first)).items():
        writer.text(name, content)
    config = mkdocs_config(newest_first, build, site)
    config["nav"] += copy_guides(root, writer)
    if (root / "site_pages").is_dir():  # the district's own pages and images
        copy_tree(writer, root / "site_pages", "")
    writer.prune()
    config = merge_district(config, district)
    path = build / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Rendered(path, dict(writer.written))


def copy_tree(writer: Writer, source: Path, prefix: str) -> None:
    """Copy a folder's files into docs/ through the writer (unchanged files keep their mtime)."""
    for f in sorted(p for p in source.rglob("*") if p.is_file()):
        writer.bytes(f"{prefix}{f.relative_to(source).as_posix()}", f.read_bytes())


def copy_guides(root: Path, writer: Writer) -> list[Any]:
    """The how-to guides (docs/guides/*.md, trusted repository text) as the site's "Hướng dẫn"
    section; [] when there are none."""
    guides = sorted((root / "docs" / "guides").glob("*.md"), key=lambda p: (p.name != "index.md", p.name))
    entries = []
    for guide in guides:
        text = guide.read_text(encoding="utf-8")
        writer.text(f"huong-dan/{guide.name}", text)
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), guide.stem)
        entries.append({title.split(":")[0]: f"huong-dan/{guide.name}"})
    return [{"Hướng dẫn": entries}] if entries else []
