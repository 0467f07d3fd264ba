"""Horizontal bar charts drawn as SVG on the server, so they need no JavaScript.

Every bar carries its value as text, categories are headed in text, and the chart has a
<title> and <desc>; the page shows the same numbers in a table. Nothing relies on colour:
bars that differ in meaning (e.g. achieved and expected) also differ in pattern and label.

The drawing is shared by every page with a chart (a transformation model's figures, a survey's
findings); each app builds its own bars from its own rows (``transform_models/charts.py``,
``surveys/charts.py``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDE = 720  # drawn for a column of 620 px or more: 14 px text stays at least 12 px
NARROW = 360  # drawn for narrower columns (a phone): at 360 px wide, text is 14 px
LINE_HEIGHT = 20
BAR_HEIGHT = 18
ROW_GAP = 10
HEADING_GAP = 14
VALUE_GAP = 6
# Conservative average widths of a character of the system fonts (14 px labels, 16 px bold
# headings), in SVG units: text is wrapped to fit the drawing, never cut off at its edge.
CHAR_WIDTH = 9.0
HEADING_CHAR_WIDTH = 11.0


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


def _lines(text: str, width: float, char_width: float) -> list[str]:
    """``text`` wrapped on words to lines that fit ``width``."""
    return textwrap.wrap(text, max(int(width // char_width), 8)) or [""]


def _text(x: float, y: float, css_class: str, lines: list[str]) -> str:
    """A text element of one or more lines (``tspan``), the first line's baseline at ``y``."""
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if index == 0 else LINE_HEIGHT}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return f'<text x="{x:.1f}" y="{y}" class="{css_class}">{spans}</text>'


def _svg(
    groups: Sequence[BarGroup], *, width: int, chart_id: str, title: str, description: str, scale_max: float
) -> str:
    """One drawing ``width`` units wide. Wide: the value beside its bar, bars shortened to leave room
    for the longest value; narrow: the value on its own line above its bar, bars full width."""
    bars = [bar for group in groups for bar in group.bars]
    value_space = max(len(bar.value_text) for bar in bars) * CHAR_WIDTH + VALUE_GAP if bars else 0
    beside = value_space <= width / 2
    bar_space = width - value_space if beside else width
    parts: list[str] = []
    y = 8
    for group in groups:
        heading = _lines(group.heading, width, HEADING_CHAR_WIDTH)
        y += LINE_HEIGHT
        parts.append(_text(0, y, "ctl-chart__heading", heading))
        y += LINE_HEIGHT * (len(heading) - 1) + HEADING_GAP - 6
        for bar in group.bars:
            length = 0 if scale_max <= 0 else max(bar.value, 0) / scale_max * bar_space
            length = max(length, 1.5) if bar.value > 0 else 0
            label = _lines(bar.label, width, CHAR_WIDTH)
            label_y = y + LINE_HEIGHT - 6
            bar_y = y + LINE_HEIGHT * len(label)
            if beside:
                value = _text(length + VALUE_GAP, bar_y + BAR_HEIGHT - 5, "ctl-chart__value", [bar.value_text])
            else:
                value = _text(0, bar_y + LINE_HEIGHT - 6, "ctl-chart__value", _lines(bar.value_text, width, CHAR_WIDTH))
                bar_y += LINE_HEIGHT
            fill = f"url(#{chart_id}-hatch)" if bar.style == "hatched" else "#1d70b8"
            parts.append(
                f"<g>{_text(0, label_y, 'ctl-chart__label', label)}"
                f'<rect x="0" y="{bar_y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{fill}"'
                f' stroke="#1d70b8" stroke-width="{1 if length else 0}"/>{value}</g>'
            )
            y = bar_y + BAR_HEIGHT + ROW_GAP
    height = y + 8
    pattern = (
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#1d70b8" stroke-width="3"/></pattern></defs>'
    )
    variant = "wide" if width == WIDE else "narrow"
    return (
        f'<svg class="ctl-chart ctl-chart--{variant}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"'
        f' viewBox="0 0 {width} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{pattern}{''.join(parts)}</svg>"
    )


def horizontal_bar_chart(
    groups: Sequence[BarGroup], *, title: str, description: str, max_value: float | None = None, chart_id: str
) -> SafeString:
    """An accessible SVG bar chart: one row per bar, grouped under text headings.

    Drawn twice, wide and narrow; the stylesheet shows the one that fits its column (a container
    query), so text is never smaller than 12 px on a phone nor cut off on a wide screen. The hidden
    one is ``display: none``, so assistive technology meets the chart once.
    """
    groups = [group for group in groups if group.bars]
    top = max((bar.value for group in groups for bar in group.bars), default=0)
    scale_max = max_value if max_value else (top or 1)
    common = {"title": title, "description": description, "scale_max": scale_max}
    wide = _svg(groups, width=WIDE, chart_id=chart_id, **common)
    narrow = _svg(groups, width=NARROW, chart_id=f"{chart_id}-narrow", **common)
    return mark_safe(f'<div class="ctl-chart-pair">{wide}{narrow}</div>')  # every piece of text is escaped
