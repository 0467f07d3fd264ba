"""A bad-input battery: every public endpoint and every filter parameter, fed hostile
values, answers with a 4xx and a message or a normal result; never a 500."""

from __future__ import annotations

import pytest

from casestudies.filters import CaseStudyFilter, FigureFilter
from councils.filters import CouncilFilter
from tests.factories import CaseStudyFactory, FigureFactory, FindingFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = [
    "\x00",
    "abc\x00def",
    "x" * 10_000,
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "1.5",
    "2016-13-45",
    "\u202e\u0000",
    "😀🏴󠁧󠁢󠁷󠁬󠁳󠁿",
    "%",
    "' OR 1=1 --",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    " ",
]

CASE_STUDY_PARAMS = [*CaseStudyFilter.base_filters, "page", "page_size", "format"]
FIGURE_PARAMS = [*FigureFilter.base_filters, "page", "page_size", "format"]
COUNCIL_PARAMS = [*CouncilFilter.base_filters, "page", "page_size", "format"]

LIST_ENDPOINTS = [
    ("/api/v1/case-studies/", CASE_STUDY_PARAMS),
    ("/api/v1/case-studies/facets/", CASE_STUDY_PARAMS),
    ("/case-studies/", CASE_STUDY_PARAMS),
    ("/api/v1/figures/", FIGURE_PARAMS),
    ("/api/v1/figures/summary/", [*FIGURE_PARAMS, "group_by"]),
    ("/api/v1/councils/", COUNCIL_PARAMS),
    ("/councils/", COUNCIL_PARAMS),
    ("/api/v1/transformation-models/", ["page", "page_size", "format"]),
    ("/api/v1/surveys/", ["page", "page_size", "format"]),
    ("/api/v1/programmes/", ["page", "page_size", "format"]),
    ("/api/v1/themes/", ["page", "page_size", "format", "kind"]),
    ("/api/v1/service-areas/", ["page", "page_size", "format"]),
    ("/api/v1/releases/", ["page", "page_size", "cursor", "format"]),
    ("/api/v1/releases/changes/", ["since", "table", "record", "format"]),
]

DETAIL_PREFIXES = [
    "/api/v1/case-studies/",
    "/api/v1/councils/",
    "/api/v1/transformation-models/",
    "/api/v1/surveys/",
    "/api/v1/programmes/",
    "/case-studies/",
    "/councils/",
    "/councils/partnerships/",
    "/models/",
    "/surveys/",
    "/programmes/",
    "/api/v1/releases/",
    "/releases/",
]

ODD_SLUGS = ["%00", "a%00b", "x" * 2000, "%F0%9F%98%80", "..%2F..%2Fetc", "%E2%80%AE", "-", "1e309", "%25"]


@pytest.fixture
def one_of_each() -> None:
    """One row of each kind the endpoints serve: a figure (and its case study), a case study, a finding
    (and its survey) and a programme. Not the ``library`` of tests/conftest.py."""
    FigureFactory()
    CaseStudyFactory()
    FindingFactory()
    ProgrammeFactory()


@pytest.mark.parametrize(("path", "params"), LIST_ENDPOINTS, ids=[p for p, _ in LIST_ENDPOINTS])
def test_hostile_query_values_never_cause_a_server_error(
    anon_client, one_of_each, path: str, params: list[str]
) -> None:
    failures = []
    for param in params:
        for value in HOSTILE_VALUES:
            response = anon_client.get(path, {param: value})
            if response.status_code >= 500:
                failures.append((param, value[:20], response.status_code))
            elif response.status_code == 400 and path.startswith("/api/"):
                assert response.json(), f"400 without a message for {param}={value[:20]!r}"
    assert failures == []


@pytest.mark.parametrize(("path", "params"), LIST_ENDPOINTS, ids=[p for p, _ in LIST_ENDPOINTS])
def test_repeated_parameters_never_cause_a_server_error(anon_client, one_of_each, path: str, params: list[str]) -> None:
    for param in params:
        query = "&".join(f"{param}={value}" for value in ["1", "sharing", "x", "2010"] * 3)
        assert anon_client.get(f"{path}?{query}").status_code < 500, param


@pytest.mark.parametrize("prefix", DETAIL_PREFIXES)
@pytest.mark.parametrize("slug", ODD_SLUGS)
def test_odd_path_slugs_are_not_found(anon_client, one_of_each, prefix: str, slug: str) -> None:
    response = anon_client.get(f"{prefix}{slug}/")
    assert response.status_code in (404, 400), response.status_code


def test_bad_filter_value_in_api_names_the_parameter_and_allowed_values(anon_client, one_of_each) -> None:
    response = anon_client.get("/api/v1/case-studies/", {"council_type": "parish"})
    assert response.status_code == 400
    message = " ".join(response.json()["council_type"])
    assert "parish" in message
    assert "district" in message
