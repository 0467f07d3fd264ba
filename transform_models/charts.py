"""The per-year figures of a transformation model's case studies as an SVG bar chart."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString

from casestudies.charts import Bar, BarGroup, horizontal_bar_chart
from casestudies.models import Figure


def figure_bar(figure: Figure) -> Bar:
    status = figure.get_status_display().lower() if figure.status else "no status"
    return Bar(
        label=f"{figure.case_study.title}",
        value=float(figure.annualised_high),
        value_text=f"{figure.annual_display} a year ({status})",
        # Hatched: only expected or a target. A cost has no status: it is a fact, drawn solid.
        style="hatched" if figure.status in (Figure.Status.EXPECTED, Figure.Status.TARGET) else "solid",
    )


def model_figures_chart(figures: Sequence[Figure], *, model_name: str) -> SafeString:
    """Money figures per year, grouped by kind (saving, income, …); expected ones hatched."""
    grouped: dict[str, list[Figure]] = {}
    for figure in figures:
        grouped.setdefault(figure.get_kind_display(), []).append(figure)
    groups = [BarGroup(heading=kind, bars=[figure_bar(f) for f in items]) for kind, items in grouped.items()]
    return horizontal_bar_chart(
        groups,
        title=f"{model_name}: money figures per year in its case studies",
        description=(
            "One bar per figure, grouped by kind, giving the amount per year. Solid bars were achieved (or,"
            " for costs, have no status), hatched bars only expected or a target; each bar's label says which."
            " The same figures are in the table below."
        ),
        chart_id="model-chart",
    )
