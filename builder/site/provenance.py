"""Site stage, provenance: the data's version in the footer, every point linked to its line.

A published number is checkable by anyone: each self and appraised point on a unit page links
to its file and line at the data's commit on the district's forge (`repo_url` in the root
`mkdocs.yml`): GitHub `…/blob/<sha>/<path>#L<line>`, GitLab `…/-/blob/<sha>/<path>#L<line>`,
Gitea/Forgejo `…/src/commit/<sha>/<path>#L<line>`. Without a forge, or for a file changed since
that commit, the point carries its plain `path:line` instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from builder.model import Loc
from builder.site.text import md_text, pts_text, vdate, web_href
from builder.site.writer import SiteCycle


def blob_url(repo_url: str, sha: str, path: str, line: int) -> str | None:
    """The forge's page of `path` at `sha`, scrolled to `line`; None for a URL that is not http(s)."""
    base = web_href(repo_url.strip().rstrip("/"))
    if base is None:
        return None
    base = base.removesuffix(".git")
    host = (urlsplit(base).hostname or "").lower()
    where = f"{quote(sha, safe='')}/{quote(path, safe='/')}#L{int(line)}"
    if "gitlab" in host:
        return f"{base}/-/blob/{where}"
    if "gitea" in host or "codeberg" in host or "forgejo" in host:
        return f"{base}/src/commit/{where}"
    return f"{base}/blob/{where}"  # GitHub, and the default


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class Provenance:
    """Where the published data comes from: the forge, the commit, the files changed since."""

    repo_url: str | None
    sha: str | None
    uncommitted: tuple[str, ...] | None = None
    # scorecard file → the last commit that changed it (the history, oldest first): its lines
    # there are today's, and the link does not change with every later commit (so the page
    # is reused by the incremental build); other files (appraisals) link at `sha`
    last_change: dict[str, str] = field(default_factory=dict)

    def point(self, value: Decimal | None, loc: Loc | None) -> Markup:
        """A point as shown ("2,5"), linked to the line that states it (or with `path:line`)."""
        shown = pts_text(value)
        if value is None or loc is None:
            return shown
        where = md_text(f"{loc.path}:{loc.line}")
        changed = self.uncommitted is not None and loc.path in self.uncommitted
        sha = self.last_change.get(loc.path, self.sha)
        url = blob_url(self.repo_url, sha, loc.path, loc.line) if self.repo_url and sha else None
        if url is None or changed:
            return Markup(f'<span class="par-src" title="{where}" data-src="{where}">{shown}</span>')
        return Markup(f'<a class="par-src" href="{_attr(url)}" title="{where}">{shown}</a>')


def provenance(cycle: SiteCycle) -> Provenance:
    h = cycle.history
    last: dict[str, str] = {}
    frozen = cycle.data.assessment is not None and cycle.data.assessment.late_changes == "freeze"
    if h is not None and h.known and h.commit and not frozen:  # frozen data is not HEAD's state
        for unit in h.units.values():
            for change in unit.changes:  # oldest first: the last one wins
                for path in change.files:
                    last[path] = change.commit
    return Provenance(cycle.repo_url, h.commit if h is not None else None, cycle.uncommitted, last)


def footer_text(cycles: list[SiteCycle]) -> str:
    """The data's provenance as plain text: the newest cycle's commit and date, or why there is none."""
    c = cycles[0] if cycles else None
    h = c.history if c else None
    if h is not None and h.commit:
        when = f", {vdate(h.commit_date)}" if h.commit_date else ""
        version = f"{h.commit[:10]}{when}"
        changed = c.uncommitted if c else None
        if changed:
            return (
                f"Số liệu trên trang gồm thay đổi chưa ghi thành phiên bản ({len(changed)} tệp), "
                f"nên có thể khác phiên bản dữ liệu {version}."
            )
        return f"Phiên bản dữ liệu {version}."
    return "Số liệu không kèm lịch sử nộp phiếu: thời điểm nộp không xác định."


def footer_line(cycles: list[SiteCycle]) -> str:
    """The data's provenance as escaped HTML."""
    return str(md_text(footer_text(cycles)))


PROVENANCE_JS = "assets/par-provenance.js"
PROVENANCE_TXT = "assets/par-provenance.txt"
# In every page's footer (MkDocs `copyright`): the same bytes on every commit, so a new commit
# does not change every page; the text comes from the generated asset (below), which alone changes.
FOOTER_SLOT = (
    '<span class="par-provenance" data-par-provenance></span>'
    "<noscript>Phiên bản dữ liệu: xem tệp assets/par-provenance.txt của trang web.</noscript>"
)


def provenance_files(text: str) -> dict[str, str]:
    """The generated assets that carry the footer's provenance line: a script that fills the
    footer's slot (textContent: never read as HTML) and the same line as plain text."""
    literal = json.dumps(text, ensure_ascii=False).replace("<", "\\u003c")  # no "</script>" can end it early
    script = (
        "// Generated by python -m builder build: the data's version in every page's footer.\n"
        "(function () {\n"
        f"  var text = {literal};\n"
        "  function show() {\n"
        '    var slots = document.querySelectorAll("[data-par-provenance]");\n'
        "    slots.forEach(function (e) { e.textContent = text; });\n"
        "  }\n"
        "  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(show); }\n"
        '  else if (document.readyState === "loading") {\n'
        '    document.addEventListener("DOMContentLoaded", show);\n'
        "  }\n"
        "  else { show(); }\n"
        "})();\n"
    )
    return {PROVENANCE_JS: script, PROVENANCE_TXT: text + "\n"}
