"""The strict filter fields (api/filters.py) as the case-study FilterSet uses them."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from api.filters import SlugChoiceField
from casestudies.filters import CaseStudyFilter
from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, TransformationModelFactory
from transform_models.models import TransformationModel

pytestmark = pytest.mark.django_db


def test_a_method_filter_runs_on_its_own_filterset() -> None:
    sharing = TransformationModelFactory(slug="sharing", name="Sharing")
    wanted = CaseStudyFactory(models=[sharing])
    CaseStudyFactory(models=[TransformationModelFactory(slug="holistic", name="Holistic")])
    CaseStudyFilter(QueryDict("model=holistic"), queryset=CaseStudy.objects.all()).qs.count()
    found = CaseStudyFilter(QueryDict("model=sharing"), queryset=CaseStudy.objects.all()).qs
    assert list(found) == [wanted]


def test_forms_do_not_share_their_errors() -> None:
    bad = CaseStudyFilter(QueryDict("year_from=nonsense"))
    good = CaseStudyFilter(QueryDict("year_from=2010"))
    assert not bad.is_valid() and "year_from" in bad.errors
    assert good.is_valid()


def test_no_slug_given_cleans_to_an_empty_list_without_a_query(django_assert_num_queries) -> None:
    field = SlugChoiceField(queryset=TransformationModel.objects.all(), to_field_name="slug", required=False)
    with django_assert_num_queries(0):
        assert field.clean([]) == []
        assert field.clean(None) == []


def test_an_unknown_slug_names_the_allowed_values() -> None:
    TransformationModelFactory(slug="sharing", name="Sharing")
    TransformationModelFactory(slug="holistic", name="Holistic")
    filterset = CaseStudyFilter(QueryDict("model=bogus"))
    assert not filterset.is_valid()
    assert filterset.errors["model"] == ["bogus is not a known value. Allowed values: holistic, sharing."]
