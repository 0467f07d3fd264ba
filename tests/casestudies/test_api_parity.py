"""The finder and the API answer the same query string with the same case studies (one FilterSet)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "",
        "model=sharing",
        "council_type=county&region=london",
        "ordering=-annual_saving",
        "min_annual_saving=1",
        "has_figures=true&page=2",
        "q=case",
    ],
)
def test_finder_and_api_return_the_same_case_studies(client, library_of, query):
    library_of(25)
    api = client.get(f"/api/v1/case-studies/?{query}", HTTP_ACCEPT="application/json")
    assert api.status_code == 200
    api_slugs = [row["slug"] for row in api.json()["results"]]
    web = client.get(f"/case-studies/?{query}")
    assert web.status_code == 200
    assert [case.slug for case in web.context["page_obj"].object_list] == api_slugs
    assert api_slugs or query not in ("", "model=sharing")  # these always match the library
