"""How money and percentages are written for people (templates, charts, figure labels)."""

from __future__ import annotations

from decimal import Decimal


def format_pounds(value: int | None) -> str:
    """Format whole pounds for people: £950,000, £2.5m, £1.2bn."""
    if value is None:
        return ""
    if value >= 1_000_000_000:
        return f"£{value / 1_000_000_000:.3g}bn"
    if value >= 1_000_000:
        return f"£{value / 1_000_000:.3g}m"
    return f"£{value:,}"


def format_percent(value: Decimal | float | None) -> str:
    """2.00 → '2%', 2.50 → '2.5%'."""
    if value is None:
        return ""
    return f"{Decimal(str(value)).normalize():f}%"
