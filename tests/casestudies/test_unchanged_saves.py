"""Saving a case study from the admin changes only what the curator changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory
from tests.helpers.admin_form_data import change_form_data

pytestmark = pytest.mark.django_db

BODY = "First paragraph.\n\nSecond paragraph."


def as_a_browser_sends_it(data: dict) -> dict:
    """A browser posts a textarea's text with \\r\\n line endings."""
    return {name: value.replace("\n", "\r\n") if isinstance(value, str) else value for name, value in data.items()}


def test_saving_unchanged_records_nothing(curator_client) -> None:
    case = CaseStudyFactory(body=BODY)
    url = reverse("admin:casestudies_casestudy_change", args=[case.pk])
    history_before = case.history.count()
    version_before, updated_before = case.version, case.updated_at

    response = curator_client.post(url, as_a_browser_sends_it(change_form_data(curator_client.get(url))))

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.body == BODY
    assert case.history.count() == history_before
    assert (case.version, case.updated_at) == (version_before, updated_before)


def test_text_from_a_browser_is_stored_with_unix_line_endings(curator_client) -> None:
    case = CaseStudyFactory(body=BODY)
    url = reverse("admin:casestudies_casestudy_change", args=[case.pk])
    data = change_form_data(curator_client.get(url))
    data["body"] = "Edited.\r\n\r\nStill two paragraphs."
    assert curator_client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.body == "Edited.\n\nStill two paragraphs."
    assert case.history.first().body == "Edited.\n\nStill two paragraphs."


def test_other_write_paths_store_unix_line_endings_too() -> None:
    case = CaseStudyFactory()
    CaseStudy.objects.filter(pk=case.pk).update(summary="One.\r\nTwo.")
    case.refresh_from_db()
    assert case.summary == "One.\nTwo."


def test_texts_of_every_app_are_stored_with_unix_line_endings() -> None:
    from tests.factories import CouncilFactory, TransformationModelFactory

    council = CouncilFactory(notes="One.\r\nTwo.")
    model = TransformationModelFactory(definition="A.\r\nB.")
    council.refresh_from_db()
    model.refresh_from_db()
    assert (council.notes, model.definition) == ("One.\nTwo.", "A.\nB.")
