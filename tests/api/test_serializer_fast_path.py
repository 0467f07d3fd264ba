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
def test_postgres_listing_page_equals_the_serializer(request, case_fixture) -> None:
    request.getfixturevalue(case_fixture)
    CaseStudyFactory(models=[TransformationModelFactory(slug="enabling", name="Enabling")])
    http_request = APIRequestFactory().get("/api/v1/case-studies/")
    newest_first = CaseStudy.objects.for_listing().order_by("-pk")
    expected = CaseStudySerializer(list(newest_first), many=True, context={"request": http_request}).data
    text, total = CaseStudy.objects.listing_page(newest_first.all()[0:20], newest_first.all(), http_request)
    rows = text.decoded()
    assert total == len(expected)
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


@pytest.mark.postgres
def test_listing_page_is_one_statement_with_the_total(full_case_study, bare_case_study, django_assert_num_queries):
    everything = CaseStudy.objects.order_by("title", "pk")
    with django_assert_num_queries(1):
        text, total = CaseStudy.objects.listing_page(everything[1:2], everything)
    assert total == 2
    assert [row["slug"] for row in text.decoded()] == [everything[1].slug]


@pytest.mark.postgres
def test_listing_page_without_a_count_gives_no_total(full_case_study) -> None:
    everything = CaseStudy.objects.order_by("title", "pk")
    text, total = CaseStudy.objects.listing_page(everything[0:20], None)
    assert len(text.decoded()) == 1 and total is None


@pytest.mark.postgres
def test_an_empty_listing_page_gives_no_rows_and_the_total(full_case_study) -> None:
    everything = CaseStudy.objects.order_by("title", "pk")
    text, total = CaseStudy.objects.listing_page(everything[20:40], everything)
    assert text.decoded() == [] and total == 1


@pytest.mark.postgres
def test_listing_page_of_a_search_keeps_the_rank_order(full_case_study, bare_case_study) -> None:
    found = CaseStudy.objects.search(full_case_study.title).order_by("-search_rank", "pk")
    text, total = CaseStudy.objects.listing_page(found[0:20], found)
    assert [row["slug"] for row in text.decoded()] == [case.slug for case in found]
    assert total == found.count() >= 1


def test_pre_encoded_json_is_placed_as_it_is() -> None:
    from config.pre_encoded_json import JSONRenderer, PreEncodedJSON

    text = '[{"slug" : "a", "title" : "Café \\"quoted\\""}]'
    rendered = JSONRenderer().render({"count": 1, "next": None, "results": PreEncodedJSON(text)})
    assert rendered == ('{"count":1,"next":null,"results":' + text + "}").encode()


def test_a_value_that_looks_like_the_placeholder_is_left_alone() -> None:
    from config.pre_encoded_json import JSONRenderer, PreEncodedJSON

    rendered = JSONRenderer().render({"note": "pre-encoded-", "results": PreEncodedJSON("[]")})
    assert rendered == b'{"note":"pre-encoded-","results":[]}'


@pytest.mark.postgres
def test_csv_records_equal_the_records_built_from_objects(full_case_study, bare_case_study) -> None:
    from casestudies.models import csv_record

    everything = CaseStudy.objects.order_by("title", "pk")
    from_objects = [csv_record(case) for case in everything.for_listing()]
    assert list(everything.csv_records()) == from_objects
