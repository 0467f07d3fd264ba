"""Contacts are personal data: curators hide them from the public without deleting them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casestudies.models import CaseStudy, Contact
from tests.factories import CaseStudyFactory, ContactFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:casestudies_contact_changelist"


def test_hide_action_hides_contacts_without_deleting_them(curator_client) -> None:
    contact = ContactFactory(is_public=True)
    response = curator_client.post(
        reverse(CHANGELIST), {"action": "hide_from_public", "_selected_action": [contact.pk]}
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.is_public is False


def test_show_action_shows_hidden_contacts(curator_client) -> None:
    contact = ContactFactory(is_public=False)
    curator_client.post(reverse(CHANGELIST), {"action": "show_to_public", "_selected_action": [contact.pk]})
    contact.refresh_from_db()
    assert contact.is_public is True


def test_hiding_a_contact_is_recorded_in_history_with_the_curator(curator_client, curator) -> None:
    contact = ContactFactory(is_public=True)
    curator_client.post(reverse(CHANGELIST), {"action": "hide_from_public", "_selected_action": [contact.pk]})
    latest = contact.history.first()
    assert (latest.is_public, latest.history_user) == (False, curator)


def test_list_filter_shows_only_hidden_contacts(curator_client) -> None:
    ContactFactory(name="Visible Person", is_public=True)
    ContactFactory(name="Hidden Person", is_public=False)
    response = curator_client.get(reverse(CHANGELIST), {"public": "no"})
    names = [contact.name for contact in response.context["cl"].result_list]
    assert names == ["Hidden Person"]


def test_case_study_page_in_admin_shows_the_public_tick_on_each_contact(curator_client) -> None:
    contact = ContactFactory()
    response = curator_client.get(reverse("admin:casestudies_casestudy_change", args=[contact.case_study.pk]))
    assert 'name="contacts-0-is_public"' in response.content.decode()


def test_hidden_contact_is_left_out_of_the_public_detail_query() -> None:
    case = CaseStudyFactory()
    ContactFactory(case_study=case, name="Shown", is_public=True)
    ContactFactory(case_study=case, name="Hidden", is_public=False)
    loaded = CaseStudy.objects.for_detail().get(pk=case.pk)
    assert [contact.name for contact in loaded.contacts.all()] == ["Shown"]
    assert Contact.objects.filter(name="Hidden").exists()


def test_hidden_contact_name_does_not_find_the_case_study() -> None:
    case = CaseStudyFactory()
    contact = ContactFactory(case_study=case, name="Zebedee Quarrington", is_public=True)
    assert list(CaseStudy.objects.search("Quarrington")) == [case]

    contact.is_public = False
    contact.save()

    assert list(CaseStudy.objects.search("Quarrington")) == []


def test_hiding_from_the_admin_refreshes_the_search_index(curator_client) -> None:
    case = CaseStudyFactory()
    contact = ContactFactory(case_study=case, name="Zebedee Quarrington", is_public=True)
    curator_client.post(reverse(CHANGELIST), {"action": "hide_from_public", "_selected_action": [contact.pk]})
    assert list(CaseStudy.objects.search("Quarrington")) == []
