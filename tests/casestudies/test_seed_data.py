"""The seed dataset in fixtures/: complete, faithful to the source documents, and idempotent.

The library is loaded once per module inside a transaction that is rolled back at the end,
so the file stays fast and leaves the test database empty for other modules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from casestudies.models import CaseStudy, CaseStudyModel, Contact, Figure, Outcome, Programme, Source
from councils.models import Council
from surveys.models import Finding, Recommendation, Survey
from transform_models.models import ModelPoint, Theme, TransformationModel

REPORT_FILE = "001_eddb96ce043ce060.txt"
LIBRARY_APPS = {"transform_models", "councils", "casestudies", "surveys"}

# Abolished on 1 April 2019 (the successor each must point to).
ABOLISHED = {
    "forest-heath-district-council": "west-suffolk-council",
    "st-edmundsbury-borough-council": "west-suffolk-council",
    "suffolk-coastal-district-council": "east-suffolk-council",
    "waveney-district-council": "east-suffolk-council",
    "north-dorset-district-council": "dorset-council",
    "west-dorset-district-council": "dorset-council",
    "weymouth-and-portland-borough-council": "dorset-council",
}


@pytest.fixture(scope="module")
def seed_library(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_library", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(seed_library, db) -> None:
    """The library, visible to a test that runs inside its own rolled-back transaction."""


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    seeds = Path(settings.SEEDS_DIR)
    if not seeds.is_dir():
        pytest.skip(f"Source documents not found at {seeds}: set SEEDS_DIR to the shared/seeds folder to check quotes.")
    return {path.name: _normalise(path.read_text()) for path in sorted(seeds.glob("*.txt"))}


def _library_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in LIBRARY_APPS
        and not model.__name__.startswith("Historical")
        and model._meta.can_migrate(connection)
    }


def test_six_transformation_models_in_report_order(loaded) -> None:
    slugs = list(TransformationModel.objects.order_by("display_order").values_list("slug", flat=True))
    assert slugs == ["commissioning", "cooperative", "entrepreneurial", "enabling", "sharing", "holistic"]


def test_every_model_has_definition_key_features_benefits_and_challenges(loaded) -> None:
    for model in TransformationModel.objects.all():
        assert model.definition and model.key_features
        assert model.points.filter(kind=ModelPoint.Kind.BENEFIT).exists()
        assert model.points.filter(kind=ModelPoint.Kind.CHALLENGE).exists()
    assert ModelPoint.objects.count() == 49


def test_21_further_reading_items_each_linked_to_one_model(loaded) -> None:
    reading = Source.objects.filter(kind=Source.Kind.FURTHER_READING)
    assert reading.count() == 21
    assert all(source.transformation_models.count() == 1 for source in reading)


def test_footnoted_references_and_source_documents_are_recorded(loaded) -> None:
    assert Source.objects.filter(kind=Source.Kind.REFERENCE).count() == 6
    assert Source.objects.filter(kind=Source.Kind.SOURCE_DOCUMENT).count() == 5


def test_no_source_url_is_invented(loaded) -> None:
    assert not Source.objects.exclude(url="").exists()


def test_14_report_case_studies_and_10_proposals_all_published(loaded) -> None:
    assert CaseStudy.objects.filter(stage=CaseStudy.Stage.IMPLEMENTED).count() == 14
    assert CaseStudy.objects.filter(stage=CaseStudy.Stage.PROPOSAL).count() == 10
    assert CaseStudy.objects.published().count() == 24


def test_six_recurrent_themes_and_six_success_factors(loaded) -> None:
    assert Theme.objects.filter(kind=Theme.Kind.RECURRENT_THEME).count() == 6
    assert Theme.objects.filter(kind=Theme.Kind.SUCCESS_FACTOR).count() == 6


def test_survey_has_sample_findings_and_recommendations(loaded) -> None:
    survey = Survey.objects.get(slug="changing-places")
    assert (survey.publisher, survey.partner, survey.sample_size) == ("Localis", "Civica", 80)
    assert Finding.objects.filter(survey=survey, percentage__isnull=False).count() >= 15
    assert Recommendation.objects.filter(survey=survey).count() == 9


def test_abolished_councils_carry_date_and_existing_successor(loaded) -> None:
    for slug, successor in ABOLISHED.items():
        council = Council.objects.get(slug=slug)
        assert str(council.abolished_on) == "2019-04-01", slug
        (only,) = council.successors.all()
        assert only.slug == successor
        assert only.abolished_on is None


def test_every_case_study_has_a_council(loaded) -> None:
    assert not CaseStudy.objects.filter(council_links__isnull=True).exists()


def test_report_case_studies_have_exactly_one_primary_model(loaded) -> None:
    for case in CaseStudy.objects.filter(stage=CaseStudy.Stage.IMPLEMENTED):
        assert case.model_links.filter(is_primary=True).count() == 1, case.slug


def test_proposals_have_no_model_the_source_does_not_give(loaded) -> None:
    proposals = CaseStudyModel.objects.filter(case_study__stage=CaseStudy.Stage.PROPOSAL)
    assert not proposals.filter(classified_by=CaseStudyModel.ClassifiedBy.SOURCE).exists()


def test_delivering_differently_programme_has_ten_projects_and_eleven_councils(loaded) -> None:
    programme = Programme.objects.get(slug="delivering-differently")
    assert programme.fund_amount == 1_000_000
    projects = programme.projects.all()
    assert projects.count() == 10
    assert Council.objects.filter(case_studies__in=projects).distinct().count() == 11


def test_loading_twice_creates_no_duplicates(loaded) -> None:
    before = _library_counts()
    call_command("load_library", verbosity=0)
    assert _library_counts() == before


def test_every_quote_appears_verbatim_in_a_seed_document(loaded, seed_texts) -> None:
    quotes = [
        *Figure.objects.values_list("quote", flat=True),
        *Outcome.objects.values_list("quote", flat=True),
        *Finding.objects.exclude(quote="").values_list("quote", flat=True),
        *Recommendation.objects.values_list("text", flat=True),
        *CaseStudyModel.objects.exclude(basis_quote="").values_list("basis_quote", flat=True),
    ]
    missing = [q for q in quotes if not any(_normalise(q) in text for text in seed_texts.values())]
    assert missing == []


def test_contact_emails_appear_verbatim_in_the_report(loaded, seed_texts) -> None:
    report = seed_texts[REPORT_FILE]
    emails = list(Contact.objects.values_list("email", flat=True))
    assert len(emails) == 17
    assert [email for email in emails if email not in report] == []


def test_up_to_figure_has_no_low_and_is_an_expected_total_over_ten_years(loaded) -> None:
    figure = Figure.objects.get(case_study__slug="barnet-commissioning-council", quote__contains="£165 million")
    assert (figure.amount_low, figure.amount_high) == (None, 165_000_000)
    assert (figure.period, figure.period_years, figure.status) == ("total", 10, "expected")
    assert figure.annualised_high == 16_500_000


def test_money_range_per_year_keeps_low_and_high(loaded) -> None:
    figure = Figure.objects.get(case_study__slug="adur-and-worthing-shared-services")
    assert (figure.amount_low, figure.amount_high, figure.period) == (2_000_000, 3_000_000, "per_year")


def test_percentage_range_is_an_assumed_efficiency(loaded) -> None:
    figure = Figure.objects.get(case_study__slug="2020-vision-partnership-commissioning")
    assert (figure.kind, figure.measure, figure.status) == ("efficiency", "percent", "expected")
    assert (figure.percent_low, figure.percent_high) == (Decimal("2"), Decimal("3"))


def test_per_council_figures_are_stored_one_per_council(loaded) -> None:
    savings = Figure.objects.filter(
        case_study__slug="south-hams-west-devon-t18", quote__contains="non-manual workforce", measure="money"
    )
    assert {(tuple(f.applies_to.values_list("slug", flat=True)), f.amount_high) for f in savings} == {
        (("south-hams-district-council",), 2_600_000),
        (("west-devon-borough-council",), 1_400_000),
    }


def test_investment_and_loans_are_not_savings(loaded) -> None:
    loan = Figure.objects.get(case_study__slug="warrington-entrepreneurial-council")
    investment = Figure.objects.get(quote__startswith="South Hams District Council has invested", kind="investment")
    assert (loan.kind, loan.amount_high) == ("loan", 275_000_000)
    assert investment.amount_high == 4_600_000


# The library's editors' classification of the Delivering Differently projects (docs/data-sources.md).
EDITORIAL = {
    "delivering-differently-hull-adult-social-care": "holistic",
    "delivering-differently-kirklees-open-spaces": "cooperative",
    "delivering-differently-dover-museum-and-tourism": "sharing",
    "delivering-differently-cheshire-west-wirral-school-traded-services": "sharing",
}


def test_delivering_differently_projects_classified_by_the_library_rest_on_a_sentence(loaded) -> None:
    links = CaseStudyModel.objects.filter(case_study__slug__startswith="delivering-differently-")
    assert {link.case_study.slug: link.model.slug for link in links} == EDITORIAL
    assert all(link.classified_by == "library" and link.basis_quote for link in links)
    assert not CaseStudy.objects.filter(slug__in=EDITORIAL).exclude(not_classified_reason="").exists()


def test_delivering_differently_projects_the_text_does_not_place_stay_unclassified(loaded) -> None:
    rest = CaseStudy.objects.filter(slug__startswith="delivering-differently-").exclude(slug__in=EDITORIAL)
    assert rest.count() == 6
    assert all(case.not_classified_reason and not case.model_links.exists() for case in rest)


def test_the_source_documents_own_classifications_are_marked_as_theirs(loaded) -> None:
    source = CaseStudyModel.objects.exclude(case_study__slug__in=EDITORIAL)
    assert source.count() == 15 and set(source.values_list("classified_by", flat=True)) == {"source"}
