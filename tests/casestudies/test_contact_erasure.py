"""Erasing a contact at their request removes them everywhere at once and records only that it happened."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casestudies.models import Contact, ContactErasure
from tests.factories import CaseStudyFactory, ContactFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:casestudies_contact_changelist"


@pytest.fixture
def named(settings) -> Contact:
    settings.LIBRARY_CACHE_SECONDS = 0
    contact = ContactFactory(case_study=CaseStudyFactory(slug="shared"), name="Zebedee Quarrington")
    contact.role = "Head of Communities"
    contact.save()  # a second history row holding the details
    return contact


def erase(client, contact: Contact, **extra: str):
    return client.post(reverse(CHANGELIST), {"action": "erase", "_selected_action": [contact.pk], **extra})


def test_erasing_asks_first_and_changes_nothing_until_confirmed(curator_client, named) -> None:
    response = erase(curator_client, named)
    assert response.status_code == 200
    assert "Erase contacts completely?" in response.content.decode()
    assert "Zebedee Quarrington" in response.content.decode()
    assert Contact.objects.filter(pk=named.pk).exists()


def test_a_confirmed_erasure_removes_the_contact_its_history_and_its_trace_in_search(
    curator_client, anon_client, curator, named
) -> None:
    assert anon_client.get("/api/v1/case-studies/", {"q": "Quarrington"}).json()["count"] == 1
    response = erase(curator_client, named, confirm="yes")
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=named.pk).exists()
    assert not Contact.history.filter(id=named.pk).exists()
    assert anon_client.get("/api/v1/case-studies/", {"q": "Quarrington"}).json()["count"] == 0


def test_the_erasure_is_recorded_without_personal_data(curator_client, curator, named) -> None:
    erase(curator_client, named, confirm="yes")
    (record,) = ContactErasure.objects.all()
    assert (record.contact_id, record.case_study.slug, record.erased_by) == (named.pk, "shared", curator)
    assert "Quarrington" not in str(record.__dict__)
    assert curator_client.get(reverse("admin:casestudies_contacterasure_changelist")).status_code == 200
    assert curator_client.get(reverse("admin:casestudies_contacterasure_add")).status_code == 403
