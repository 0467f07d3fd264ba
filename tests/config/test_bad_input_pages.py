"""No input to a public page gives a 500: bad values are a 4xx with a message, or a normal page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

BAD_QUERIES = [
    "q=%00",
    "q=" + "x" * 10_000,
    "q=%F0%9F%98%80%E2%80%AE",
    "model=%00",
    "model=" + "a" * 10_000,
    "council_type=county&council_type=castle",
    "region=",
    "year_from=1e5",
    "year_from=-2000",
    "year_to=99999999999999999999",
    "min_annual_saving=NaN",
    "min_annual_saving=99999999999999999999999",
    "has_figures=%00",
    "ordering=-",
    "ordering=title&ordering=%00",
    "page=0",
    "page=-1",
    "page=abc",
    "page=99999999999999999999",
    "page=last",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_finder_never_answers_500(client, library_of, query):
    library_of(2)
    response = client.get(f"/case-studies/?{query}")
    assert response.status_code in {200, 400, 404}


@pytest.mark.parametrize("query", ["council_type=%00", "q=" + "y" * 10_000, "abolished=maybe", "region=mars"])
def test_council_list_never_answers_500(client, db, query):
    assert client.get(f"/councils/?{query}").status_code in {200, 400}


@pytest.mark.parametrize("path", ["/case-studies/%00/", "/councils/%E2%80%AE/", "/models/" + "a" * 500 + "/"])
def test_odd_slugs_are_not_found(client, db, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query", [*BAD_QUERIES, "compare=%00", "compare=" + "a," * 5000, "compare=,,,", "compare=a&compare=%FF"]
)
def test_comparison_briefing_and_feed_never_answer_500(client, library_of, query):
    library_of(2)
    for path in ("/case-studies/compare/", "/case-studies/compare/briefing.docx", "/case-studies/feed/"):
        assert client.get(f"{path}?{query}").status_code in {200, 302, 400}, path
