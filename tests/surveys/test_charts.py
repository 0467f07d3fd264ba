"""The server-rendered SVG charts (surveys/charts.py): accessible, escaped, and never colour alone."""

from __future__ import annotations

from decimal import Decimal

from surveys.charts import Bar, BarGroup, findings_by_category, horizontal_bar_chart, survey_chart
from surveys.models import Finding


def chart(groups, **kwargs):
    return horizontal_bar_chart(groups, title="A title", description="A description", chart_id="c", **kwargs)


def test_chart_is_an_image_with_title_and_description():
    svg = chart([BarGroup("Group", [Bar("One", 50, "50%")])])
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">A title</title>' in svg
    assert '<desc id="c-desc">A description</desc>' in svg


def test_every_bar_has_its_label_and_value_as_text():
    svg = chart([BarGroup("Drivers", [Bar("Money", 75, "75%"), Bar("People", 20, "20%")])])
    for text in ("Drivers", "Money", "75%", "People", "20%"):
        assert f">{text}<" in svg


def test_bar_lengths_are_proportional_to_values_on_a_fixed_scale():
    svg = chart([BarGroup("G", [Bar("Half", 50, "50%")])], max_value=100)
    assert 'width="260.0"' in svg  # half of the 520 px bar space


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


def finding(category: str, statement: str, percentage: str | None) -> Finding:
    return Finding(
        category=category, statement=statement, percentage=None if percentage is None else Decimal(percentage)
    )


def test_findings_are_grouped_by_category_in_category_order_without_percentless_ones():
    grouped = findings_by_category(
        [
            finding("barrier", "Time", "58"),
            finding("driver", "Money", "75.50"),
            finding("other", "A quote", None),
        ]
    )
    assert [(heading, [f.statement for f in items]) for heading, items in grouped] == [
        ("Driver of innovation", ["Money"]),
        ("Barrier to innovation", ["Time"]),
    ]


def test_survey_chart_prints_percentages_without_trailing_zeros():
    svg = survey_chart([finding("driver", "Money", "75.50"), finding("driver", "Time", "58.00")], survey_title="S")
    assert ">75.5%<" in svg and ">58%<" in svg


def test_hatched_bars_use_a_pattern():
    svg = chart([BarGroup("G", [Bar("Expected one", 5, "£5 (expected)", style="hatched")])])
    assert 'fill="url(#c-hatch)"' in svg and '<pattern id="c-hatch"' in svg
