"""Template filters for the library's pages."""

from __future__ import annotations

from typing import Any

from django import template

from casestudies.formatting import format_pounds

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``mapping[key]`` for dicts, QueryDicts and form errors; empty when missing."""
    if mapping is None:
        return ""
    getter = getattr(mapping, "get", None)
    value = getter(key) if getter else None
    return "" if value is None else value


@register.filter
def pounds(value: int | None) -> str:
    """Whole pounds for people: £950,000, £2.5m."""
    return format_pounds(value)
