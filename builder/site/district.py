"""Site stage: the district's own `mkdocs.yml` at the repository's root, merged over what we generate.

The district edits its site there the MkDocs way: `site_name`, `site_url`, `copyright` (shown
before our provenance line), `repo_url`, `theme` (palette, logo, favicon, icon, features),
`extra`, `extra_css` / `extra_javascript`, `markdown_extensions`, and `nav` entries for its own
pages, kept in `site_pages/` (trusted Markdown, copied beside the generated pages). The same
file runs the generated pages as an MkDocs hook (`builder/site/hook.py`), so `mkdocs build`
and `mkdocs serve` work at the root too.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from builder.problems import UsageError

# What we generate and must keep: the pages' folder, the output, plugins we rely on, validation.
OURS = {"docs_dir", "site_dir", "use_directory_urls", "plugins", "validation", "not_in_nav", "hooks", "watch"}
APPENDED = ("extra_css", "extra_javascript", "markdown_extensions")
THEME_KEYS = ("palette", "logo", "favicon", "icon", "features", "font")


class _Lenient(yaml.SafeLoader):
    """MkDocs configurations use tags (`!ENV`, `!!python/name:`); here they are only text."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_Lenient.add_multi_constructor("!", _any_tag)
_Lenient.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def read_district(root: Path) -> dict[str, Any]:
    """The district's settings from `<root>/mkdocs.yml` ({} when there is none); a usage error
    (exit 2) naming the line when the file is not YAML."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        return {}
    try:
        found = yaml.load(path.read_text(encoding="utf-8"), Loader=_Lenient)  # noqa: S506 (safe subclass)
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        mark = getattr(err, "problem_mark", None)
        where = f"mkdocs.yml:{mark.line + 1}:{mark.column + 1}" if mark else "mkdocs.yml"
        raise UsageError(f"{where}: tệp cấu hình trang web của huyện không đọc được ({err})") from err
    if not isinstance(found, dict):
        raise UsageError("mkdocs.yml: tệp cấu hình trang web của huyện phải là một bảng khóa: giá trị")
    return found


def merge_district(generated: dict[str, Any], district: dict[str, Any]) -> dict[str, Any]:
    """Our configuration with the district's settings on top (ours win where the site needs them)."""
    merged = dict(generated)
    for key, value in district.items():
        if key in OURS or key == "theme" or key in APPENDED or key == "nav":
            continue
        if key == "copyright" and value:
            merged["copyright"] = f"{value} · {generated.get('copyright', '')}".strip(" ·")
        elif key == "extra" and isinstance(value, dict):
            merged["extra"] = {**generated.get("extra", {}), **value}
        else:
            merged[key] = value
    theme = district.get("theme")
    if isinstance(theme, dict):
        ours = dict(generated["theme"])
        for key in THEME_KEYS:
            if key == "features" and isinstance(theme.get(key), list):
                ours[key] = list(dict.fromkeys([*ours.get(key, []), *theme[key]]))
            elif key in theme:
                ours[key] = theme[key]
        merged["theme"] = ours
    for key in APPENDED:
        extra = district.get(key)
        if isinstance(extra, list):
            names = [e for e in extra if e not in merged.get(key, [])]
            merged[key] = [*merged.get(key, []), *names]
    nav = district.get("nav")
    if isinstance(nav, list):
        merged["nav"] = [*generated["nav"], *nav]
    return merged


def copy_district_pages(root: Path, docs: Path) -> None:
    """The district's own pages (`site_pages/`) and images, beside the generated ones."""
    pages = root / "site_pages"
    if pages.is_dir():
        shutil.copytree(pages, docs, dirs_exist_ok=True)
