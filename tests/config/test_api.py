"""The API as a whole: its root lists every endpoint, every list agrees with its details, unknown
paths are a JSON 404, writes are refused and any origin may read."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_root_lists_every_endpoint(api) -> None:
    body = api("").json()
    assert body["case-studies"] == "http://testserver/api/v1/case-studies/"
    assert set(body) >= {"transformation-models", "councils", "figures", "figure-summary", "schema", "docs"}


@pytest.mark.parametrize(
    ("path", "slug"),
    [
        ("transformation-models", "sharing"),
        ("councils", "suffolk"),
        ("case-studies", "both-models"),
        ("service-areas", "waste"),
    ],
)
def test_list_and_detail_agree(api, library, path, slug) -> None:
    listed = api(f"{path}/").json()
    detail = api(f"{path}/{slug}/").json()
    assert {"count", "next", "previous", "results"} <= set(listed)
    assert detail["slug"] == slug
    assert slug in [row["slug"] for row in listed["results"]]


def test_unknown_api_path_is_a_json_404(api) -> None:
    response = api("nothing-here/")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["case-studies/", "case-studies/both-models/", "figures/", "councils/suffolk/"])
def test_writes_are_refused(anon_client, library, method, path) -> None:
    response = getattr(anon_client, method)(f"/api/v1/{path}", {}, content_type="application/json")
    assert response.status_code == 405


def test_cors_allows_reading_from_a_notebook_in_a_browser(api, library) -> None:
    response = api("case-studies/", HTTP_ORIGIN="https://notebook.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("path", "offered"),
    [
        ("case-studies/facets/?format=csv", "json"),
        ("figures/summary/?group_by=kind&format=csv", "json"),
        ("case-studies/?format=xml", "json, csv"),
        ("case-studies/?format=", "json, csv"),
    ],
)
def test_a_format_an_endpoint_does_not_offer_is_406_naming_the_offered_ones(api, path, offered) -> None:
    response = api(path)
    assert response.status_code == 406
    assert response["Content-Type"].startswith("application/json")
    assert f"Use one of: {offered}" in response.json()["detail"]
