"""Horizontal bar charts drawn as SVG on the server, so they need no JavaScript.

Every bar carries its value as text, categories are headed in text, and the chart has a
<title> and <desc>; the page shows the same numbers in a table. Nothing relies on colour:
bars that differ in meaning (e.g. achieved and expected) also differ in pattern and label.

The drawing is shared by every page with a chart (a transformation model's figures, a survey's
findings); each app builds its own bars from its own rows (``transform_models/charts.py``,
``surveys/charts.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
LABEL_HEIGHT = 20  # the label sits on its own line above its bar, so it is never cut short
BAR_HEIGHT = 18
ROW_GAP = 10
HEADING_HEIGHT = 34
VALUE_GAP = 6
VALUE_SPACE = 200


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    value_text: str
    style: str = "solid"  # "solid" or "hatched": a second meaning, always also said in value_text


@dataclass(frozen=True)
class BarGroup:
    heading: str
    bars: Sequence[Bar]


def _wrap(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def horizontal_bar_chart(
    groups: Sequence[BarGroup], *, title: str, description: str, max_value: float | None = None, chart_id: str
) -> SafeString:
    """An accessible SVG bar chart: one row per bar, grouped under text headings."""
    groups = [group for group in groups if group.bars]
    top = max((bar.value for group in groups for bar in group.bars), default=0)
    scale_max = max_value if max_value else (top or 1)
    bar_space = WIDTH - VALUE_SPACE
    parts: list[str] = []
    y = 8
    for group in groups:
        y += HEADING_HEIGHT - 10
        parts.append(f'<text x="0" y="{y}" class="ctl-chart__heading">{escape(group.heading)}</text>')
        y += 10
        for bar in group.bars:
            length = 0 if scale_max <= 0 else max(bar.value, 0) / scale_max * bar_space
            length = max(length, 1.5) if bar.value > 0 else 0
            label_y = y + LABEL_HEIGHT - 6
            bar_y = y + LABEL_HEIGHT
            value_y = bar_y + BAR_HEIGHT - 5
            fill = f"url(#{chart_id}-hatch)" if bar.style == "hatched" else "#1d70b8"
            parts.append(
                f'<g><text x="0" y="{label_y}" class="ctl-chart__label"><title>{escape(bar.label)}</title>'
                f"{escape(_wrap(bar.label))}</text>"
                f'<rect x="0" y="{bar_y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{fill}"'
                f' stroke="#1d70b8" stroke-width="{1 if length else 0}"/>'
                f'<text x="{length + VALUE_GAP:.1f}" y="{value_y}" class="ctl-chart__value">'
                f"{escape(bar.value_text)}</text></g>"
            )
            y += LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    height = y + 8
    pattern = (
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#1d70b8" stroke-width="3"/></pattern></defs>'
    )
    svg = (
        f'<svg class="ctl-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"'
        f' viewBox="0 0 {WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{pattern}{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # every piece of text above is escaped
