from __future__ import annotations

import pytest

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, ContactFactory, CouncilFactory, FigureFactory

pytestmark = pytest.mark.django_db


def test_draft_case_study_is_excluded_by_published() -> None:
    CaseStudyFactory(slug="draft", status=CaseStudy.Status.DRAFT)
    CaseStudyFactory(slug="live")
    assert list(CaseStudy.objects.published().values_list("slug", flat=True)) == ["live"]


def test_with_figures_splits_cases_with_and_without_figures() -> None:
    with_figure = FigureFactory().case_study
    without = CaseStudyFactory()
    assert list(CaseStudy.objects.with_figures()) == [with_figure]
    assert list(CaseStudy.objects.with_figures(present=False)) == [without]


def test_search_finds_council_names_and_contact_names() -> None:
    by_council = CaseStudyFactory(title="Shared services", councils=[CouncilFactory(name="Wychavon")])
    by_contact = ContactFactory(name="Zelda Quartermain").case_study
    CaseStudyFactory(title="Unrelated")
    CaseStudy.objects.refresh_derived()
    assert list(CaseStudy.objects.search("Wychavon")) == [by_council]
    assert list(CaseStudy.objects.search("Quartermain")) == [by_contact]


def test_search_ignores_hidden_contacts() -> None:
    ContactFactory(name="Zelda Quartermain", is_public=False)
    CaseStudy.objects.refresh_derived()
    assert not CaseStudy.objects.search("Quartermain").exists()


@pytest.mark.postgres
def test_postgres_search_uses_word_stems() -> None:
    case = CaseStudyFactory(body="The council commissioned outcomes from many providers.")
    CaseStudy.objects.refresh_derived()
    assert list(CaseStudy.objects.search("commissioning")) == [case]
