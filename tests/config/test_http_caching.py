"""Conditional GET and Cache-Control: free caching for anonymous readers, none for curators."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.helpers import caching_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.helpers.caching_urls")]


@pytest.fixture(autouse=True)
def _max_age(settings) -> None:
    settings.CACHE_MAX_AGE = 120


@pytest.mark.parametrize("path", ["/case-studies/", "/api/v1/case-studies/"])
def test_anonymous_get_is_publicly_cacheable(anon_client, path) -> None:
    response = anon_client.get(path)
    assert response["Cache-Control"] == "public, max-age=120"


def test_responses_vary_on_accept_and_cookie(anon_client) -> None:
    vary = {part.strip() for part in anon_client.get("/case-studies/")["Vary"].split(",")}
    assert {"Accept", "Cookie"} <= vary


def test_get_response_carries_an_etag(anon_client) -> None:
    assert anon_client.get("/case-studies/").has_header("ETag")


def test_matching_if_none_match_gets_304_with_cache_headers(anon_client) -> None:
    etag = anon_client.get("/case-studies/")["ETag"]
    response = anon_client.get("/case-studies/", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response["Cache-Control"] == "public, max-age=120"
    assert response.content == b""


def test_stale_if_none_match_gets_the_full_page(anon_client) -> None:
    response = anon_client.get("/case-studies/", headers={"if-none-match": '"something-else"'})
    assert response.status_code == 200


def test_signed_in_curator_gets_private_no_store(curator_client) -> None:
    response = curator_client.get("/case-studies/")
    assert response["Cache-Control"] == "private, no-store"


def test_request_with_credentials_gets_private_no_store(anon_client) -> None:
    response = anon_client.get("/case-studies/", headers={"authorization": "Basic Y3VyYXRvcjpzZWNyZXQ="})
    assert response["Cache-Control"] == "private, no-store"


def test_anonymous_response_costs_no_session_or_user_query(anon_client, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        anon_client.get("/case-studies/")


def test_admin_is_never_publicly_cached(anon_client) -> None:
    response = anon_client.get("/" + settings.ADMIN_URL + "thing/")
    assert response["Cache-Control"] == "private, no-store"


def test_error_response_is_not_publicly_cached(anon_client) -> None:
    assert anon_client.get("/missing/")["Cache-Control"] == "private, no-store"


def test_post_is_not_publicly_cached(anon_client) -> None:
    response = anon_client.post("/case-studies/")
    assert response["Cache-Control"] == "private, no-store"


def test_response_setting_a_cookie_is_not_publicly_cached(anon_client) -> None:
    response = anon_client.get("/form/")
    assert "csrftoken" in response.cookies
    assert response["Cache-Control"] == "private, no-store"


def test_view_cache_control_is_left_alone(anon_client) -> None:
    response = anon_client.get("/fresh/")
    assert "public" not in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]


def test_streaming_response_is_not_buffered_by_the_middleware(anon_client) -> None:
    caching_urls.STREAMED.clear()
    response = anon_client.get("/export.csv")
    assert response.streaming
    assert caching_urls.STREAMED == []  # nothing consumed before the server iterates
    assert not response.has_header("ETag")
    assert b"".join(response.streaming_content) == b"row 0\nrow 1\nrow 2\n"
    assert response["Cache-Control"] == "public, max-age=120"
