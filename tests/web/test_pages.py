"""Every public page answers, shows what it is for, and gives the site's 404 for unknown slugs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import (
    CaseStudyFactory,
    FindingFactory,
    PartnershipFactory,
    ProgrammeFactory,
    RecommendationFactory,
    SurveyFactory,
    ThemeFactory,
)

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


@pytest.mark.parametrize(
    "url",
    [
        "/case-studies/no-such-case/",
        "/models/no-such-model/",
        "/councils/no-such-council/",
        "/councils/partnerships/no-such-partnership/",
        "/surveys/no-such-survey/",
        "/programmes/no-such-programme/",
        "/no/such/page/",
    ],
)
def test_unknown_slug_gives_the_sites_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Council Transformation Library" in response.content.decode()


def test_model_page_draws_its_figures_as_a_chart_and_a_table(client, library_of, sharing):
    library_of(4)
    response = client.get(reverse("transform_models:detail", kwargs={"slug": "sharing"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html
    assert "<table" in html
    assert "a year (achieved)" in html  # each bar says its value and status in text


def test_compare_page_lists_every_model_with_savings(client, library_of):
    library_of(4)
    response = client.get(reverse("transform_models:compare"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sharing" in html and "Commissioning" in html
    assert "£4m" in html  # commissioning: £1m + £3m achieved per year (cases 2 and 4)


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


def test_survey_page_shows_chart_table_and_recommendations(client, db):
    survey = SurveyFactory(title="Changing Places", respondents="council leaders and chief executives")
    FindingFactory(survey=survey, statement="Financial pressure drives innovation", percentage=75)
    FindingFactory(survey=survey, category="barrier", statement="Lack of time", percentage=58)
    RecommendationFactory(survey=survey, text="Share best practice.")
    response = client.get(survey.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html
    assert "75%" in html and "58%" in html
    assert "Barrier to innovation" in html
    assert "Share best practice." in html
    assert "80 council leaders and chief executives" in html


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


def test_500_page_renders_without_database_or_request(db):
    from django.test import RequestFactory

    from casestudies.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
