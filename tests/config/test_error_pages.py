"""The site's error pages (config/urls.py's handler404 and handler500): the site's 404 for an unknown
slug under every app, and a 500 page that renders without the database or the request."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/case-studies/no-such-case/",
        "/models/no-such-model/",
        "/councils/no-such-council/",
        "/councils/partnerships/no-such-partnership/",
        "/surveys/no-such-survey/",
        "/programmes/no-such-programme/",
        "/no/such/page/",
    ],
)
def test_unknown_slug_gives_the_sites_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Council Transformation Library" in response.content.decode()


def test_500_page_renders_without_database_or_request(db):
    from django.test import RequestFactory

    from casestudies.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_503_page_renders_without_database_or_request(django_assert_num_queries):
    from django.test import RequestFactory

    from config.database_outage import service_unavailable

    with django_assert_num_queries(0):
        response = service_unavailable(RequestFactory().get("/case-studies/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in response.content.decode()
