"""The case-study and programme endpoints: details with figures and public contacts; drafts and hidden
contacts never show."""

from __future__ import annotations

import pytest

from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_case_study_detail_has_its_figures_sources_and_public_contacts(api, library) -> None:
    body = api("case-studies/both-models/").json()
    assert [model["slug"] for model in body["models"]] == ["sharing", "holistic"]
    assert [c["slug"] for c in body["councils"]] == ["suffolk", "wychavon"]
    assert body["councils"][0] == {
        "slug": "suffolk",
        "name": "Suffolk",
        "council_type": "county",
        "region": "east_of_england",
        "role": "lead",
        "api_url": "http://testserver/api/v1/councils/suffolk/",
    }
    assert body["figures"][0]["annualised_high"] == 2_000_000
    assert [c["name"] for c in body["contacts"]] == ["Alex Public"]
    assert body["url"] == "http://testserver/case-studies/both-models/"


def test_draft_case_study_is_invisible(api, library) -> None:
    assert "secret-draft" not in [row["slug"] for row in api("case-studies/").json()["results"]]
    assert api("case-studies/secret-draft/").status_code == 404
    assert "secret-draft" not in {row["case_study"] for row in api("figures/").json()["results"]}
    assert api("councils/suffolk/").json()["case_study_count"] == 1  # the draft is not counted


def test_hidden_contact_is_not_published(api, library) -> None:
    assert b"Hidden Person" not in api("case-studies/both-models/").content


def test_programme_detail_lists_only_published_projects(api, library) -> None:
    programme = ProgrammeFactory(slug="delivering-differently")
    library["proposal"].programme = programme
    library["proposal"].save()
    library["draft"].programme = programme
    library["draft"].save()
    assert api("programmes/").json()["results"][0]["project_count"] == 1
    assert [p["slug"] for p in api("programmes/delivering-differently/").json()["projects"]] == ["proposal"]
