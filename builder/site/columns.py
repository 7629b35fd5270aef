"""Site stage, columns: one name and one meaning per points column, stated in its header's tooltip."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from builder.model import CriteriaSet, Criterion
from builder.site.text import pts_text

MINUS = "\u2212"  # a deduction's maximum is shown as −1, with the minus sign, not a hyphen

# The column names of record (docs/site.md, "Columns"); the CSV and XLSX use the same words.
MAX = "Tối đa"
SELF = "Tự chấm"
APPRAISED = "Thẩm định"
FINAL = "Điểm cuối cùng"
INDEX = "Chỉ số"


def survey_points(s: CriteriaSet | None) -> Decimal:
    """The points of the tier's survey leaves (`source: survey`): never in a self score."""
    if s is None:
        return Decimal(0)
    return sum((c.max for c in s.leaves.values() if c.source == "survey"), Decimal(0))


def max_text(c: Criterion, shown: Decimal | None = None) -> Markup:
    """A leaf's max: "+1" for a bonus, "−1" for a deduction (its largest deduction), else the
    number; `shown` replaces the number for a parent row (the sum of its applicable leaves)."""
    if c.is_leaf and c.kind == "bonus":
        return Markup(f"+{pts_text(c.max)}")
    if c.is_leaf and c.kind == "deduction":
        return Markup(f"{MINUS}{pts_text(c.max)}")
    return pts_text(c.max if shown is None else shown)


def _quote(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class Columns:
    """The header cells of a tier's points columns, each with its meaning as a tooltip."""

    survey: Decimal

    def _head(self, label: str, meaning: str) -> Markup:
        return Markup(f'<abbr title="{_quote(meaning)}">{label}</abbr>')

    @property
    def survey_note(self) -> str:
        if not self.survey:
            return ""
        return f"không gồm {pts_text(self.survey)} điểm điều tra xã hội học (do Hội đồng ghi khi thẩm định)"

    @property
    def max(self) -> Markup:
        return self._head(
            MAX,
            "Điểm tối đa. Điểm thưởng ghi dấu +, điểm trừ ghi dấu − (mức trừ nhiều nhất); "
            "cả hai không tính vào điểm tối đa áp dụng.",
        )

    @property
    def self(self) -> Markup:
        note = f", {self.survey_note}" if self.survey else ""
        return self._head(SELF, f"Điểm đơn vị tự chấm{note}.")

    @property
    def appraised(self) -> Markup:
        return self._head(
            APPRAISED,
            "Điểm Hội đồng thẩm định. Dấu — : Hội đồng chưa thẩm định (ở dòng cộng: chưa thẩm "
            "định hết các tiêu chí của dòng).",
        )

    @property
    def final(self) -> Markup:
        return self._head(
            FINAL,
            "Điểm thẩm định nếu Hội đồng đã thẩm định, nếu không là điểm tự chấm; đã gồm điểm "
            "điều tra xã hội học. Chỉ số CCHC tính từ điểm này.",
        )

    @property
    def index(self) -> Markup:
        return self._head(INDEX, "Chỉ số CCHC = điểm cuối cùng ÷ điểm tối đa áp dụng × 100.")

    def note(self, appraised: bool = True) -> Markup:
        """The same meanings in words under a table (a tooltip is not shown on a phone)."""
        own = f"Tự chấm: điểm đơn vị tự chấm{', ' + self.survey_note if self.survey else ''}. "
        council = "Thẩm định: điểm Hội đồng thẩm định, “—” nếu chưa thẩm định. " if appraised else ""
        return Markup(
            f"{own}{council}"
            "Điểm cuối cùng: điểm thẩm định nếu có, nếu không là điểm tự chấm"
            f"{', đã gồm điểm điều tra xã hội học' if self.survey else ''}; chỉ số CCHC tính từ điểm này."
        )


def columns(s: CriteriaSet | None) -> Columns:
    return Columns(survey_points(s))
