"""Bad input to the API is a 400 (or 404 for pages) naming the parameter; never a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "parameter", "mentions"),
    [
        ({"model": "nonsense"}, "model", "holistic, sharing"),
        ({"council_type": "parish"}, "council_type", "county"),
        ({"region": "mars"}, "region", "london"),
        ({"year_from": "abc"}, "year_from", "whole number"),
        ({"year_from": "1066"}, "year_from", "1900"),
        ({"year_to": "2500"}, "year_to", "2100"),
        ({"min_annual_saving": "lots"}, "min_annual_saving", "whole number"),
        ({"has_figures": "maybe"}, "has_figures", "true or false"),
        ({"ordering": "colour"}, "ordering", ""),
        ({"q": "a\x00b"}, "q", "Null characters"),
        ({"q": "x" * 10_000}, "q", "200"),
        ({"model": "x" * 10_000}, "model", "Allowed values"),
        ({"council": "\x00"}, "council", ""),
        ({"page_size": "100000"}, "page_size", "1 to 100"),
        ({"page_size": "0"}, "page_size", "1 to 100"),
        ({"page_size": "ten"}, "page_size", "1 to 100"),
    ],
)
def test_bad_case_study_parameter_is_a_400_naming_it(api, library, params, parameter, mentions) -> None:
    response = api("case-studies/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    messages = response.json()[parameter]
    assert mentions in " ".join(messages)


@pytest.mark.parametrize("page", ["999999", "-1", "0", "abc", "9" * 5000])
def test_impossible_page_is_a_json_404(api, library, page) -> None:
    response = api("case-studies/", {"page": page})
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Invalid page")


@pytest.mark.parametrize(
    "path",
    ["figures/", "figures/summary/?group_by=kind", "case-studies/facets/", "councils/", "case-studies/?format=csv"],
)
def test_bad_filter_is_a_json_400_on_every_face(api, library, path) -> None:
    separator = "&" if "?" in path else "?"
    response = api(f"{path}{separator}region=mars")
    assert response.status_code == 400
    assert "region" in response.json()


def test_summary_needs_a_known_grouping(api, library) -> None:
    response = api("figures/summary/", {"group_by": "colour"})
    assert response.status_code == 400
    assert "group_by" in response.json()


@pytest.mark.parametrize("slug", ["%00", "x" * 10_000, "caf%C3%A9", "a%2Fb"])
def test_odd_slugs_are_a_404(api, library, slug) -> None:
    assert api(f"case-studies/{slug}/").status_code == 404


def test_unknown_slug_error_lists_a_bounded_number_of_allowed_values(api, db) -> None:
    from tests.factories import CaseStudyFactory

    for _ in range(55):
        CaseStudyFactory()
    message = api("figures/", {"case_study": "nope"}).json()["case_study"][0]
    assert message.endswith(", ….")
    assert message.count(",") == 50


def test_empty_paging_parameters_are_rejected_not_ignored(api, library) -> None:
    assert api("case-studies/", {"page_size": ""}).status_code == 400
    assert api("case-studies/", {"page": ""}).status_code == 404


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("case-studies/?regoin=london", "regoin"),
        ("figures/?q=waste", "q"),
        ("figures/summary/?group_by=kind&q=waste", "q"),
        ("case-studies/facets/?page=2", "page"),
        ("councils/suffolk/?model=sharing", "model"),
    ],
)
def test_an_unknown_parameter_is_a_400_naming_it_and_the_accepted_ones(api, path, param) -> None:
    response = api(path)
    assert response.status_code == 400
    (message,) = response.json()[param]
    assert message.startswith("Unknown parameter. Accepted parameters: ")
    assert "format" in message
