"""The home page, case-study, programme, themes, about and privacy pages: each answers and shows what
it is for; a draft is not found."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CaseStudyFactory, ProgrammeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_home_page_shows_models_with_counts_and_a_search_box(client, library_of):
    library_of(3)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sharing" in html and "Commissioning" in html
    assert 'name="q"' in html
    assert "?council_type=county" in html  # browse by council type
    assert "not audited" in html  # headline figures come with their caveat


def test_case_study_page_shows_figures_contacts_and_citation(client, full_case_study):
    response = client.get(full_case_study.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "£2m–£3m" in html  # amount_display
    assert "up to £16.5m" in html  # per year of a total over ten years
    assert "The council expects to save £2-3 million per year." in html  # source sentence
    assert "Expected" in html and "Achieved" in html
    assert "Cite this case study" in html
    assert "Shared Services in Local Government" in html


def test_contact_of_an_abolished_council_carries_a_warning(client, full_case_study):
    html = client.get(full_case_study.get_absolute_url()).content.decode()
    assert "Alex Officer" in html
    assert "Old District Council has since been abolished" in html
    assert "New Unitary Council" in html
    assert "Details published in 2016" in html


def test_hidden_contact_is_not_shown(client, full_case_study):
    html = client.get(full_case_study.get_absolute_url()).content.decode()
    assert "Hidden Person" not in html


def test_draft_case_study_is_not_found(client, sharing):
    draft = CaseStudyFactory(status="draft", models=[sharing])
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404


def test_programme_page_lists_its_projects(client, sharing):
    programme = ProgrammeFactory(name="Delivering Differently", funders="Cabinet Office and LGA")
    project = CaseStudyFactory(programme=programme, stage="proposal", models=[sharing])
    response = client.get(programme.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert project.title in html and "Cabinet Office and LGA" in html and "£1m" in html


def test_themes_page_lists_themes_and_success_factors(client, db):
    ThemeFactory(title="Strong leadership", kind="success_factor")
    ThemeFactory(title="Digital by default")
    response = client.get(reverse("casestudies:themes"))
    assert response.status_code == 200
    assert "Strong leadership" in response.content.decode() and "Digital by default" in response.content.decode()


def test_about_page_explains_normalisation_and_links_the_api_docs(client, db):
    html = client.get(reverse("casestudies:about")).content.decode()
    assert "How figures are normalised" in html
    assert "/api/v1/docs/" in html


def test_privacy_page_says_what_is_published_and_how_to_ask_for_removal(client, db, settings):
    settings.PRIVACY_CONTACT_EMAIL = "privacy@example.org"
    html = client.get(reverse("casestudies:privacy")).content.decode()
    assert "What we publish" in html
    assert "Hiding a contact" in html
    assert "How to ask for removal" in html
    assert "privacy@example.org" in html
