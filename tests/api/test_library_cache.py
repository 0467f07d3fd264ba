"""Counts, facets and anonymous responses are cached for LIBRARY_CACHE_SECONDS, then computed again
(api/library_cache.py: expiry by time only, so no write path can be missed)."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.library_cache import CachedCountPaginator, cached_count
from casestudies.filters import case_study_facets
from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, CouncilFactory, TransformationModelFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/case-studies/"


@pytest.fixture(autouse=True)
def _cache_on(settings) -> None:
    settings.LIBRARY_CACHE_SECONDS = 60


@pytest.fixture
def sharing():
    return TransformationModelFactory(slug="sharing", name="Sharing")


@pytest.fixture
def cases(sharing) -> list[CaseStudy]:
    return [CaseStudyFactory(title=f"Case {n}", models=[sharing]) for n in range(3)]


def queries_of(client, path: str, **extra) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    return len(captured), response


def test_a_repeated_anonymous_request_is_answered_without_queries(anon_client, cases) -> None:
    first_queries, first = queries_of(anon_client, LIST)
    queries, again = queries_of(anon_client, LIST)
    assert first_queries > 0 and first["X-Library-Cache"] == "miss"
    assert queries == 0 and again["X-Library-Cache"] == "hit"
    assert again.json() == first.json()


def test_a_change_is_served_once_the_cached_answer_expires(anon_client, cases, settings) -> None:
    settings.LIBRARY_CACHE_SECONDS = 1
    anon_client.get(LIST)
    cases[0].title = "Renamed by a curator"
    cases[0].save()
    titles = {row["title"] for row in anon_client.get(LIST).json()["results"]}
    assert "Renamed by a curator" not in titles  # still the cached answer, at most 1 s old
    time.sleep(1.1)
    response = anon_client.get(LIST)
    assert response["X-Library-Cache"] == "miss"
    assert "Renamed by a curator" in {row["title"] for row in response.json()["results"]}


def test_a_cached_answer_still_gets_an_etag_and_a_304(anon_client, cases) -> None:
    etag = anon_client.get(LIST)["ETag"]
    response = anon_client.get(LIST, headers={"if-none-match": etag})
    assert response.status_code == 304


def test_another_page_of_the_same_filter_reuses_the_count(cases, sharing, django_assert_num_queries) -> None:
    matching = CaseStudy.objects.published().filter(model_links__model=sharing)
    assert CachedCountPaginator(matching.order_by("title"), 1).page(2).number == 2
    with django_assert_num_queries(0):
        assert CachedCountPaginator(matching.order_by("-title", "pk"), 2).count == 3


def test_cached_count_is_keyed_by_the_filter(cases, sharing) -> None:
    other = TransformationModelFactory(slug="holistic", name="Holistic")
    CaseStudyFactory(models=[other])
    published = CaseStudy.objects.published()
    assert cached_count(published.filter(model_links__model=sharing)) == 3
    assert cached_count(published.filter(model_links__model=other)) == 1


def test_cached_count_of_an_empty_queryset_runs_no_query(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert cached_count(CaseStudy.objects.none()) == 0


def test_facets_are_cached_whatever_the_order_of_the_values(cases, django_assert_num_queries) -> None:
    CouncilFactory(slug="x")
    from django.http import QueryDict

    first = case_study_facets(QueryDict("council_type=county&council_type=district&page=2"))
    with django_assert_num_queries(0):
        again = case_study_facets(QueryDict("council_type=district&council_type=county"))
    assert again == first


def test_signed_in_curators_get_fresh_answers(curator_client, cases) -> None:
    curator_client.get(LIST)
    queries, response = queries_of(curator_client, LIST)
    assert queries > 0 and not response.has_header("X-Library-Cache")


@pytest.mark.parametrize(
    "path", [f"{LIST}?model=nonsense", f"{LIST}?format=csv", "/case-studies/no-such-case/", "/api/v1/nowhere/"]
)
def test_errors_and_streams_are_not_stored(anon_client, cases, path) -> None:
    anon_client.get(path)
    response = anon_client.get(path)
    assert response.get("X-Library-Cache") != "hit"


def test_the_finder_page_is_cached(anon_client, cases) -> None:
    anon_client.get("/case-studies/", {"model": "sharing"})
    queries, response = queries_of(anon_client, "/case-studies/?model=sharing")
    assert response.status_code == 200 and queries == 0


def test_answers_differ_by_accept_header(anon_client, cases) -> None:
    json_answer = anon_client.get(LIST, headers={"accept": "application/json"})
    csv_answer = anon_client.get(LIST, headers={"accept": "text/csv"})
    assert csv_answer["Content-Type"].startswith("text/csv")
    assert json_answer["Content-Type"].startswith("application/json")


def test_zero_seconds_turns_the_cache_off(anon_client, cases, settings) -> None:
    settings.LIBRARY_CACHE_SECONDS = 0
    anon_client.get(LIST)
    queries, response = queries_of(anon_client, LIST)
    assert queries > 0 and not response.has_header("X-Library-Cache")


@pytest.mark.urls("tests.helpers.caching_urls")
def test_a_response_that_sets_a_cookie_is_not_stored(cases) -> None:
    from django.test import Client

    Client().get("/form/")
    response = Client().get("/form/")
    assert response.cookies and response.get("X-Library-Cache") != "hit"


@pytest.mark.urls("tests.helpers.caching_urls")
def test_admin_paths_are_not_stored(anon_client, cases) -> None:
    from django.conf import settings

    anon_client.get(f"/{settings.ADMIN_URL}thing/")
    assert not anon_client.get(f"/{settings.ADMIN_URL}thing/").has_header("X-Library-Cache")


# --- What the cache keys on: the known parameters, canonical, and the negotiated format -----------


def cache_state(client, path: str, **extra) -> str:
    response = client.get(path, **extra)
    assert response.status_code == 200, response.content[:300]
    return response["X-Library-Cache"]


@pytest.mark.parametrize("page", ["/case-studies/", "/councils/"])
def test_unknown_parameters_on_a_page_create_no_entries(anon_client, cases, page) -> None:
    assert cache_state(anon_client, page) == "miss"
    # Served from the bare page's entry: no entry of their own, however many campaign tags.
    assert cache_state(anon_client, f"{page}?utm=1") == "hit"
    assert cache_state(anon_client, f"{page}?utm=2&fbclid=x") == "hit"


def test_unknown_parameters_are_dropped_beside_known_ones(anon_client, cases) -> None:
    assert cache_state(anon_client, "/case-studies/?model=sharing") == "miss"
    assert cache_state(anon_client, "/case-studies/?utm=1&model=sharing") == "hit"


def test_an_api_request_with_an_unknown_parameter_is_never_looked_up_or_stored(anon_client, cases) -> None:
    for number in (1, 2):
        response = anon_client.get(f"{LIST}?utm={number}")
        assert response.status_code == 400
        assert not response.has_header("X-Library-Cache")


@pytest.mark.parametrize("base", [LIST, "/case-studies/"])
def test_parameter_order_and_repeated_values_share_an_entry(anon_client, cases, base) -> None:
    CouncilFactory(slug="kent")
    assert cache_state(anon_client, f"{base}?model=sharing&council_type=county") == "miss"
    assert cache_state(anon_client, f"{base}?council_type=county&model=sharing") == "hit"
    assert cache_state(anon_client, f"{base}?model=sharing&council_type=county&model=sharing") == "hit"


def test_values_of_a_multiple_choice_are_a_set(anon_client, cases) -> None:
    TransformationModelFactory(slug="holistic", name="Holistic")
    assert cache_state(anon_client, f"{LIST}?model=sharing&model=holistic") == "miss"
    assert cache_state(anon_client, f"{LIST}?model=holistic&model=sharing") == "hit"


def test_a_single_valued_parameter_keys_on_its_last_value(anon_client, cases) -> None:
    """``?q=a&q=b`` searches for b, as every form field reads the last value; so its order matters."""
    assert cache_state(anon_client, f"{LIST}?q=case&q=renamed") == "miss"
    assert cache_state(anon_client, f"{LIST}?q=renamed") == "hit"
    assert cache_state(anon_client, f"{LIST}?q=renamed&q=case") == "miss"


def test_page_parameters_are_part_of_the_key(anon_client, cases) -> None:
    assert cache_state(anon_client, f"{LIST}?page_size=1") == "miss"
    assert cache_state(anon_client, f"{LIST}?page_size=1&page=2") == "miss"
    assert cache_state(anon_client, f"{LIST}?page=2&page_size=1") == "hit"


@pytest.mark.parametrize(
    "accept", ["application/json", "*/*", "application/*", "application/json;q=0.9, */*;q=0.1", "text/html, */*;q=0.8"]
)
def test_accept_headers_that_negotiate_json_share_one_entry(anon_client, cases, accept) -> None:
    assert cache_state(anon_client, LIST) == "miss"
    assert cache_state(anon_client, LIST, headers={"accept": accept}) == "hit"
    assert cache_state(anon_client, f"{LIST}?format=json", headers={"accept": accept}) == "hit"


def test_an_indented_json_answer_has_its_own_entry(anon_client, cases) -> None:
    assert cache_state(anon_client, LIST) == "miss"
    indented = anon_client.get(LIST, headers={"accept": "application/json; indent=4"})
    assert indented["X-Library-Cache"] == "miss" and b'\n    "count"' in indented.content


def test_an_accept_header_the_api_cannot_answer_is_not_stored(anon_client, cases) -> None:
    for _ in range(2):
        response = anon_client.get(LIST, headers={"accept": "text/html"})
        assert response.status_code == 406 and not response.has_header("X-Library-Cache")


@pytest.mark.parametrize("accept", ["text/html", "*/*", "application/json", "nonsense/" + "x" * 500])
def test_a_page_is_one_entry_whatever_the_accept_header(anon_client, cases, accept) -> None:
    assert cache_state(anon_client, "/case-studies/") == "miss"
    assert cache_state(anon_client, "/case-studies/", headers={"accept": accept}) == "hit"


def test_a_page_that_declares_no_parameters_is_cached_only_without_a_query(anon_client, cases) -> None:
    assert cache_state(anon_client, "/about-the-data/") == "miss"
    assert cache_state(anon_client, "/about-the-data/") == "hit"
    assert not anon_client.get("/about-the-data/?utm=1").has_header("X-Library-Cache")


def test_with_the_cache_off_a_count_builds_no_key(settings, monkeypatch, cases) -> None:
    # The count's key is its compiled SQL: with the cache off, compiling it would be wasted work.
    settings.LIBRARY_CACHE_SECONDS = 0

    def no_key(queryset):
        raise AssertionError("a key was built with the cache off")

    monkeypatch.setattr("api.library_cache._count_parts", no_key)
    assert cached_count(CaseStudy.objects.published()) == 3
