"""Filters mean the same in the API as in CaseStudyFilter: OR within a parameter, AND across."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from casestudies.filters import CaseStudyFilter
from casestudies.models import CaseStudy
from tests.factories import PartnershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def slugs(api, query: str) -> list[str]:
    return [row["slug"] for row in api(f"case-studies/?page_size=100&{query}").json()["results"]]


def test_repeated_parameter_means_or(api, library) -> None:
    assert set(slugs(api, "council=barnet&council=suffolk")) == {"both-models", "holistic-barnet", "proposal"}


def test_different_parameters_mean_and(api, library) -> None:
    assert slugs(api, "model=holistic&council_type=district") == ["both-models"]


def test_ordering_by_annual_saving_puts_cases_without_figures_last(api, library) -> None:
    assert slugs(api, "ordering=-annual_saving")[:2] == ["both-models", "shared"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "model=sharing",
        "model=sharing&model=holistic",
        "council_type=district&region=london",
        "region=london&region=west_midlands&stage=implemented",
        "service_area=waste",
        "year_from=2011&year_to=2015",
        "has_figures=true",
        "has_figures=false",
        "figure_kind=income",
        "figure_kind=saving&figure_status=expected",
        "min_annual_saving=1000000",
        "q=Barnet",
        "ordering=-year",
        "ordering=title&model=sharing",
    ],
)
def test_api_returns_what_the_filterset_returns(api, library, query) -> None:
    expected = CaseStudyFilter(QueryDict(query), queryset=CaseStudy.objects.published()).qs
    assert slugs(api, query) == [case.slug for case in expected]


def test_partnership_and_programme_filter_by_slug(api, library) -> None:
    programme = ProgrammeFactory(slug="delivering-differently")
    partnership = PartnershipFactory(slug="south-worcestershire")
    CaseStudy.objects.filter(slug="proposal").update(programme=programme)
    CaseStudy.objects.filter(slug="shared").update(partnership=partnership)
    assert slugs(api, "programme=delivering-differently") == ["proposal"]
    assert slugs(api, "partnership=south-worcestershire") == ["shared"]
