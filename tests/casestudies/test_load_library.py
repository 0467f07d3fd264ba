"""The start-up command (``make run`` runs ``load_library``) never destroys a curator's work."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from casestudies.models import CaseStudy, Contact, Figure
from tests.helpers.admin_form_data import change_form_data

pytestmark = pytest.mark.django_db

BARNET = "barnet-commissioning-council"


def start_up() -> str:
    out = io.StringIO()
    call_command("load_library", stdout=out)
    return out.getvalue()


def test_a_fresh_database_gets_the_whole_library() -> None:
    message = start_up()
    assert CaseStudy.objects.count() == 24
    assert Contact.objects.count() == 17
    assert "added" in message and "24 case studies" in message


def test_a_summary_corrected_in_the_admin_survives_the_next_start(curator_client) -> None:
    start_up()
    case = CaseStudy.objects.get(slug=BARNET)
    url = reverse("admin:casestudies_casestudy_change", args=[case.pk])
    data = change_form_data(curator_client.get(url))
    data["summary"] = "Corrected by a curator."
    assert curator_client.post(url, data).status_code == 302

    message = start_up()

    case.refresh_from_db()
    assert case.summary == "Corrected by a curator."
    assert case.history.first().summary == "Corrected by a curator."  # history and live data agree
    assert "added nothing new" in message


def test_a_contact_hidden_by_a_curator_stays_hidden(curator_client) -> None:
    start_up()
    contact = Contact.objects.filter(is_public=True).first()
    curator_client.post(
        reverse("admin:casestudies_contact_changelist"),
        {"action": "hide_from_public", "_selected_action": [contact.pk]},
    )
    start_up()
    contact.refresh_from_db()
    assert contact.is_public is False


def test_a_case_study_deleted_by_a_curator_is_not_brought_back(curator_client) -> None:
    start_up()
    case = CaseStudy.objects.get(slug=BARNET)
    response = curator_client.post(reverse("admin:casestudies_casestudy_delete", args=[case.pk]), {"post": "yes"})
    assert response.status_code == 302
    message = start_up()
    assert not CaseStudy.objects.filter(slug=BARNET).exists()
    assert "stay deleted" in message


def test_a_record_missing_from_the_library_is_added_without_touching_the_rest() -> None:
    start_up()
    figure = Figure.objects.order_by("pk").first()
    case = figure.case_study
    case.title = "Edited title"
    case.save()
    # A record the library never had, as when a new release ships one: no row, no history.
    Figure.objects.filter(pk=figure.pk).delete()
    Figure.history.filter(id=figure.pk).delete()

    start_up()

    assert Figure.objects.filter(case_study=case, position=figure.position).exists()
    case.refresh_from_db()
    assert case.title == "Edited title"
