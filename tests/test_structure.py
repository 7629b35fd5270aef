"""The architecture, pinned: stage folders, no import cycles, git only in git/, MkDocs only in site/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BUILDER = Path(__file__).resolve().parent.parent / "builder"

# The rooms of the pipeline, in order; a room may import only the rooms before it (and itself).
# The shared vocabulary (`model`, `results`, `problems`) and exact number formats (`numbers`) sit below all.
LAYERS = [
    {"builder.model", "builder.results", "builder.problems", "builder.progress"},
    {"builder.load"},
    {"builder.rules"},
    {"builder.score", "builder.numbers"},
    {"builder.git"},
    {"builder.links"},
    {"builder.office"},
    {"builder.site", "builder.editor"},
    {"builder.cli"},
]
MAX_LINES = 420  # "about 400": split by responsibility, not by line count


def module_name(path: Path, package: Path) -> str:
    rel = path.relative_to(package.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(package: Path) -> dict[str, Path]:
    return {module_name(p, package): p for p in sorted(package.rglob("*.py"))}


def imports(path: Path, name: str, known: set[str]) -> set[str]:
    """Modules of the package that `path` imports anywhere (top level or inside a function)."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join(here + ([base] if base else []))
            for alias in node.names:  # `from pkg import module` depends on the module
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    return found


def graph(package: Path) -> dict[str, set[str]]:
    mods = modules(package)
    known = set(mods)
    return {name: imports(path, name, known) for name, path in mods.items()}


def third_party(package: Path) -> dict[str, set[str]]:
    mods = modules(package)
    return {name: {i.split(".")[0] for i in imports(path, name, set(mods))} for name, path in mods.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle among the package's modules (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in edges.get(v, ()):
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def room(name: str) -> str:
    parts = name.split(".")
    return ".".join(parts[:2])


def layer_of(name: str) -> int:
    r = room(name)
    for i, rooms in enumerate(LAYERS):
        if r in rooms:
            return i
    raise AssertionError(f"{name} is in no room of the pipeline: add it to LAYERS or move it")


def test_builder_has_no_import_cycle() -> None:
    assert cycles(graph(BUILDER)) == []


def test_the_cycle_finder_sees_a_circle_in_a_tiny_fake_package(tmp_path: Path) -> None:
    pkg = tmp_path / "fake"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from fake.sub import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from ..a import x  # a lazy import is an edge too\n")
    (pkg / "c.py").write_text("from . import a\n")
    assert cycles(graph(pkg)) == [["fake.a", "fake.sub.b"]]
    (pkg / "sub" / "b.py").write_text("import os\n")
    assert cycles(graph(pkg)) == []


def test_every_module_lives_in_a_room_and_imports_only_rooms_before_it() -> None:
    wrong = []
    for name, deps in graph(BUILDER).items():
        if name in ("builder", "builder.__main__"):
            continue
        for dep in deps:
            if dep.startswith("builder") and dep != "builder" and layer_of(dep) > layer_of(name):
                wrong.append(f"{name} → {dep}")
    assert wrong == []


def test_only_git_imports_git_and_only_site_imports_mkdocs() -> None:
    libs = third_party(BUILDER)
    assert sorted(n for n, found in libs.items() if "git" in found and room(n) != "builder.git") == []
    assert sorted(n for n, found in libs.items() if "mkdocs" in found and room(n) != "builder.site") == []
    assert any("git" in found for found in libs.values())  # the check looks at real imports
    assert any("mkdocs" in found for found in libs.values())


@pytest.mark.parametrize("path", sorted(BUILDER.rglob("*.py")), ids=lambda p: str(p.relative_to(BUILDER)))
def test_module_is_small_and_says_its_role(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES, "split it by responsibility"
    doc = ast.get_docstring(ast.parse(text))
    assert doc and doc.strip(), "a one-line docstring says the module's role in the pipeline"
