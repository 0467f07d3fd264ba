"""On PostgreSQL the case-study list's rows are built by the database from CaseStudySerializer's
fields (api/serializer_rows.py); they must equal what the serializer gives, field for field."""

from __future__ import annotations

import re

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from api.serializer_rows import UnsupportedField, page_rows, row_expressions
from casestudies.models import CaseStudy
from casestudies.serializers import CaseStudySerializer
from tests.factories import (
    CaseStudyFactory,
    CouncilFactory,
    FigureFactory,
    PartnershipFactory,
    ServiceAreaFactory,
    TransformationModelFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def varied_cases(postgres_only) -> list[CaseStudy]:
    sharing = TransformationModelFactory(slug="sharing", name="Sharing", display_order=5)
    holistic = TransformationModelFactory(slug="holistic", name="Holistic", display_order=6)
    district = CouncilFactory(slug="adur", name="Adur")
    county = CouncilFactory(slug="kent", name="Kent", council_type="county")
    waste = ServiceAreaFactory(slug="waste", name="Waste")
    libraries = ServiceAreaFactory(slug="libraries", name="Libraries")
    full = CaseStudyFactory(
        slug="full",
        models=[holistic, sharing],
        councils=[district, county],
        service_areas=[waste, libraries],
        partnership=PartnershipFactory(slug="pair"),
    )
    FigureFactory(case_study=full, amount_low=1_000_000, amount_high=2_000_000)
    bare = CaseStudyFactory(slug="bare")
    bare.model_links.all().delete()
    bare.council_links.all().delete()
    bare.service_areas.clear()
    return [full, bare]


def test_rows_built_in_sql_equal_the_serializer(varied_cases) -> None:
    request = APIRequestFactory().get("/api/v1/case-studies/")
    queryset = CaseStudy.objects.for_listing().order_by("title", "pk")
    serializer = CaseStudySerializer(context={"request": request})
    expected = [serializer.to_representation(case) for case in queryset]
    built = page_rows(serializer, [case.pk for case in queryset], lambda: queryset, request)
    assert built == expected
    assert built[1]["models"] == [] and built[1]["councils"] == [] and built[1]["primary_model"] is None


def test_the_api_list_is_three_queries_whatever_the_page_size(
    api, varied_cases, django_assert_num_queries, settings
) -> None:
    settings.LIBRARY_CACHE_SECONDS = 0
    # count, the page's ids, the page's rows with their links
    for size in (1, 2):
        with django_assert_num_queries(3):
            assert len(api("case-studies/", {"page_size": size}).json()["results"]) == size


def test_a_searched_page_reads_its_rows_by_id_without_searching_again(api, varied_cases, settings) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.LIBRARY_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as captured:
        found = api("case-studies/", {"q": varied_cases[0].title}).json()["results"]
    count, ids, rows = (query["sql"] for query in captured.captured_queries)
    assert "tsquery" in count and "tsquery" in ids
    assert "tsquery" not in rows  # the search chose the ids; the rows statement only reads them
    assert found[0]["slug"] == varied_cases[0].slug


def test_a_field_that_cannot_be_built_in_sql_is_an_error(postgres_only) -> None:
    class WithAMethod(CaseStudySerializer):
        extra = serializers.SerializerMethodField()

        class Meta(CaseStudySerializer.Meta):
            fields = [*CaseStudySerializer.Meta.fields, "extra"]

        def get_extra(self, obj: CaseStudy) -> str:
            return "x"

    with pytest.raises(UnsupportedField, match="extra"):
        row_expressions(WithAMethod(), CaseStudy.objects.for_listing(), None)


def _row_statements(captured) -> list[str]:
    return [query["sql"] for query in captured.captured_queries if '"row_slug"' in query["sql"]]


def test_every_page_runs_the_same_row_statement_with_only_its_ids_changed(api, varied_cases, settings) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.LIBRARY_CACHE_SECONDS = 0
    CaseStudyFactory(slug="third")
    with CaptureQueriesContext(connection) as captured:
        first = api("case-studies/", {"page_size": 2}).json()["results"]
        all_three = api("case-studies/", {"page_size": 3}).json()["results"]
    two_ids, three_ids = _row_statements(captured)
    ids = re.compile(r"ANY\('\{[0-9,]+\}'::int[248]\[\]\)")
    assert len(ids.findall(two_ids)) == 1
    assert ids.sub("ANY(ids)", two_ids) == ids.sub("ANY(ids)", three_ids)
    assert [row["slug"] for row in all_three][:2] == [row["slug"] for row in first]


def test_a_page_of_one_row_asks_for_its_one_id(api, varied_cases, settings) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.LIBRARY_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as captured:
        (row,) = api("case-studies/", {"page_size": 1}).json()["results"]
    (statement,) = _row_statements(captured)
    assert re.search(r'"casestudies_casestudy"\."id" = \d+$', statement)
    assert row["slug"] == CaseStudy.objects.published().order_by("title", "pk").first().slug


def test_a_page_row_of_links_does_not_join_back_to_its_case_study(api, varied_cases, settings) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.LIBRARY_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as captured:
        api("case-studies/")
    (rows,) = _row_statements(captured)
    # Each link subquery orders the links of one case study: by role and position, not by its title.
    assert 'JOIN "casestudies_casestudy"' not in rows


def test_the_row_statement_follows_the_site_the_request_came_to(varied_cases, settings) -> None:
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    queryset = CaseStudy.objects.for_listing().order_by("title", "pk")
    ids = [case.pk for case in queryset]
    for host in ("one.example", "two.example"):
        request = APIRequestFactory().get("/api/v1/case-studies/", HTTP_HOST=host)
        rows = page_rows(CaseStudySerializer(context={"request": request}), ids, lambda: queryset, request)
        assert all(row["url"].startswith(f"http://{host}/") for row in rows)


def test_the_ids_of_a_page_are_chosen_without_the_rows_annotations(varied_cases) -> None:
    from rest_framework.renderers import JSONRenderer
    from rest_framework.request import Request

    from casestudies.api import CaseStudyViewSet

    request = Request(APIRequestFactory().get("/api/v1/case-studies/"))
    request.accepted_renderer = JSONRenderer()
    view = CaseStudyViewSet(action="list", request=request, format_kwarg=None)
    # Resolving the headline saving's subqueries is wasted on a statement that selects ids.
    assert "headline_annual_saving" not in view.get_queryset().query.annotations
    assert "headline_annual_saving" in view.get_row_queryset().query.annotations


def test_a_page_row_has_the_headline_saving_its_ids_statement_left_out(api, varied_cases, settings) -> None:
    settings.LIBRARY_CACHE_SECONDS = 0
    found = api("case-studies/", {"model": "sharing"}).json()["results"]
    assert [row["slug"] for row in found] == ["full"]
    assert found[0]["headline_annual_saving"] is not None
    assert found[0]["headline_saving_status"] == "achieved"


def test_a_row_statement_takes_only_the_annotations_its_fields_read(varied_cases, settings) -> None:
    settings.ALLOWED_HOSTS = ["searched.example"]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request = APIRequestFactory().get("/api/v1/case-studies/", HTTP_HOST="searched.example")
    searched = CaseStudy.objects.for_listing().search(varied_cases[0].title)  # adds a ranked join
    serializer = CaseStudySerializer(context={"request": request})
    with CaptureQueriesContext(connection) as captured:
        rows = page_rows(serializer, [case.pk for case in varied_cases], lambda: searched, request)
    assert [row["slug"] for row in rows] == ["full", "bare"]
    assert "searchdocument" not in captured.captured_queries[-1]["sql"]


def test_a_row_statement_has_one_parameter_its_ids(varied_cases) -> None:
    from api.serializer_rows import RowSource, row_statement

    source = RowSource(CaseStudySerializer, lambda: CaseStudy.objects.for_listing(), "http://testserver/", "default")
    statement = row_statement(source)
    # The JSON keys and the URLs' parts are written into the statement: psycopg would otherwise find
    # every placeholder of a statement this long on every run.
    assert statement.sql.count("%s") == 1
    assert "'slug'" in statement.sql and "'http://testserver/case-studies/'" in statement.sql
    rows = statement.run([case.pk for case in varied_cases])
    assert sorted(row["slug"] for row in rows) == ["bare", "full"]
