"""The editor snippets (.vscode/par.code-snippets): each expands, with its default values, into a
scorecard entry or evidence item that `validate` accepts without a problem."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import yaml

from conftest import ROOT, run_cli

SNIPPETS = ROOT / ".vscode" / "par.code-snippets"
UNIT = "xa-ban-bo"


def _expand(body: list[str]) -> str:
    """What VS Code inserts when every placeholder keeps its default: ${1:x} → x, $0 → ''."""
    text = "\n".join(body)
    text = re.sub(r"\$\{\d+:([^}]*)\}", r"\1", text)
    return re.sub(r"\$\d+", "", text)


def _snippets() -> dict[str, dict[str, object]]:
    return json.loads(SNIPPETS.read_text(encoding="utf-8"))


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for part in ("criteria", "submissions", "appraisals"):
        shutil.copytree(ROOT / part, root / part)
    return root


def _problems_of(root: Path, unit: str) -> list[str]:
    run = run_cli("validate", "--root", str(root), "--cycle", "2019", "--format", "json")
    found = json.loads(run.out)["problems"]
    return [f"{p['code']}: {p['message']}" for p in found if f"/{unit}/" in p["path"]]


def test_every_snippet_is_for_yaml_and_documented() -> None:
    guide = (ROOT / "docs/guides/don-vi.md").read_text(encoding="utf-8")
    for name, snippet in _snippets().items():
        assert snippet["scope"] == "yaml", name
        prefixes = snippet["prefix"]
        assert isinstance(prefixes, list)
        assert all(p.startswith(("tieu-chi", "tai-lieu", "par-")) for p in prefixes)
        assert f"`{prefixes[0]}`" in guide, f"docs/guides/don-vi.md does not name the snippet {prefixes[0]}"


def test_scored_criterion_snippets_give_entries_validate_accepts(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    card = root / "submissions/2019" / UNIT / "scorecard.yaml"
    assert _problems_of(root, UNIT) == []  # the sample unit is clean before
    entries = [s for s in _snippets().values() if str(s["body"][0]).startswith('"')]  # type: ignore[index]
    assert len(entries) == 2
    for snippet in entries:
        body = _expand(snippet["body"])  # type: ignore[arg-type]
        entry = yaml.safe_load(body)
        ((cid, value),) = entry.items()
        assert value["evidence"] and "points" in value
        data = yaml.safe_load(card.read_text(encoding="utf-8"))
        data["scores"][cid] = value  # the snippet replaces what the unit wrote for that criterion
        card.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        assert _problems_of(root, UNIT) == [], body


def test_evidence_snippets_give_items_validate_accepts(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    folder = root / "submissions/2019" / UNIT
    card = folder / "scorecard.yaml"
    items = [s for s in _snippets().values() if str(s["body"][0]).startswith("- ")]  # type: ignore[index]
    assert len(items) == 2
    for snippet in items:
        (item,) = yaml.safe_load(_expand(snippet["body"]))  # type: ignore[arg-type]
        if "file" in item:  # the file a unit cites must be in its folder
            (folder / item["file"]).parent.mkdir(parents=True, exist_ok=True)
            (folder / item["file"]).write_bytes(b"%PDF-1.4\n")
        data = yaml.safe_load(card.read_text(encoding="utf-8"))
        data["scores"]["1.2"]["evidence"].append(item)
        card.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        assert _problems_of(root, UNIT) == [], item
