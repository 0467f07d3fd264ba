"""The database itself refuses rows that must never be stored."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from casestudies.models import CaseStudy, CaseStudyModel, Figure
from councils.models import Council, Succession
from surveys.models import Finding
from tests.factories import (
    CaseStudyFactory,
    CouncilFactory,
    FigureFactory,
    FindingFactory,
    TransformationModelFactory,
)

pytestmark = pytest.mark.django_db


def assert_rejected(factory, constraint: str, **fields) -> None:
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        factory(**fields)


def test_figure_low_above_high_is_rejected() -> None:
    assert_rejected(FigureFactory, "figure_amount_low_le_high", amount_low=3_000_000, amount_high=2_000_000)


def test_figure_negative_money_is_rejected() -> None:
    assert_rejected(FigureFactory, "figure_amount_low_not_negative", amount_low=-5, amount_high=10)


@pytest.mark.parametrize("percent", [-1, 140])
def test_figure_percentage_outside_0_to_100_is_rejected(percent: int) -> None:
    assert_rejected(
        FigureFactory,
        "figure_percent_0_to_100",
        measure=Figure.Measure.PERCENT,
        amount_low=None,
        amount_high=None,
        percent_low=None,
        percent_high=percent,
    )


def test_figure_with_neither_money_nor_percentage_is_rejected() -> None:
    assert_rejected(FigureFactory, "figure_has_amount_or_percent", amount_low=None, amount_high=None)


def test_figure_total_period_without_years_is_rejected() -> None:
    assert_rejected(FigureFactory, "figure_total_needs_years", period=Figure.Period.TOTAL, period_years=None)


def test_figure_without_quote_is_rejected() -> None:
    assert_rejected(FigureFactory, "figure_quote_required", quote="")


def test_case_study_end_year_before_start_is_rejected() -> None:
    assert_rejected(
        CaseStudyFactory, "casestudy_end_not_before_start", start_year=2015, end_year=2012, is_ongoing=False
    )


def test_duplicate_case_study_slug_is_rejected() -> None:
    CaseStudyFactory(slug="barnet")
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStudy.objects.create(title="Again", slug="barnet", summary="x")


def test_case_study_has_at_most_one_primary_model() -> None:
    case = CaseStudyFactory()  # gets one primary model
    other = TransformationModelFactory(slug="holistic")
    with (
        pytest.raises(IntegrityError, match=r"casestudymodel_one_primary|casestudymodel\.case_study_id"),
        transaction.atomic(),
    ):
        CaseStudyModel.objects.create(case_study=case, model=other, is_primary=True)


def test_finding_percentage_above_100_is_rejected() -> None:
    assert_rejected(FindingFactory, "finding_percentage_0_to_100", percentage=101)


def test_council_cannot_be_its_own_successor() -> None:
    council = CouncilFactory(abolished_on="2019-04-01")
    with pytest.raises(IntegrityError, match="succession_not_own_successor"), transaction.atomic():
        Succession.objects.create(predecessor=council, successor=council)


def test_council_succession_is_recorded_once_per_pair() -> None:
    successor = CouncilFactory()
    council = CouncilFactory(abolished_on="2019-04-01", successors=[successor])
    match = r"succession_once_per_pair|succession\.predecessor_id"
    with pytest.raises(IntegrityError, match=match), transaction.atomic():
        Succession.objects.create(predecessor=council, successor=successor)


def test_council_gss_code_is_unique_when_present() -> None:
    CouncilFactory(gss_code="E07000223")
    assert_rejected(CouncilFactory, "council_gss_code_unique|council.gss_code", gss_code="E07000223")


def test_blank_gss_codes_may_repeat() -> None:
    CouncilFactory(gss_code="")
    CouncilFactory(gss_code="")
    assert Council.objects.filter(gss_code="").count() == 2


def test_unknown_finding_category_is_rejected() -> None:
    assert_rejected(FindingFactory, "finding_category_valid", category="astrology")
    assert not Finding.objects.exists()
