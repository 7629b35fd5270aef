"""Links stage, for `check`: broken links (by the committed results) that a pull request adds."""

from __future__ import annotations

from pathlib import Path

from builder.git.repo import GitTree, open_tree
from builder.links import store
from builder.links.site import reason_text, vdate
from builder.load.cycle import YAML_SUFFIXES
from builder.load.parse import parse_scorecard
from builder.load.reader import Reader
from builder.load.yamlfile import read_yaml
from builder.model import Loc, Problem
from builder.problems import problem


def file_urls(tree: GitTree, path: str) -> dict[str, Loc]:
    """The evidence URLs of one scorecard file at a commit, with where each is written."""
    data = tree.read_bytes(path)
    root = read_yaml(Path("."), path, data).root if data is not None else None
    part = parse_scorecard(Reader(path), root) if root is not None else None
    found: dict[str, Loc] = {}
    for score in part.scores if part is not None else ():
        for item in score.evidence:
            if item.url and item.url.strip() not in found:
                found[item.url.strip()] = item.loc
    return found


def added_links(root: Path, base_rev: str, head_rev: str, touched: list[str]) -> tuple[list[Problem], int]:
    """evidence-link-broken for each URL a touched scorecard gains that the base branch's
    results file (a pull request cannot edit what judges it) records as broken; and how many
    added URLs no run of `links` has checked yet."""
    base, head = open_tree(root, base_rev), open_tree(root, head_rev)
    problems: list[Problem] = []
    unchecked = 0
    results: dict[str, dict[str, store.LinkRecord]] = {}
    for path in touched:
        parts = path.split("/")
        if len(parts) < 4 or parts[0] != "submissions" or not path.endswith(YAML_SUFFIXES):
            continue
        cycle = parts[1]
        if cycle not in results:
            results[cycle] = store.read(base, cycle)
        before = set(file_urls(base, path))
        for url, loc in file_urls(head, path).items():
            if url in before:
                continue
            rec = results[cycle].get(url)
            if rec is None:
                unchecked += url.lower().startswith(("http://", "https://"))
            elif rec.state == "broken":
                when = vdate(rec.checked_at)
                problems.append(
                    problem("evidence-link-broken", loc, url=url, reason=reason_text(rec.reason), date=when)
                )
    return problems, unchecked
