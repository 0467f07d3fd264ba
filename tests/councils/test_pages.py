"""The council list and pages, and partnership pages: abolished councils, successors, filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def test_council_list_marks_abolished_councils(client, full_case_study):
    response = client.get(reverse("councils:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Old District Council" in html and "Abolished 2019" in html


def test_council_list_filters_by_type(client, full_case_study):
    html = client.get(reverse("councils:list") + "?council_type=unitary").content.decode()
    assert "New Unitary Council" in html
    assert "Old District Council" not in html


def test_council_list_with_unknown_type_shows_error_summary(client, db):
    response = client.get(reverse("councils:list") + "?council_type=castle")
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()


def test_council_page_links_successor_and_case_studies(client, full_case_study):
    response = client.get(reverse("councils:detail", kwargs={"slug": "old-district"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "abolished on 1 April 2019" in html
    assert "New Unitary Council" in html
    assert "Shared refuse service" in html


def test_successor_page_lists_its_predecessors(client, full_case_study):
    html = client.get(reverse("councils:detail", kwargs={"slug": "new-unitary"})).content.decode()
    assert "Old District Council" in html


def test_partnership_page_lists_members_and_case_studies(client, sharing, library_of):
    case_study = library_of(1)[0]
    partnership = PartnershipFactory(name="Shared Services Partnership")
    partnership.members.set([link.council for link in case_study.council_links.all()])
    case_study.partnership = partnership
    case_study.save()
    response = client.get(partnership.get_absolute_url())
    assert response.status_code == 200
    assert case_study.title in response.content.decode()
