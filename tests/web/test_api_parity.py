"""The finder and the API answer the same query string with the same case studies.

The API is built on another branch; until it is merged these tests skip themselves.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    ["", "model=sharing", "council_type=county&region=london", "ordering=-annual_saving", "has_figures=true&page=2"],
)
def test_finder_and_api_return_the_same_case_studies(client, library_of, query):
    library_of(25)
    api = client.get(f"/api/v1/case-studies/?{query}", HTTP_ACCEPT="application/json")
    if api.status_code == 404:
        pytest.skip("the API is not in this branch yet")
    data = api.json()
    api_slugs = [row["slug"] for row in (data["results"] if isinstance(data, dict) else data)]
    web = client.get(f"/case-studies/?{query}")
    assert [case.slug for case in web.context["page_obj"].object_list] == api_slugs
