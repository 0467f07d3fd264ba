"""Template filters for the library's pages."""

from __future__ import annotations

from collections.abc import Iterable
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


@register.filter
def with_status(rows: Iterable[Any], status: str) -> list[Any]:
    """The figures (or outcomes) of ``rows`` that are ``status`` (achieved or expected), in order."""
    return [row for row in rows if row.status == status]
