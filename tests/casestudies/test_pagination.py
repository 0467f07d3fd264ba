"""Paging the case-study list: the same pages, links and errors whichever way the total is found.

On PostgreSQL the JSON page and its total come from one statement (``paginate_with_total``); these
tests pin what a client sees, on every database.
"""

from __future__ import annotations

import pytest

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_cases() -> list[str]:
    cases = [CaseStudyFactory(title=f"Case {number}") for number in range(5)]
    return [case.slug for case in cases]


def slugs(answer) -> list[str]:
    return [row["slug"] for row in answer.json()["results"]]


def test_a_middle_page_has_its_rows_total_and_links(api, five_cases) -> None:
    answer = api("case-studies/", {"page": 2, "page_size": 2})
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 5
    assert slugs(answer) == five_cases[2:4]
    assert body["next"].endswith("page=3&page_size=2")
    assert "page_size=2" in body["previous"] and "page=" not in body["previous"].replace("page_size", "")


def test_the_last_page_by_number_and_by_name(api, five_cases) -> None:
    assert slugs(api("case-studies/", {"page": 3, "page_size": 2})) == five_cases[4:]
    by_name = api("case-studies/", {"page": "last", "page_size": 2})
    assert slugs(by_name) == five_cases[4:]
    assert by_name.json()["next"] is None


def test_a_page_past_the_end_is_a_json_404(api, five_cases) -> None:
    answer = api("case-studies/", {"page": 4, "page_size": 2})
    assert answer.status_code == 404
    assert answer.json()["detail"] == "Invalid page: That page contains no results."


def test_no_match_is_an_empty_first_page(api, five_cases) -> None:
    answer = api("case-studies/", {"q": "no such words anywhere"})
    assert answer.status_code == 200
    assert answer.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_the_total_counts_only_published_case_studies(api, five_cases) -> None:
    CaseStudyFactory(title="Case 9", status=CaseStudy.Status.DRAFT)
    assert api("case-studies/", {"page_size": 1}).json()["count"] == 5
