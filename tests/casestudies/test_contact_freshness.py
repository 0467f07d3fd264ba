"""Contacts not checked for a year (or of an abolished council) are flagged, and curators can say
"still correct" in one click."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casestudies.models import Contact
from tests.factories import CaseStudyFactory, ContactFactory, CouncilFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:casestudies_contact_changelist"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def flag_of(contact: Contact) -> bool:
    return Contact.objects.with_freshness().get(pk=contact.pk).needs_checking


def test_a_contact_never_checked_may_be_out_of_date(anon_client) -> None:
    contact = ContactFactory(last_verified=None)
    page = anon_client.get(contact.case_study.get_absolute_url()).content.decode()
    api = anon_client.get(f"/api/v1/case-studies/{contact.case_study.slug}/").json()
    assert "May be out of date" in page
    assert api["contacts"][0]["needs_checking"] is True and api["contacts"][0]["last_verified"] is None


def test_a_check_within_the_year_clears_the_flag_and_an_older_one_does_not() -> None:
    assert flag_of(ContactFactory(last_verified=days_ago(330))) is False
    assert flag_of(ContactFactory(last_verified=days_ago(400))) is True


def test_the_number_of_months_is_a_setting(settings) -> None:
    settings.CONTACT_CHECK_MONTHS = 6
    assert flag_of(ContactFactory(last_verified=days_ago(200))) is True


def test_a_contact_of_an_abolished_council_is_flagged_however_recently_checked() -> None:
    council = CouncilFactory(abolished_on=datetime.date(2019, 4, 1))
    contact = ContactFactory(
        case_study=CaseStudyFactory(councils=[council]), council=council, last_verified=days_ago(1)
    )
    assert flag_of(contact) is True


def test_still_correct_stamps_today_and_the_curator(curator_client, curator) -> None:
    contact = ContactFactory(last_verified=None)
    response = curator_client.post(
        reverse(CHANGELIST), {"action": "mark_still_correct", "_selected_action": [contact.pk]}
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.last_verified, contact.verified_by) == (timezone.localdate(), curator)
    assert flag_of(contact) is False
    assert contact.history.first().history_user == curator


def test_the_contacts_to_check_view_lists_only_those(curator_client) -> None:
    ContactFactory(name="Needs A Look", last_verified=None)
    ContactFactory(name="Checked Lately", last_verified=days_ago(10))
    response = curator_client.get(reverse(CHANGELIST), {"check": "yes"})
    names = [contact.name for contact in response.context["cl"].result_list]
    assert names == ["Needs A Look"]
