"""Every endpoint answers its list and detail; drafts and hidden contacts never show; writes are refused."""

from __future__ import annotations

import pytest

from tests.factories import (
    FindingFactory,
    ModelPointFactory,
    ProgrammeFactory,
    RecommendationFactory,
    SurveyFactory,
    ThemeFactory,
)

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


def test_case_study_detail_has_its_figures_sources_and_public_contacts(api, library) -> None:
    body = api("case-studies/both-models/").json()
    assert body["models"] == ["sharing", "holistic"]
    assert [c["slug"] for c in body["councils"]] == ["suffolk", "wychavon"]
    assert body["councils"][0] == {
        "slug": "suffolk",
        "name": "Suffolk",
        "council_type": "county",
        "region": "east_of_england",
        "role": "lead",
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


def test_transformation_model_lists_benefits_and_challenges(api, library) -> None:
    ModelPointFactory(model=library["sharing"], kind="challenge", position=1, text="Hard to agree.")
    ModelPointFactory(model=library["sharing"], kind="benefit", position=1, text="Cheaper.")
    body = api("transformation-models/sharing/").json()
    assert (body["benefits"], body["challenges"], body["case_study_count"]) == (["Cheaper."], ["Hard to agree."], 3)


def test_survey_detail_has_findings_and_recommendations(api, db) -> None:
    survey = SurveyFactory(slug="changing-places")
    FindingFactory(survey=survey, percentage=75)
    RecommendationFactory(survey=survey, text="Share what works.")
    assert api("surveys/").json()["results"][0]["finding_count"] == 1
    body = api("surveys/changing-places/").json()
    assert body["findings"][0]["percentage"] == 75.0
    assert body["recommendations"][0]["text"] == "Share what works."


def test_programme_detail_lists_only_published_projects(api, library) -> None:
    programme = ProgrammeFactory(slug="delivering-differently")
    library["proposal"].programme = programme
    library["proposal"].save()
    library["draft"].programme = programme
    library["draft"].save()
    assert api("programmes/").json()["results"][0]["project_count"] == 1
    assert [p["slug"] for p in api("programmes/delivering-differently/").json()["projects"]] == ["proposal"]


def test_themes_have_kind_and_models(api, library) -> None:
    theme = ThemeFactory(slug="leadership", kind="success_factor")
    theme.transformation_models.add(library["sharing"])
    body = api("themes/leadership/").json()
    assert (body["kind"], body["models"]) == ("success_factor", ["sharing"])


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
