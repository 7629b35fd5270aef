"""Links stage, the results file `links/<cycle>.yaml`: states per URL, the grace rule, atomic writes."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from builder.links.probe import Outcome, State
from builder.load.cycle import Tree
from builder.model import CycleData, Loc

FOLDER = "links"
GRACE = timedelta(days=1)  # broken only after failing on two runs at least this far apart
STATES = ("ok", "broken", "unverifiable")
# reasons that make a link broken once the grace has passed (until then: "đang theo dõi")
BROKEN_REASONS = ("http-404", "http-410", "no-such-host", "redirect-loop", "too-many-redirects")
MAX_BYTES = 20 * 1024 * 1024
HEADER = (
    "# Trạng thái đường dẫn tài liệu kiểm chứng của kỳ {cycle}: ghi bởi `python -m builder links`\n"
    "# (quy trình kiểm tra hằng tuần); không sửa tay. Xem docs/links.md.\n"
)


def path_of(cycle: str) -> str:
    return f"{FOLDER}/{cycle}.yaml"


@dataclass(frozen=True)
class LinkRecord:
    """One URL as the results file keeps it."""

    url: str
    state: State
    status: int | None
    checked_at: datetime
    first_failure: datetime | None
    reason: str
    units: tuple[str, ...] = ()

    @property
    def watching(self) -> bool:
        """Failed as a broken link would, but not yet on two runs a day apart."""
        return self.state == "unverifiable" and self.reason in BROKEN_REASONS


def cycle_urls(data: CycleData) -> dict[str, list[tuple[str, Loc]]]:
    """Every http(s) evidence URL of a cycle → the units (and places) that give it."""
    found: dict[str, list[tuple[str, Loc]]] = {}
    for uid, card in sorted(data.scorecards.items()):
        for score in card.scores.values():
            for item in score.evidence:
                url = (item.url or "").strip()
                if url.lower().startswith(("http://", "https://")):
                    found.setdefault(url, []).append((uid, item.loc))
    return found


def merge(
    previous: Mapping[str, LinkRecord],
    outcomes: Mapping[str, Outcome],
    now: datetime,
    units: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, LinkRecord]:
    """This run's outcomes with the grace rule applied against the previous run's records:
    a failure keeps the date of the first failure; a link is broken only when it fails as a
    broken link now and had already failed at least GRACE before."""
    out: dict[str, LinkRecord] = {}
    for url, o in sorted(outcomes.items()):
        prev = previous.get(url)
        who = tuple(sorted(set((units or {}).get(url, prev.units if prev else ()))))
        if o.state == "ok":
            out[url] = LinkRecord(url, "ok", o.status, now, None, o.reason, who)
            continue
        first = prev.first_failure if prev is not None and prev.first_failure is not None else now
        state: State = "unverifiable"
        if o.state == "broken" and now - first >= GRACE:
            state = "broken"
        out[url] = LinkRecord(url, state, o.status, now, first, o.reason, who)
    return out


def _time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _stamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(text: bytes | str | None) -> dict[str, LinkRecord] | None:
    """The records of a results file; {} when there is none, None when it cannot be read."""
    if text is None:
        return {}
    if len(text) > MAX_BYTES:
        return None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not isinstance(raw.get("links", []), list):
        return None
    found: dict[str, LinkRecord] = {}
    for entry in raw.get("links") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            continue
        state = entry.get("state")
        checked = _time(entry.get("checked_at"))
        if state not in STATES or checked is None:
            continue
        status = entry.get("status")
        units = entry.get("units") or []
        found[entry["url"]] = LinkRecord(
            entry["url"],
            state,
            status if isinstance(status, int) and not isinstance(status, bool) else None,
            checked,
            _time(entry.get("first_failure")),
            str(entry.get("reason") or ""),
            tuple(str(u) for u in units) if isinstance(units, list) else (),
        )
    return found


def read(tree: Tree, cycle: str) -> dict[str, LinkRecord]:
    """The cycle's committed results, read offline through a Tree ({} when absent or unreadable)."""
    return parse(tree.read_bytes(path_of(cycle))) or {}


def dumps(cycle: str, records: Mapping[str, LinkRecord]) -> str:
    """The results file: sorted by URL, one block per URL, stable from run to run."""
    rows = []
    for url in sorted(records):
        rec = records[url]
        rows.append(
            {
                "url": rec.url,
                "state": rec.state,
                "status": rec.status,
                "reason": rec.reason,
                "checked_at": _stamp(rec.checked_at),
                "first_failure": _stamp(rec.first_failure),
                "units": list(rec.units),
            }
        )
    body = yaml.safe_dump({"cycle": cycle, "links": rows}, allow_unicode=True, sort_keys=False, width=100_000)
    return HEADER.format(cycle=cycle) + body


def write(root: Path, cycle: str, records: Mapping[str, LinkRecord]) -> Path:
    """Write the results file atomically (a temporary file next to it, then os.replace)."""
    target = root / path_of(cycle)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(dumps(cycle, records))
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
