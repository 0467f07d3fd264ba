"""The server-rendered SVG bar chart every chart page uses: accessible, escaped, never colour alone."""

from __future__ import annotations

import re

import pytest

from casestudies.charts import CHAR_WIDTH, NARROW, Bar, BarGroup, horizontal_bar_chart


def chart(groups, **kwargs):
    return horizontal_bar_chart(groups, title="A title", description="A description", chart_id="c", **kwargs)


def test_chart_is_an_image_with_title_and_description():
    svg = chart([BarGroup("Group", [Bar("One", 50, "50%")])])
    assert svg.startswith('<div class="ctl-chart-pair"><svg')
    assert 'role="img"' in svg
    assert 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">A title</title>' in svg
    assert '<desc id="c-desc">A description</desc>' in svg


def test_every_bar_has_its_label_and_value_as_text():
    svg = chart([BarGroup("Drivers", [Bar("Money", 75, "75%"), Bar("People", 20, "20%")])])
    for text in ("Drivers", "Money", "75%", "People", "20%"):
        assert f">{text}<" in svg


def bar_widths(svg: str, variant: str) -> list[float]:
    drawing = svg.split(f'class="ctl-chart ctl-chart--{variant}"')[1].split("</svg>")[0]
    return [float(width) for width in re.findall(r'<rect x="0" y="[\d.]+" width="([\d.]+)"', drawing)]


def test_bar_lengths_are_proportional_to_values_on_a_fixed_scale():
    svg = chart([BarGroup("G", [Bar("Half", 50, "50%"), Bar("Quarter", 25, "25%")])], max_value=100)
    for variant in ("wide", "narrow"):
        half, quarter = bar_widths(svg, variant)
        assert half == pytest.approx(2 * quarter, abs=0.2)


def test_chart_is_drawn_wide_and_narrow_with_their_own_ids():
    svg = chart([BarGroup("G", [Bar("One", 1, "1", style="hatched")])])
    assert 'viewBox="0 0 720 ' in svg and 'viewBox="0 0 360 ' in svg
    assert 'aria-labelledby="c-narrow-title c-narrow-desc"' in svg and '<pattern id="c-narrow-hatch"' in svg
    assert 'fill="url(#c-narrow-hatch)"' in svg


def test_long_labels_wrap_onto_lines_instead_of_being_cut():
    label = "A very long statement about what councils said about the drivers of innovation in the survey " * 2
    svg = chart([BarGroup("G", [Bar(label.strip(), 10, "10%")])])
    assert "…" not in svg
    narrow = svg.split("ctl-chart--narrow")[1]
    lines = re.findall(r'<tspan x="0.0" dy="\d+">([^<]*)</tspan>', narrow)
    assert " ".join(lines[1:]).startswith(label.strip()[:80])
    assert all(len(line) * CHAR_WIDTH <= NARROW for line in lines)


def test_a_value_too_long_to_sit_beside_its_bar_goes_on_its_own_line():
    svg = chart([BarGroup("G", [Bar("One", 10, "up to £16.5m a year (expected)")])])
    narrow = svg.split("ctl-chart--narrow")[1]
    # narrow: the value text starts at the left edge, above the bar that spans the whole width
    assert '<text x="0.0" y="' in narrow.split("ctl-chart__value")[0][-60:]


def test_text_is_escaped():
    svg = chart([BarGroup("<b>", [Bar("<script>alert(1)</script>", 1, "1")])])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_empty_groups_are_left_out():
    svg = chart([BarGroup("Empty", []), BarGroup("Full", [Bar("A", 1, "1")])])
    assert "Empty" not in svg and "Full" in svg


def test_zero_value_draws_no_bar_but_keeps_its_value_text():
    svg = chart([BarGroup("G", [Bar("Nothing", 0, "0%")])], max_value=100)
    assert 'width="0.0"' in svg and ">0%<" in svg


def test_hatched_bars_use_a_pattern():
    svg = chart([BarGroup("G", [Bar("Expected one", 5, "£5 (expected)", style="hatched")])])
    assert 'fill="url(#c-hatch)"' in svg and '<pattern id="c-hatch"' in svg
