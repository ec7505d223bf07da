"""Numbers as Vietnamese readers write them: 1.234; 1.234,5; 95,5 %."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def vi_number(value: Any, places: int = 4) -> str:
    """Dot for thousands, comma for decimals; at most `places` decimals, trailing zeros dropped."""
    if value is None:
        return "—"
    text = f"{Decimal(str(value)):,.{places}f}"
    if places:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vi_percent(value: Any) -> str:
    """A share in per cent with one decimal at most: "95,5 %", "100 %"; "—" when undefined."""
    if value is None:
        return "—"
    return f"{vi_number(round(float(value), 1), 1)} %"
