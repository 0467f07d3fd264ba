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
