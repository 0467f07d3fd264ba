"""A case study's history page shows its own changes and those of everything that hangs off it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CaseStudyFactory, ContactFactory, FigureFactory
from tests.helpers.admin_form_data import change_form_data

pytestmark = pytest.mark.django_db


def test_the_history_page_lists_changes_to_figures_and_contacts_with_their_curator(curator_client) -> None:
    case = CaseStudyFactory(title="Shared refuse")
    figure = FigureFactory(case_study=case, amount_low=1_000_000, amount_high=1_000_000)
    contact = ContactFactory(case_study=case, name="Alex Example")

    figure_url = reverse("admin:casestudies_figure_change", args=[figure.pk])
    data = change_form_data(curator_client.get(figure_url))
    data.update(amount_low="2000000", amount_high="2000000")
    assert curator_client.post(figure_url, data).status_code == 302
    curator_client.post(
        reverse("admin:casestudies_contact_changelist"),
        {"action": "hide_from_public", "_selected_action": [contact.pk]},
    )

    page = curator_client.get(reverse("admin:casestudies_casestudy_history", args=[case.pk]))
    timeline = page.context["timeline"]
    newest = timeline[0]
    assert (newest["what"], newest["type"], newest["fields"]) == ("Contact: Alex Example", "Changed", ["is_public"])
    assert newest["user"].get_username() == "curator"
    figure_change = next(
        entry for entry in timeline if entry["what"].startswith("Figure") and entry["type"] == "Changed"
    )
    assert set(figure_change["fields"]) >= {"amount_low", "amount_high"}
    assert [entry["date"] for entry in timeline] == sorted((entry["date"] for entry in timeline), reverse=True)
    assert "Every change to this case study" in page.content.decode()
