"""A survey's findings as a chart (surveys/charts.py); the drawing is tested in tests/casestudies/test_charts.py."""

from __future__ import annotations

from decimal import Decimal

from casestudies.charts import horizontal_bar_chart
from surveys.charts import findings_by_category, survey_chart
from surveys.models import Finding


def chart(groups, **kwargs):
    return horizontal_bar_chart(groups, title="A title", description="A description", chart_id="c", **kwargs)


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
