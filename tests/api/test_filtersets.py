"""The FilterSets' shared base (api/filters.py): one form class per FilterSet class, and whether a
request's filters narrow the list."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from casestudies.filters import CaseStudyFilter
from casestudies.models import CaseStudy
from councils.filters import CouncilFilter

pytestmark = pytest.mark.django_db


def filterset(query: str | None) -> CaseStudyFilter:
    data = None if query is None else QueryDict(query)
    return CaseStudyFilter(data, queryset=CaseStudy.objects.published())


def test_instances_of_a_filterset_share_one_form_class():
    assert filterset("q=refuse").get_form_class() is filterset("region=london").get_form_class()


def test_each_filterset_class_has_a_form_class_of_its_own():
    council_form = CouncilFilter(QueryDict(""), queryset=CaseStudy.objects.none()).get_form_class()
    assert council_form is not filterset("").get_form_class()
    assert "model" in filterset("").form.fields and "model" not in council_form.base_fields


def test_one_requests_errors_do_not_reach_another_sharing_the_form_class():
    invalid = filterset("region=atlantis")
    valid = filterset("region=london")
    assert not invalid.is_valid()
    assert valid.is_valid(), valid.form.errors
    assert valid.form.fields["region"] is not invalid.form.fields["region"]


@pytest.mark.parametrize(
    "query",
    [None, "", "q=", "council=&model=", "ordering=-year", "council=&ordering=title&page=2"],
    ids=["unbound", "empty", "blank-search", "blank-filters", "ordering-only", "blank-with-ordering"],
)
def test_blank_filters_and_ordering_do_not_narrow(query):
    assert not filterset(query).narrows()


@pytest.mark.parametrize(
    "query",
    ["q=refuse", "region=london", "has_figures=false", "year_from=2010", "region=atlantis"],
    ids=["search", "region", "has-figures-false", "year-from", "invalid"],
)
def test_a_filter_given_a_value_narrows(query):
    assert filterset(query).narrows()


@pytest.fixture
def filtersets_built(monkeypatch) -> list[str]:
    """The query strings of the CaseStudyFilters built while the test runs."""
    built: list[str] = []
    original = CaseStudyFilter.__init__

    def counting(self, data=None, *args, **kwargs):
        built.append("" if data is None else data.urlencode())
        original(self, data, *args, **kwargs)

    monkeypatch.setattr(CaseStudyFilter, "__init__", counting)
    return built


@pytest.mark.parametrize("params", [{}, {"page": "2", "page_size": "1"}, {"cursor": ""}, {"format": "csv"}])
def test_a_list_request_without_filter_parameters_builds_no_filterset(api, library, filtersets_built, params):
    api("case-studies/")  # the first request reads the parameters the FilterSet class accepts, once
    filtersets_built.clear()
    response = api("case-studies/", params)
    assert response.status_code == 200
    assert filtersets_built == []


def test_a_list_request_without_filter_parameters_lists_every_published_case_study(api, library):
    listed = api("case-studies/", {"page_size": 100}).json()
    assert listed["count"] == CaseStudy.objects.published().count()
    assert sorted(row["slug"] for row in listed["results"]) == sorted(
        CaseStudy.objects.published().values_list("slug", flat=True)
    )


def test_a_list_request_with_a_filter_parameter_is_filtered_and_validated(api, library, filtersets_built):
    api("case-studies/")
    filtersets_built.clear()
    assert api("case-studies/", {"region": "atlantis"}).status_code == 400
    assert api("case-studies/", {"ordering": "-year"}).status_code == 200
    assert filtersets_built == ["region=atlantis", "ordering=-year"]
