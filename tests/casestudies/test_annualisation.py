"""The per-year value of a figure is derived in one place: the database's generated column."""

from __future__ import annotations

import pytest

from casestudies.models import Figure
from tests.factories import FigureFactory

pytestmark = pytest.mark.django_db


def annualised(**fields) -> tuple[int | None, int | None]:
    figure = FigureFactory(**fields)
    figure.refresh_from_db()
    return figure.annualised_low, figure.annualised_high


def test_per_year_figure_is_its_own_annual_value() -> None:
    assert annualised(amount_low=2_000_000, amount_high=3_000_000, period=Figure.Period.PER_YEAR) == (
        2_000_000,
        3_000_000,
    )


def test_total_over_n_years_is_divided_by_n() -> None:
    assert annualised(amount_low=None, amount_high=165_000_000, period=Figure.Period.TOTAL, period_years=10) == (
        None,
        16_500_000,
    )


def test_cumulative_between_two_years_is_divided_by_the_span() -> None:
    result = annualised(
        amount_low=10_000_000,
        amount_high=10_000_000,
        period=Figure.Period.CUMULATIVE,
        period_start_year=2010,
        period_end_year=2015,
    )
    assert result == (2_000_000, 2_000_000)


def test_one_off_figure_has_no_annual_value() -> None:
    assert annualised(amount_low=4_600_000, amount_high=4_600_000, period=Figure.Period.ONE_OFF) == (None, None)


def test_unspecified_period_has_no_annual_value() -> None:
    assert annualised(period=Figure.Period.UNSPECIFIED) == (None, None)


def test_percentage_figure_has_no_annual_money_value() -> None:
    result = annualised(
        measure=Figure.Measure.PERCENT,
        amount_low=None,
        amount_high=None,
        percent_low=2,
        percent_high=3,
        period=Figure.Period.PER_YEAR,
    )
    assert result == (None, None)


def test_headline_saving_is_the_largest_annualised_saving() -> None:
    figure = FigureFactory(amount_low=1_000_000, amount_high=1_000_000)
    FigureFactory(case_study=figure.case_study, amount_low=2_000_000, amount_high=3_000_000)
    FigureFactory(case_study=figure.case_study, kind=Figure.Kind.INCOME, amount_low=9_000_000, amount_high=9_000_000)
    case = type(figure.case_study).objects.with_headline_saving().get(pk=figure.case_study_id)
    assert case.headline_annual_saving == 3_000_000


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(2_000_000, 3_000_000, "£2m–£3m"), (None, 165_000_000, "up to £165m"), (950_000, 950_000, "£950,000")],
)
def test_amount_is_displayed_as_people_say_it(low: int | None, high: int, expected: str) -> None:
    assert Figure(measure=Figure.Measure.MONEY, amount_low=low, amount_high=high).amount_display == expected


@pytest.mark.parametrize(
    ("low", "high", "expected"), [("2.00", "3.00", "2%–3%"), ("14.00", "14.00", "14%"), (None, "2.50", "up to 2.5%")]
)
def test_percentage_is_displayed_without_trailing_zeros(low: str | None, high: str, expected: str) -> None:
    from decimal import Decimal

    figure = Figure(
        measure=Figure.Measure.PERCENT,
        percent_low=Decimal(low) if low else None,
        percent_high=Decimal(high),
    )
    assert figure.amount_display == expected


def test_a_figure_whose_measure_is_not_chosen_yet_shows_no_amount() -> None:
    # An admin form re-displayed with errors may hold a figure with a blank measure.
    figure = Figure(measure="", amount_high=1_000, kind=Figure.Kind.SAVING)
    assert (figure.low, figure.high, figure.amount_display) == (None, None, "")
