"""Site stage, provenance: the data's version in the footer, every point linked to its line.

A published number is checkable by anyone: each self and appraised point on a unit page links
to its file and line at the data's commit on the district's forge (`repo_url` in the root
`mkdocs.yml`): GitHub `…/blob/<sha>/<path>#L<line>`, GitLab `…/-/blob/<sha>/<path>#L<line>`,
Gitea/Forgejo `…/src/commit/<sha>/<path>#L<line>`. Without a forge, or for a file changed since
that commit, the point carries its plain `path:line` instead.
"""

from __future__ import annotations

from dataclasses import dataclass
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

    def point(self, value: Decimal | None, loc: Loc | None) -> Markup:
        """A point as shown ("2,5"), linked to the line that states it (or with `path:line`)."""
        shown = pts_text(value)
        if value is None or loc is None:
            return shown
        where = md_text(f"{loc.path}:{loc.line}")
        changed = self.uncommitted is not None and loc.path in self.uncommitted
        url = blob_url(self.repo_url, self.sha, loc.path, loc.line) if self.repo_url and self.sha else None
        if url is None or changed:
            return Markup(f'<span class="par-src" title="{where}" data-src="{where}">{shown}</span>')
        return Markup(f'<a class="par-src" href="{_attr(url)}" title="{where}">{shown}</a>')


def provenance(cycle: SiteCycle) -> Provenance:
    h = cycle.history
    return Provenance(cycle.repo_url, h.commit if h is not None else None, cycle.uncommitted)


def footer_line(cycles: list[SiteCycle]) -> str:
    """The data's provenance, shown in every page's footer (escaped HTML)."""
    c = cycles[0] if cycles else None
    h = c.history if c else None
    if h is not None and h.commit:
        when = f", {vdate(h.commit_date)}" if h.commit_date else ""
        version = f"{md_text(h.commit[:10])}{when}"
        changed = c.uncommitted if c else None
        if changed:
            return (
                f"Số liệu trên trang gồm thay đổi chưa ghi thành phiên bản ({len(changed)} tệp), "
                f"nên có thể khác phiên bản dữ liệu {version}."
            )
        return f"Phiên bản dữ liệu {version}."
    return "Số liệu không kèm lịch sử nộp phiếu: thời điểm nộp không xác định."
