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
    assert list(CaseStudy.objects.search("Wychavon")) == [by_council]
    assert list(CaseStudy.objects.search("Quartermain")) == [by_contact]


def test_search_ignores_hidden_contacts() -> None:
    ContactFactory(name="Zelda Quartermain", is_public=False)
    assert not CaseStudy.objects.search("Quartermain").exists()


@pytest.mark.postgres
def test_postgres_search_uses_word_stems() -> None:
    case = CaseStudyFactory(body="The council commissioned outcomes from many providers.")
    assert list(CaseStudy.objects.search("commissioning")) == [case]


@pytest.fixture
def related_world():
    """One case study (sharing model, a district) and others at every distance from it."""
    from tests.factories import TransformationModelFactory

    sharing = TransformationModelFactory(slug="sharing", name="Sharing")
    holistic = TransformationModelFactory(slug="holistic", name="Holistic")
    district = CouncilFactory(council_type="district")
    county = CouncilFactory(council_type="county")
    subject = CaseStudyFactory(title="Subject", models=[sharing], councils=[district])
    return {
        "subject": subject,
        "both_b": CaseStudyFactory(
            title="B both", models=[sharing], councils=[CouncilFactory(council_type="district")]
        ),
        "both_a": CaseStudyFactory(title="A both", models=[sharing, holistic], councils=[district]),
        "model_only": CaseStudyFactory(title="A model only", models=[sharing], councils=[county]),
        "council_only": CaseStudyFactory(title="A council only", models=[holistic], councils=[district]),
        "unrelated": CaseStudyFactory(title="A unrelated", models=[holistic], councils=[county]),
        "draft": CaseStudyFactory(title="A draft", models=[sharing], councils=[district], status="draft"),
    }


def related_titles(subject: CaseStudy, limit: int = 4) -> list[str]:
    subject = CaseStudy.objects.for_listing().get(pk=subject.pk)
    return [case.title for case in CaseStudy.objects.published().for_listing().related_to(subject, limit)]


def test_related_are_closest_first_then_by_title(related_world) -> None:
    assert related_titles(related_world["subject"]) == ["A both", "B both", "A model only", "A council only"]


def test_related_stop_at_the_limit_in_the_closest_tier(related_world, django_assert_num_queries) -> None:
    subject = CaseStudy.objects.for_listing().get(pk=related_world["subject"].pk)
    with django_assert_num_queries(1):  # the first tier's ids only: the cards are fetched lazily
        related = CaseStudy.objects.published().related_to(subject, limit=2)
    assert [case.title for case in related] == ["A both", "B both"]


def test_related_leave_out_the_case_itself_unrelated_ones_and_drafts(related_world) -> None:
    titles = related_titles(related_world["subject"], limit=10)
    assert not {"Subject", "A unrelated", "A draft"} & set(titles)


def test_a_case_with_nothing_in_common_has_no_related(related_world) -> None:
    from tests.factories import TransformationModelFactory

    loner = CaseStudyFactory(
        models=[TransformationModelFactory(slug="enabling", name="Enabling")],
        councils=[CouncilFactory(council_type="combined_authority")],
    )
    assert related_titles(loner) == []


def test_related_case_studies_say_whether_they_share_the_model_or_the_council_type(anon_client) -> None:
    from councils.models import Council
    from tests.factories import CouncilFactory, TransformationModelFactory

    sharing = TransformationModelFactory(slug="sharing", name="Sharing")
    holistic = TransformationModelFactory(slug="holistic", name="Holistic")
    district = CouncilFactory(council_type=Council.Type.DISTRICT, name="Adur District Council")
    county = CouncilFactory(council_type=Council.Type.COUNTY, name="Kent County Council")
    case = CaseStudyFactory(title="Main", models=[sharing], councils=[district])
    CaseStudyFactory(title="Same model only", models=[sharing], councils=[county])
    CaseStudyFactory(title="Same council type only", models=[holistic], councils=[district])

    page = anon_client.get(case.get_absolute_url()).content.decode()
    related = page[page.index('id="related-heading"') :]
    label = '</a><br>\n          <span class="govuk-body-s ctl-muted">'
    assert f"Same model only{label}Same model:" in related
    assert f"Same council type only{label}Similar councils:" in related
