"""A list no filter narrows reads its total from the stored count of published case studies
(CaseStudyFacetTotal, kept by triggers) instead of counting the library on every page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def counted_case_studies(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)") and "casestudies_casestudy" in q["sql"]]


def test_unfiltered_list_reads_the_stored_total_without_counting(api):
    CaseStudyFactory.create_batch(3)
    CaseStudyFactory(status=CaseStudy.Status.DRAFT)
    with CaptureQueriesContext(connection) as queries:
        body = api("case-studies/").json()
    assert body["count"] == 3
    assert counted_case_studies(queries.captured_queries) == []


def test_blank_filters_and_ordering_still_read_the_stored_total(api):
    CaseStudyFactory.create_batch(2)
    with CaptureQueriesContext(connection) as queries:
        body = api("case-studies/?q=&council=&ordering=-year").json()
    assert body["count"] == 2
    assert counted_case_studies(queries.captured_queries) == []


def test_a_filtered_list_is_counted(api):
    CaseStudyFactory(title="Shared refuse service")
    CaseStudyFactory(title="Libraries trust")
    with CaptureQueriesContext(connection) as queries:
        body = api("case-studies/?q=refuse").json()
    assert body["count"] == 1
    assert len(counted_case_studies(queries.captured_queries)) == 1


def test_the_stored_total_follows_publishing_and_unpublishing_at_once(api, settings):
    settings.LIBRARY_CACHE_SECONDS = 0  # each answer computed, not the cached response
    draft = CaseStudyFactory(status=CaseStudy.Status.DRAFT)
    CaseStudyFactory()
    assert api("case-studies/").json()["count"] == 1
    CaseStudy.objects.filter(pk=draft.pk).update(status=CaseStudy.Status.PUBLISHED)
    assert api("case-studies/").json()["count"] == 2
    draft.delete()
    assert api("case-studies/").json()["count"] == 1


def test_page_past_the_stored_total_is_a_404(anon_client):
    CaseStudyFactory.create_batch(2)
    assert anon_client.get("/api/v1/case-studies/?page_size=1&page=3").status_code == 404
    assert anon_client.get("/api/v1/case-studies/?page_size=1&page=2").status_code == 200


def test_unfiltered_finder_reads_the_stored_total_without_counting(anon_client):
    CaseStudyFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        response = anon_client.get("/case-studies/")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 3
    assert counted_case_studies(queries.captured_queries) == []


def test_a_filtered_finder_is_counted(anon_client):
    CaseStudyFactory(title="Shared refuse service")
    CaseStudyFactory(title="Libraries trust")
    with CaptureQueriesContext(connection) as queries:
        response = anon_client.get("/case-studies/?q=refuse")
    assert response.context["page_obj"].paginator.count == 1
    assert len(counted_case_studies(queries.captured_queries)) == 1
