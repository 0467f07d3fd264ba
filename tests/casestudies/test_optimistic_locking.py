"""Two curators edit the same case study: the second, stale save is refused, not silently applied."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory
from tests.helpers.admin_form_data import change_form_data, edited

pytestmark = pytest.mark.django_db


def change_url(case: CaseStudy) -> str:
    return reverse("admin:casestudies_casestudy_change", args=[case.pk])


def test_fresh_save_increments_the_version(curator_client) -> None:
    case = CaseStudyFactory(title="Before")
    data = change_form_data(curator_client.get(change_url(case)))
    data["title"] = "After"
    assert curator_client.post(change_url(case), data).status_code == 302
    case.refresh_from_db()
    assert (case.title, case.version) == ("After", 2)


def test_second_save_of_a_stale_form_is_refused_and_changes_nothing(curator_client, second_curator_client) -> None:
    case = CaseStudyFactory(title="Original")
    mine = change_form_data(curator_client.get(change_url(case)))
    theirs = edited(change_form_data(second_curator_client.get(change_url(case))))

    theirs["title"] = "Sam's title"
    assert second_curator_client.post(change_url(case), theirs).status_code == 302

    mine["title"] = "My title"
    mine["summary"] = "My summary"
    response = curator_client.post(change_url(case), mine)

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors.as_data()[0].code == "stale"
    case.refresh_from_db()
    assert (case.title, case.summary, case.version) == ("Sam's title", "A council changed how it delivers services.", 2)


def test_stale_form_message_says_who_saved_and_what_to_do(curator_client, second_curator_client) -> None:
    case = CaseStudyFactory()
    mine = change_form_data(curator_client.get(change_url(case)))
    theirs = edited(change_form_data(second_curator_client.get(change_url(case))))
    second_curator_client.post(change_url(case), theirs)

    content = curator_client.post(change_url(case), mine).content.decode()

    assert "Someone else saved this case study while you were editing it" in content
    assert "by Sam Jones" in content
    assert "Your changes were not saved: reload the page, reapply them, and save again." in content


def test_stale_form_does_not_save_its_inline_rows(curator_client, second_curator_client) -> None:
    case = CaseStudyFactory()
    mine = change_form_data(curator_client.get(change_url(case)))
    second_curator_client.post(change_url(case), edited(change_form_data(second_curator_client.get(change_url(case)))))
    mine.update(
        {
            "contacts-TOTAL_FORMS": "1",
            "contacts-0-position": "1",
            "contacts-0-name": "Added by a stale form",
            "contacts-0-is_public": "on",
        }
    )
    assert curator_client.post(change_url(case), mine).status_code == 200
    assert not case.contacts.exists()


def test_publishing_from_the_list_makes_an_open_form_stale(curator_client) -> None:
    case = CaseStudyFactory(status=CaseStudy.Status.DRAFT)
    mine = change_form_data(curator_client.get(change_url(case)))
    curator_client.post(
        reverse("admin:casestudies_casestudy_changelist"), {"action": "publish", "_selected_action": [case.pk]}
    )
    response = curator_client.post(change_url(case), mine)
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStudy.Status.PUBLISHED


def test_case_study_added_in_the_admin_starts_at_version_one(curator_client) -> None:
    add_url = reverse("admin:casestudies_casestudy_add")
    data = change_form_data(curator_client.get(add_url))
    data.update(title="New case", slug="new-case", summary="A new case study.")
    assert curator_client.post(add_url, data).status_code == 302
    assert CaseStudy.objects.get(slug="new-case").version == 1
