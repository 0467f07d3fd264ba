"""Cursor pages (``?cursor=``) for harvesting: id order, stable under inserts, Link headers, 400s."""

from __future__ import annotations

from base64 import b64encode
from urllib.parse import urlsplit

import pytest

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, FigureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_cases() -> list[CaseStudy]:
    # Titles in the reverse of id order, so that id order and title order differ.
    return [CaseStudyFactory(title=f"Case {9 - number}") for number in range(5)]


def slugs(answer) -> list[str]:
    return [row["slug"] for row in answer.json()["results"]]


def follow(client, url: str):
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}")


def harvest(client, path: str, page_size: int) -> list[str]:
    answer = client.get(path, {"cursor": "", "page_size": page_size})
    found = slugs(answer)
    while answer.json()["next"]:
        answer = follow(client, answer.json()["next"])
        assert answer.status_code == 200
        found += slugs(answer)
    return found


def test_an_empty_cursor_starts_at_the_lowest_id_without_a_count(api, five_cases) -> None:
    answer = api("case-studies/", {"cursor": "", "page_size": 2})
    assert answer.status_code == 200
    body = answer.json()
    assert "count" not in body
    assert slugs(answer) == [case.slug for case in five_cases[:2]]
    assert body["previous"] is None
    assert "cursor=" in body["next"]


def test_following_next_links_visits_every_case_once_in_id_order(anon_client, five_cases) -> None:
    assert harvest(anon_client, "/api/v1/case-studies/", 2) == [case.slug for case in five_cases]


def test_the_cursor_keeps_the_filters(anon_client, five_cases) -> None:
    for case in five_cases[1:4]:
        case.stage = CaseStudy.Stage.PROPOSAL
        case.save()
    answer = anon_client.get("/api/v1/case-studies/", {"cursor": "", "page_size": 2, "stage": "proposal"})
    second = follow(anon_client, answer.json()["next"])
    assert slugs(answer) + slugs(second) == [case.slug for case in five_cases[1:4]]


def test_a_case_added_during_a_harvest_comes_last_and_nothing_repeats(anon_client, five_cases) -> None:
    first = anon_client.get("/api/v1/case-studies/", {"cursor": "", "page_size": 2})
    added = CaseStudyFactory(title="Aardvark")  # first by title, last by id
    second = follow(anon_client, first.json()["next"])
    rest = follow(anon_client, second.json()["next"])
    assert slugs(first) + slugs(second) + slugs(rest) == [case.slug for case in five_cases] + [added.slug]


def test_previous_links_walk_back(anon_client, five_cases) -> None:
    first = anon_client.get("/api/v1/case-studies/", {"cursor": "", "page_size": 2})
    second = follow(anon_client, first.json()["next"])
    back = follow(anon_client, second.json()["previous"])
    assert slugs(back) == slugs(first)


def test_next_and_previous_are_also_a_link_header(anon_client, five_cases) -> None:
    first = anon_client.get("/api/v1/case-studies/", {"cursor": "", "page_size": 2})
    second = follow(anon_client, first.json()["next"])
    body = second.json()
    assert second["Link"] == f'<{body["next"]}>; rel="next", <{body["previous"]}>; rel="prev"'


def test_numbered_pages_have_a_link_header_too(api, five_cases) -> None:
    answer = api("case-studies/", {"page": 1, "page_size": 2})
    assert answer["Link"] == f'<{answer.json()["next"]}>; rel="next"'


def test_the_last_cursor_page_has_no_next_link_header(api, five_cases) -> None:
    answer = api("case-studies/", {"cursor": "", "page_size": 10})
    assert answer.json()["next"] is None
    assert "Link" not in answer


@pytest.mark.parametrize(
    "cursor",
    ["not base64!", b64encode(b"p=abc").decode(), b64encode(b"o=x").decode(), b64encode(b"o=-1").decode(), "é"],
)
def test_a_tampered_cursor_is_a_400_that_says_what_to_do(api, five_cases, cursor) -> None:
    answer = api("case-studies/", {"cursor": cursor})
    assert answer.status_code == 400
    assert "Follow the next or previous link" in answer.json()["cursor"][0]


@pytest.mark.parametrize(
    ("extra", "message"), [({"page": "2"}, "either page or cursor"), ({"ordering": "title"}, "id order")]
)
def test_cursor_with_page_or_ordering_is_a_400(api, five_cases, extra, message) -> None:
    answer = api("case-studies/", {"cursor": "", **extra})
    assert answer.status_code == 400
    name = next(iter(extra))
    assert message in answer.json()[name][0]


def test_a_cursor_page_size_outside_the_range_is_a_400(api, five_cases) -> None:
    assert api("case-studies/", {"cursor": "", "page_size": 101}).status_code == 400


def test_other_lists_harvest_by_cursor_too(anon_client, five_cases) -> None:
    figures = [FigureFactory(case_study=case) for case in five_cases]
    answer = anon_client.get("/api/v1/figures/", {"cursor": "", "page_size": 3})
    second = follow(anon_client, answer.json()["next"])
    found = [row["id"] for row in answer.json()["results"] + second.json()["results"]]
    assert found == [figure.pk for figure in figures]


def test_a_cursor_page_of_case_studies_needs_the_same_queries_whatever_its_size(
    api, five_cases, django_assert_num_queries
) -> None:
    from django.db import connection

    # PostgreSQL: the page's ids, then their rows. SQLite: the page, then one query per prefetch.
    expected = {"postgresql": 2}.get(connection.vendor, 4)
    for size in (1, 5):
        with django_assert_num_queries(expected):
            assert api("case-studies/", {"cursor": "", "page_size": size}).status_code == 200


def test_a_cursor_page_of_figures_needs_the_same_queries_whatever_its_size(
    api, five_cases, django_assert_num_queries
) -> None:
    for case in five_cases:
        FigureFactory(case_study=case)
    for size in (1, 5):
        with django_assert_num_queries(2):  # the page (with its case study and whole), the councils it applies to
            assert api("figures/", {"cursor": "", "page_size": size}).status_code == 200
