"""Curators preview a draft at its public address; nobody else can see it."""

from __future__ import annotations

import pytest
from django.test import Client

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft() -> CaseStudy:
    return CaseStudyFactory(title="Unfinished telecare study", status=CaseStudy.Status.DRAFT)


def test_a_curator_previews_a_draft_marked_as_such(curator_client, draft) -> None:
    response = curator_client.get(draft.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Draft — not published" in page and "Unfinished telecare study" in page
    assert '<meta name="robots" content="noindex">' in page
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_anonymous_visitors_get_404_for_a_draft(anon_client, draft) -> None:
    assert anon_client.get(draft.get_absolute_url()).status_code == 404


def test_a_signed_in_user_who_is_not_a_curator_gets_404(draft) -> None:
    client = Client()
    client.force_login(UserFactory(username="reader", is_staff=False))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_published_case_study_has_no_draft_banner(curator_client) -> None:
    case = CaseStudyFactory()
    page = curator_client.get(case.get_absolute_url()).content.decode()
    assert "Draft — not published" not in page and "noindex" not in page


def test_a_curator_signed_in_with_a_password_only_gets_404(draft, client) -> None:
    # Between the two sign-in steps: the password is right, the second factor not yet given.
    client.force_login(UserFactory(username="halfway", is_staff=True, is_superuser=True))
    assert client.get(draft.get_absolute_url()).status_code == 404
