"""A model page's figure bars: an expected figure differs from an achieved one by pattern and by
text, never by colour alone."""

from __future__ import annotations

import pytest

from casestudies.models import Figure
from transform_models.charts import figure_bar


@pytest.mark.parametrize(
    ("status", "style", "word"), [("achieved", "solid", "achieved"), ("expected", "hatched", "expected")]
)
def test_expected_figures_differ_by_pattern_and_by_text_not_colour_alone(status, style, word):
    from casestudies.models import CaseStudy

    figure = Figure(
        case_study=CaseStudy(title="A case"),
        kind="saving",
        status=status,
        annualised_low=2_000_000,
        annualised_high=3_000_000,
    )
    bar = figure_bar(figure)
    assert bar.style == style
    assert bar.value_text == f"£2m–£3m a year ({word})"
