"""Nothing unpublished or internal ever leaves through the public API, on any resource."""

from __future__ import annotations

import json

import pytest

from casestudies.models import CaseStudy
from tests.factories import (
    CaseStudyFactory,
    ContactFactory,
    CouncilFactory,
    FigureFactory,
    FindingFactory,
    OutcomeFactory,
    ProgrammeFactory,
    TransformationModelFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/case-studies/",
    "/api/v1/councils/",
    "/api/v1/transformation-models/",
    "/api/v1/figures/",
    "/api/v1/surveys/",
    "/api/v1/programmes/",
    "/api/v1/themes/",
    "/api/v1/service-areas/",
]
EXTRA = ["/api/v1/case-studies/facets/", "/api/v1/figures/summary/?group_by=model", "/api/v1/"]
INTERNAL_KEYS = {"search_vector", "version", "is_public", "history", "history_user", "password", "headline_rank"}
SECRETS = ("secret-draft", "Top Secret Draft", "Hidden Person", "hidden.person@", "£9,999,999 quote")


@pytest.fixture
def library_with_secrets() -> None:
    council = CouncilFactory(slug="open-council", name="Open Council")
    model = TransformationModelFactory(slug="sharing", name="Sharing")
    programme = ProgrammeFactory()
    public = CaseStudyFactory(slug="public-case", councils=[council], models=[model], programme=programme)
    ContactFactory(case_study=public, name="Hidden Person", email="hidden.person@example.org", is_public=False)
    ContactFactory(case_study=public, name="Open Person")
    FigureFactory(case_study=public)
    OutcomeFactory(case_study=public)
    FindingFactory()
    draft = CaseStudyFactory(
        slug="secret-draft",
        title="Top Secret Draft",
        status=CaseStudy.Status.DRAFT,
        councils=[council],
        models=[model],
        programme=programme,
    )
    FigureFactory(case_study=draft, quote="It saved £9,999,999 quote.")


def keys_in(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys_in(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys_in(item)}
    return set()


def every_public_response(client) -> list[tuple[str, str, object]]:
    """Each list (JSON and CSV), each item's detail reached through its api_url, and the extras."""
    seen = []
    for path in [*LISTS, *EXTRA]:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.json()
        seen.append((path, response.content.decode(), body))
        for item in body.get("results", []) if isinstance(body, dict) else []:
            if "api_url" in item:
                detail = client.get(item["api_url"])
                seen.append((item["api_url"], detail.content.decode(), detail.json()))
        if path in LISTS:
            csv_response = client.get(path, {"format": "csv"})
            seen.append((f"{path}?format=csv", b"".join(csv_response.streaming_content).decode(), None))
    return seen


def test_no_public_response_mentions_a_draft_or_a_hidden_contact(client, library_with_secrets) -> None:
    for path, text, _body in every_public_response(client):
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked through {path}"


def test_no_public_response_carries_an_internal_field(client, library_with_secrets) -> None:
    for path, _text, body in every_public_response(client):
        assert keys_in(body) & INTERNAL_KEYS == set(), path


def test_public_contact_is_published(client, library_with_secrets) -> None:
    detail = client.get("/api/v1/case-studies/public-case/").json()
    assert [contact["name"] for contact in detail["contacts"]] == ["Open Person"]


def test_draft_detail_is_not_found(client, library_with_secrets) -> None:
    assert client.get("/api/v1/case-studies/secret-draft/").status_code == 404
    assert json.loads(client.get("/api/v1/case-studies/secret-draft/").content)
