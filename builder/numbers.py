"""Number formatting shared by the terminal table and the site: the Vietnamese way (89,29; 1.234)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from builder.score import shown


def vn_number(value: Decimal | Fraction | None, places: int = 2) -> str:
    """89.285 → '89,29'; 1234.5 → '1.234,50'; None → '—'. Rounded half-up from the exact value."""
    if value is None:
        return "—"
    text = f"{shown(value, places):,.{places}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def plain(value: Decimal) -> str:
    """An exact Decimal without trailing zeros or exponent: 10.0 → '10', 0.50 → '0.5'."""
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text
