"""Every endpoint of the API accepts exactly its documented parameters and formats: an unknown
parameter is a 400 naming it and listing the accepted ones, an unoffered format a 406 listing the
offered ones (issue 15)."""

from __future__ import annotations

import pytest

from tests.factories import (
    CaseStudyFactory,
    CouncilFactory,
    PartnershipFactory,
    ProgrammeFactory,
    ServiceAreaFactory,
    SurveyFactory,
    ThemeFactory,
    TransformationModelFactory,
)

pytestmark = pytest.mark.django_db

# Every endpoint, with the formats it offers.
ENDPOINTS = [
    ("", "json"),
    ("transformation-models/", "json, csv"),
    ("transformation-models/sharing/", "json"),
    ("councils/", "json, csv"),
    ("councils/suffolk/", "json"),
    ("councils/suffolk/similar-case-studies/", "json"),
    ("case-studies/", "json, csv"),
    ("case-studies/both-models/", "json"),
    ("case-studies/facets/", "json"),
    ("figures/", "json, csv"),
    ("figures/summary/?group_by=kind", "json"),
    ("surveys/", "json, csv"),
    ("surveys/a-survey/", "json"),
    ("programmes/", "json, csv"),
    ("programmes/a-programme/", "json"),
    ("partnerships/", "json, csv"),
    ("partnerships/a-partnership/", "json"),
    ("themes/", "json, csv"),
    ("themes/a-theme/", "json"),
    ("service-areas/", "json, csv"),
    ("service-areas/waste/", "json"),
    ("releases/", "json"),
]


@pytest.fixture
def every_kind_of_record(db) -> None:
    """One record of each kind, with the slugs of ENDPOINTS."""
    sharing = TransformationModelFactory(slug="sharing", name="Sharing")
    CaseStudyFactory(
        slug="both-models",
        models=[sharing],
        councils=[CouncilFactory(slug="suffolk")],
        service_areas=[ServiceAreaFactory(slug="waste")],
    )
    PartnershipFactory(slug="a-partnership")
    ProgrammeFactory(slug="a-programme")
    SurveyFactory(slug="a-survey")
    ThemeFactory(slug="a-theme")


def _with(path: str, query: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}{query}"


@pytest.mark.parametrize(("path", "offered"), ENDPOINTS)
def test_every_endpoint_answers_200_with_no_stray_parameter(api, every_kind_of_record, path, offered) -> None:
    assert api(path).status_code == 200


@pytest.mark.parametrize(("path", "offered"), ENDPOINTS)
def test_every_endpoint_refuses_an_unknown_parameter_naming_it(api, every_kind_of_record, path, offered) -> None:
    response = api(_with(path, "regoin=london"))
    assert response.status_code == 400
    (message,) = response.json()["regoin"]
    assert message.startswith("Unknown parameter. Accepted parameters: ")
    assert "format" in message


@pytest.mark.parametrize(("path", "offered"), ENDPOINTS)
@pytest.mark.parametrize("asked", ["xml", "csv", ""])
def test_every_endpoint_answers_an_unoffered_format_with_406_listing_the_offered(
    api, every_kind_of_record, path, offered, asked
) -> None:
    if asked in offered.split(", "):
        return  # offered here: not this test's business
    response = api(_with(path, f"format={asked}"))
    assert response.status_code == 406
    assert response["Content-Type"].startswith("application/json")
    assert f"Use one of: {offered} (or leave format out)." in response.json()["detail"]


@pytest.mark.parametrize(("path", "offered"), ENDPOINTS)
def test_every_endpoint_answers_an_unsatisfiable_accept_header_with_406(
    api, every_kind_of_record, path, offered
) -> None:
    response = api(path, HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
