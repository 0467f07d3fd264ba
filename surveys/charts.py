"""A survey's findings as a bar chart per category (drawn by ``casestudies.charts``)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.safestring import SafeString

from casestudies.charts import Bar, BarGroup, horizontal_bar_chart

from .models import Finding, FindingCategory


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def findings_by_category(findings: Sequence[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings with a percentage, grouped by category in the categories' order."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.percentage is not None:
            grouped.setdefault(finding.category, []).append(finding)
    labels = dict(FindingCategory.choices)
    return [(str(labels[key]), grouped[key]) for key in FindingCategory.values if key in grouped]


def survey_chart(findings: Sequence[Finding], *, survey_title: str) -> SafeString:
    """The survey's percentage findings as bars (0–100%), grouped by category."""
    groups = [
        BarGroup(
            heading=heading,
            bars=[Bar(label=f.statement, value=float(f.percentage), value_text=_percent(f.percentage)) for f in items],
        )
        for heading, items in findings_by_category(findings)
    ]
    return horizontal_bar_chart(
        groups,
        title=f"{survey_title}: findings by category",
        description=(
            "Percentage of respondents for each finding, grouped by category. The same numbers are in the table below."
        ),
        max_value=100,
        chart_id="survey-chart",
    )
