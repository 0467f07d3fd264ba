"""Suggest a case study: a public form with GOV.UK errors, a honeypot and a per-address rate limit,
landing in a moderation queue from which a curator makes a draft in one step (never published)."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, transaction

from casestudies.models import CaseStudy, Suggestion
from tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db

SUGGEST = "/suggest/"


@pytest.fixture
def council(db):
    return CouncilFactory(name="Riverside District Council")


@pytest.fixture
def answers(council) -> dict[str, str]:
    return {
        "council": str(council.pk),
        "title": "Shared refuse collection with our neighbour",
        "what_they_did": "We merged our refuse service with the next district in 2023.",
        "figures": "“Saves £1.2 million a year” (Cabinet report, March 2024, paragraph 4.2)",
        "source_url": "https://www.riverside.example.gov.uk/cabinet-2024-03.pdf",
        "contact_name": "Sam Officer",
        "contact_email": "sam.officer@riverside.example.gov.uk",
        "consent": "on",
        "website": "",
    }


def test_the_form_is_a_public_page_listing_current_councils(client, council):
    CouncilFactory(name="Gone Borough Council", abolished_on="2019-04-01")
    html = client.get(SUGGEST).content.decode()
    assert '<h1 class="govuk-heading-xl">Suggest a case study</h1>' in html
    assert "Riverside District Council" in html and "Gone Borough Council" not in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_suggestion_is_saved_with_a_reference_the_sender_is_shown(client, answers):
    response = client.post(SUGGEST, answers)
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert re.fullmatch(r"S-[2-9A-Z]{6}", suggestion.reference)
    assert response["Location"] == f"/suggest/sent/?reference={suggestion.reference}"
    assert suggestion.status == Suggestion.Status.WAITING and suggestion.figures.startswith("“Saves £1.2 million")
    sent = client.get(response["Location"]).content.decode()
    assert f"<strong>{suggestion.reference}</strong>" in sent


def test_nothing_is_published_by_a_suggestion(client, answers):
    client.post(SUGGEST, answers)
    assert not CaseStudy.objects.exists()
    assert "Shared refuse collection" not in client.get("/case-studies/").content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("council", "", "Select your council"),
        ("council", "999999", "Select your council from the list"),
        ("title", "", "Enter a title for the case study"),
        ("what_they_did", "", "Describe what the council did"),
        ("source_url", "not a web address", "Enter a web address, like https://www.example.gov.uk/report.pdf"),
        ("contact_email", "sam at riverside", "Enter an email address in the correct format"),
        ("consent", "", "Tick the box to agree that we may contact you"),
    ],
)
def test_bad_answers_get_govuk_error_messages(client, answers, field, value, message):
    answers[field] = value
    if field == "consent":
        del answers["consent"]
    response = client.post(SUGGEST, answers)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: Suggest a case study" in html
    assert 'class="govuk-error-summary"' in html and f'<a href="#{field}">' in html
    assert message in html and f'id="{field}-error"' in html
    assert not Suggestion.objects.exists()


def test_a_suggestion_needs_a_document(client, answers):
    answers["source_url"] = ""
    response = client.post(SUGGEST, answers)
    assert response.status_code == 400
    assert "Enter the web address of a document, or say where we can get it" in response.content.decode()
    answers["upload_reference"] = "Cabinet report, 12 March 2024: ask democratic services"
    assert client.post(SUGGEST, answers).status_code == 302


def test_the_honeypot_keeps_robots_out(client, answers):
    answers["website"] = "https://spam.example"
    response = client.post(SUGGEST, answers)
    assert response.status_code == 302 and response["Location"] == "/suggest/sent/"
    assert not Suggestion.objects.exists()


def test_one_address_may_send_three_suggestions_an_hour(client, answers):
    for _ in range(3):
        assert client.post(SUGGEST, answers, REMOTE_ADDR="192.0.2.7").status_code == 302
    response = client.post(SUGGEST, answers, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 400
    assert "You have sent several suggestions in the last hour" in response.content.decode()
    assert client.post(SUGGEST, answers, REMOTE_ADDR="192.0.2.8").status_code == 302
    assert Suggestion.objects.count() == 4
    assert "192.0.2.7" not in {s.address_hash for s in Suggestion.objects.all()}


def test_the_database_refuses_a_suggestion_without_consent_or_source(council):
    with pytest.raises(IntegrityError), transaction.atomic():
        Suggestion.objects.create(
            reference="S-AAAAAA",
            council=council,
            title="t",
            what_they_did="w",
            source_url="x",
            contact_name="n",
            contact_email="e@example.org",
            consent=False,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Suggestion.objects.create(
            reference="S-AAAAAB",
            council=council,
            title="t",
            what_they_did="w",
            contact_name="n",
            contact_email="e@example.org",
            consent=True,
        )


def test_the_sent_page_only_echoes_a_reference(client, db):
    html = client.get("/suggest/sent/", {"reference": "<script>"}).content.decode()
    assert "<script>" not in html and "Your reference" not in html


def test_a_curator_makes_a_suggestion_a_draft_in_one_step(client, curator_client, answers, council):
    client.post(SUGGEST, answers)
    suggestion = Suggestion.objects.get()
    response = curator_client.post(
        "/admin/casestudies/suggestion/",
        {"action": "make_draft", "_selected_action": [suggestion.pk]},
        follow=True,
    )
    assert "Made 1 draft case study (not published)" in response.content.decode()
    case = CaseStudy.objects.get()
    assert case.status == CaseStudy.Status.DRAFT
    assert case.title == answers["title"] and case.summary == answers["what_they_did"]
    assert list(case.councils.all()) == [council]
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.DRAFTED and suggestion.case_study == case
    # The submitter's contact details stay on the suggestion, never on the case study.
    assert not case.contacts.exists()
    assert client.get(case.get_absolute_url()).status_code == 404


def test_the_moderation_queue_lists_suggestions_for_curators_only(client, curator_client, answers):
    client.post(SUGGEST, answers)
    html = curator_client.get("/admin/casestudies/suggestion/").content.decode()
    assert Suggestion.objects.get().reference in html
    assert client.get("/admin/casestudies/suggestion/").status_code == 302
