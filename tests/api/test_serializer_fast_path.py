"""The case-study serializers build their answer directly; it must equal DRF's generic field walk."""

from __future__ import annotations

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from casestudies.models import CaseStudy
from casestudies.serializers import CaseStudyDetailSerializer, CaseStudySerializer
from tests.factories import (
    CaseStudyFactory,
    ContactFactory,
    CouncilFactory,
    FigureFactory,
    PartnershipFactory,
    ProgrammeFactory,
    ServiceAreaFactory,
    TransformationModelFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_case_study() -> CaseStudy:
    sharing = TransformationModelFactory(slug="sharing", name="Sharing")
    holistic = TransformationModelFactory(slug="holistic", name="Holistic")
    case = CaseStudyFactory(
        models=[holistic, sharing],
        councils=[CouncilFactory(), CouncilFactory()],
        service_areas=[ServiceAreaFactory(slug="waste"), ServiceAreaFactory(slug="libraries")],
        partnership=PartnershipFactory(),
        programme=ProgrammeFactory(),
        end_year=2015,
        is_ongoing=False,
    )
    FigureFactory(case_study=case)
    ContactFactory(case_study=case)
    CaseStudy.objects.refresh_derived()
    return case


@pytest.fixture
def bare_case_study() -> CaseStudy:
    return CaseStudyFactory(councils=[CouncilFactory()])


@pytest.mark.parametrize("serializer_class", [CaseStudySerializer, CaseStudyDetailSerializer])
@pytest.mark.parametrize("case_fixture", ["full_case_study", "bare_case_study"])
def test_fast_path_equals_the_generic_walk(request, serializer_class, case_fixture) -> None:
    case = request.getfixturevalue(case_fixture)
    instance = CaseStudy.objects.for_detail().get(pk=case.pk)
    context = {"request": APIRequestFactory().get("/api/v1/case-studies/")}
    serializer = serializer_class(instance, context=context)
    generic = serializers.ModelSerializer.to_representation(serializer, instance)
    fast = serializer.data
    assert list(fast) == list(generic)
    assert dict(fast) == dict(generic)


@pytest.mark.postgres
@pytest.mark.parametrize("case_fixture", ["full_case_study", "bare_case_study"])
def test_postgres_listing_rows_equal_the_serializer(request, case_fixture) -> None:
    request.getfixturevalue(case_fixture)
    CaseStudyFactory(models=[TransformationModelFactory(slug="enabling", name="Enabling")])
    http_request = APIRequestFactory().get("/api/v1/case-studies/")
    cases = list(CaseStudy.objects.for_listing().order_by("-pk"))
    expected = CaseStudySerializer(cases, many=True, context={"request": http_request}).data
    rows = CaseStudy.objects.listing_rows([case.pk for case in cases], http_request)
    assert [list(row) for row in rows] == [list(row) for row in expected]
    assert rows == [dict(row) for row in expected]


@pytest.mark.postgres
def test_postgres_api_list_answers_what_the_serializer_answers(api, full_case_study, bare_case_study) -> None:
    from django.db.models import F

    answer = api("case-studies/", {"ordering": "-year"}).json()
    newest_first = F("start_year").desc(nulls_last=True)
    cases = list(CaseStudy.objects.published().for_listing().order_by(newest_first, "pk"))
    http_request = APIRequestFactory().get("/api/v1/case-studies/")
    expected = CaseStudySerializer(cases, many=True, context={"request": http_request}).data
    assert answer["count"] == len(cases)
    assert [row["slug"] for row in answer["results"]] == [case.slug for case in cases]
    assert answer["results"] == [dict(row) for row in expected]


def test_listing_rows_of_no_ids_is_empty(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert CaseStudy.objects.listing_rows([]) == []
