"""A search in relevance order is counted by the statement that selects its page
(``COUNT(*) OVER ()``, api/pagination.py ``CountedWithPage``): ranking sorts every match to find
any page, so a separate ``COUNT`` would find them all again. Other orders, and pages that are not a
plain number, are counted as any list is."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def separate_counts(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)") and "casestudies_casestudy" in q["sql"]]


def counted_with_page(queries) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(*) OVER ()" in q["sql"]]


@pytest.fixture
def refuse_cases() -> list[CaseStudy]:
    """Five published refuse cases (the best match first), one draft and one other case."""
    cases = [CaseStudyFactory(title="Refuse and refuse collection: shared refuse depot")]
    cases += [CaseStudyFactory(title=f"Refuse service {n}") for n in range(4)]
    CaseStudyFactory(title="Refuse draft", status=CaseStudy.Status.DRAFT)
    CaseStudyFactory(title="Libraries trust")
    return cases


def test_a_search_page_and_its_total_are_one_statement(api, refuse_cases):
    with CaptureQueriesContext(connection) as queries:
        body = api("case-studies/?q=refuse&page_size=2").json()
    assert body["count"] == 5
    assert body["results"][0]["slug"] == refuse_cases[0].slug
    assert len(counted_with_page(queries.captured_queries)) == 1
    assert separate_counts(queries.captured_queries) == []


def test_every_page_of_a_search_has_the_same_total_and_its_own_rows(api, refuse_cases):
    pages = [api(f"case-studies/?q=refuse&page_size=2&page={number}").json() for number in (1, 2, 3)]
    assert [page["count"] for page in pages] == [5, 5, 5]
    slugs = [row["slug"] for page in pages for row in page["results"]]
    assert sorted(slugs) == sorted(case.slug for case in refuse_cases)
    assert [len(page["results"]) for page in pages] == [2, 2, 1]
    assert pages[2]["next"] is None


def test_a_search_page_past_the_end_is_a_404(api, refuse_cases):
    assert api("case-studies/?q=refuse&page_size=2&page=4").status_code == 404


def test_a_search_with_no_match_has_an_empty_first_page(api, refuse_cases):
    body = api("case-studies/?q=telecare").json()
    assert body["count"] == 0
    assert body["results"] == []


def test_the_last_page_of_a_search_is_counted_first(api, refuse_cases):
    body = api("case-studies/?q=refuse&page_size=2&page=last").json()
    assert body["count"] == 5
    assert len(body["results"]) == 1


def test_a_search_in_another_order_is_counted_apart(api, refuse_cases):
    with CaptureQueriesContext(connection) as queries:
        body = api("case-studies/?q=refuse&ordering=title").json()
    assert body["count"] == 5
    assert counted_with_page(queries.captured_queries) == []
    assert len(separate_counts(queries.captured_queries)) == 1


def test_the_finder_counts_a_search_with_its_page(anon_client, refuse_cases):
    with CaptureQueriesContext(connection) as queries:
        response = anon_client.get("/case-studies/?q=refuse")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 5
    assert response.context["page_obj"].object_list[0].slug == refuse_cases[0].slug
    assert separate_counts(queries.captured_queries) == []


def test_a_finder_search_page_past_the_end_is_a_404(anon_client, refuse_cases):
    assert anon_client.get("/case-studies/?q=refuse&page=2").status_code == 404
