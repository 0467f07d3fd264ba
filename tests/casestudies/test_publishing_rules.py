"""The publishing rules (casestudies/publishing.py) hold for the admin form, the publish action and
the CSV import alike; drafts may be incomplete."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casestudies.models import CaseStudy
from casestudies.publishing import MESSAGES
from casestudies.services import case_studies_import_csv
from tests.factories import CaseStudyFactory, CouncilFactory, TransformationModelFactory
from tests.helpers.admin_form_data import change_form_data

pytestmark = pytest.mark.django_db


def change_url(case: CaseStudy) -> str:
    return reverse("admin:casestudies_casestudy_change", args=[case.pk])


def test_the_admin_refuses_to_publish_without_a_source(curator_client) -> None:
    case = CaseStudyFactory(status=CaseStudy.Status.DRAFT, source=None)
    data = change_form_data(curator_client.get(change_url(case)))
    data["status"] = "published"
    response = curator_client.post(change_url(case), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["source"] == [MESSAGES["source"]]
    case.refresh_from_db()
    assert case.status == CaseStudy.Status.DRAFT


def test_the_admin_refuses_to_publish_without_a_council(curator_client) -> None:
    case = CaseStudyFactory(status=CaseStudy.Status.DRAFT)
    data = change_form_data(curator_client.get(change_url(case)))
    data["status"] = "published"
    data["council_links-0-DELETE"] = "on"
    response = curator_client.post(change_url(case), data)
    assert response.status_code == 200
    assert MESSAGES["councils"] in response.content.decode()


def test_a_draft_may_be_incomplete(curator_client) -> None:
    case = CaseStudyFactory(status=CaseStudy.Status.DRAFT, source=None)
    data = change_form_data(curator_client.get(change_url(case)))
    data["title"] = "Still a draft"
    assert curator_client.post(change_url(case), data).status_code == 302


def test_no_model_needs_a_reason_why(curator_client) -> None:
    case = CaseStudyFactory(status=CaseStudy.Status.DRAFT, models=[])
    case.model_links.all().delete()
    data = change_form_data(curator_client.get(change_url(case)))
    data["status"] = "published"
    assert MESSAGES["model"] in curator_client.post(change_url(case), data).content.decode()
    data["not_classified_reason"] = "The source does not classify it."
    assert curator_client.post(change_url(case), data).status_code == 302


def test_the_publish_action_says_which_rule_failed(curator_client) -> None:
    good = CaseStudyFactory(status=CaseStudy.Status.DRAFT, title="Ready")
    bad = CaseStudyFactory(status=CaseStudy.Status.DRAFT, title="No source yet", source=None)
    response = curator_client.post(
        reverse("admin:casestudies_casestudy_changelist"),
        {"action": "publish", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )
    texts = [str(message) for message in response.context["messages"]]
    assert "Published 1 case study." in texts
    assert f"Not published: No source yet. {MESSAGES['source']}" in texts
    bad.refresh_from_db()
    assert bad.status == CaseStudy.Status.DRAFT


def test_the_import_refuses_a_published_row_without_a_source() -> None:
    CouncilFactory(slug="barnet")
    TransformationModelFactory(slug="sharing")
    data = b"title,slug,summary,status,councils,models\nA,a,Summary.,published,barnet,sharing\n"
    result = case_studies_import_csv(data=data)
    assert not result.written
    assert result.errors == [f"line 2, column source: {MESSAGES['source']} (or import it with status draft)"]
    assert not CaseStudy.objects.filter(slug="a").exists()
