"""Site stage, the printed report: a unit page's print-only letterhead and signature block (A4).

Printed from the browser ("In"), a unit's page is the self-assessment report the district's
letter asks for (Công văn 1202/UBND-NV: the summary table of criteria, the explanations, the
difficulties and recommendations, approved by the unit's leader). The screen never shows
these blocks; `assets/par.css` (`@media print`) hides the site's navigation instead.
"""

from __future__ import annotations

import re
from datetime import date

from markupsafe import Markup

from builder.model import Assessment, Scorecard, Unit
from builder.site.text import md_text

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
_PREFIX = re.compile(r"^\s*(ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+", re.IGNORECASE)
_KIND = re.compile(r"^\s*(xã|thị trấn|phường|huyện|thị xã|thành phố)\s+", re.IGNORECASE)
_BLANK = "…………"


def place_name(unit_name: str) -> str:
    """ "UBND xã Bản Bo" → "Bản Bo": the place written before the date of a letter."""
    return _KIND.sub("", _PREFIX.sub("", unit_name)).strip() or unit_name


def issuer_lines(unit_name: str) -> list[str]:
    """The issuing body at the top left, capitals: "ỦY BAN NHÂN DÂN" over "XÃ BẢN BO"."""
    rest = _PREFIX.sub("", unit_name)
    if rest != unit_name:
        return ["ỦY BAN NHÂN DÂN", rest.upper()]
    return [unit_name.upper()]


def long_date(day: date | None) -> str:
    if day is None:
        return f"ngày {_BLANK} tháng {_BLANK} năm {_BLANK}"
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def letterhead(a: Assessment, unit: Unit) -> Markup:
    """Quốc hiệu, tiêu ngữ, the unit, the report's name and its addressee (print only)."""
    issuer = "<br>".join(str(md_text(line)) for line in issuer_lines(unit.name))
    to = (
        f'<p class="par-print-to">Kính gửi: {md_text(a.authority)}</p>'
        if a.authority and a.authority.strip().lower() != unit.name.strip().lower()
        else ""
    )
    return Markup(
        '<div class="par-print par-print-head" data-search-exclude>'
        '<div class="par-letterhead">'
        f'<div class="par-issuer"><strong>{issuer}</strong><br>Số: {_BLANK}/BC</div>'
        f'<div class="par-nation"><strong>{NATION}</strong><br><strong>{MOTTO}</strong></div>'
        "</div>"
        '<p class="par-print-title"><strong>BÁO CÁO</strong><br>'
        f"Kết quả tự đánh giá, chấm điểm, xác định {md_text(a.title)}<br>"
        f"của {md_text(unit.name)}</p>"
        f"{to}"
        "</div>"
    )


def signature(unit: Unit, card: Scorecard | None) -> Markup:
    """Place and date, and the approval block (chức vụ, họ tên) from the scorecard's `approved_by`."""
    approval = card.approved_by if card else None
    when = long_date(approval.date if approval else None)
    title = md_text(approval.title.upper()) if approval and approval.title else Markup("THỦ TRƯỞNG ĐƠN VỊ")
    name = md_text(approval.name) if approval and approval.name else Markup(_BLANK)
    return Markup(
        '<div class="par-print par-print-foot" data-search-exclude>'
        f'<p class="par-print-place">{md_text(place_name(unit.name))}, {when}</p>'
        '<div class="par-sign">'
        f'<strong>{title}</strong><br><span class="par-sign-hint">(Ký, ghi rõ họ tên, đóng dấu)</span>'
        f'<span class="par-sign-space"></span><strong>{name}</strong>'
        "</div></div>"
    )
