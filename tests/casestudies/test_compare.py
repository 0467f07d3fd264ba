"""Comparing 2 to 4 case studies side by side (``/case-studies/compare/?compare=a,b,c``), and choosing
them from the finder and from a case study's page, all without JavaScript."""

from __future__ import annotations

import re

import pytest

from casestudies.models import CaseStudy, Figure
from tests.factories import CaseStudyFactory, CouncilFactory, FigureFactory, OutcomeFactory, ServiceAreaFactory

pytestmark = pytest.mark.django_db

COMPARE = "/case-studies/compare/"


@pytest.fixture
def pair(full_case_study, sharing):
    other = CaseStudyFactory(
        title="County traded services",
        slug="county-traded",
        councils=[CouncilFactory(name="Shire County Council", council_type="county", region="east_of_england")],
        models=[sharing],
        service_areas=[ServiceAreaFactory(name="Waste and recycling")],
        start_year=2013,
    )
    FigureFactory(
        case_study=other,
        kind=Figure.Kind.INCOME,
        amount_low=7_000_000,
        amount_high=7_000_000,
        quote="Traded services have generated net revenue of £7 million per year.",
    )
    OutcomeFactory(case_study=other, metric="Jobs supported", value=120, unit="jobs", quote="It supported 120 jobs.")
    return full_case_study, other


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_comparison_shows_one_column_per_case(client, pair):
    response = client.get(COMPARE, {"compare": "shared-refuse,county-traded"})
    assert response.status_code == 200
    html = response.content.decode()
    headers = re.findall(r'<th scope="col" class="govuk-table__header"><a class="govuk-link" href="([^"]+)"', html)
    assert headers == ["/case-studies/shared-refuse/", "/case-studies/county-traded/"]


def test_comparison_shows_the_facts_of_each_case(client, pair):
    text = text_of(client.get(COMPARE, {"compare": "shared-refuse,county-traded"}))
    for fact in (
        "Old District Council",
        "Shire County Council",
        "County council, East of England",
        "Sharing",
        "2013 onwards",
        "Implemented",
        "Waste and recycling",
        "Jobs supported: 120 jobs",
        "Local Authority Transformational Models (2016), section 2.4.1",
    ):
        assert fact in text, fact


def test_comparison_normalises_figures_per_year_and_keeps_achieved_and_expected_apart(client, pair):
    html = client.get(COMPARE, {"compare": "shared-refuse,county-traded"}).content.decode()
    table = html[html.index('class="govuk-table ctl-compare-table"') : html.index("</table>")]
    achieved = table[table.index("Achieved figures (per year)") : table.index("Expected figures (per year)")]
    expected = table[table.index("Expected figures (per year)") : table.index("Outcomes")]
    # £165m over ten years is £16.5m a year, achieved; £2m–£3m a year is only expected.
    assert "up to £16.5m a year" in achieved and "from up to £165m total over 10 years" in achieved
    assert "£7m a year" in achieved
    assert "£2m–£3m a year" in expected and "£2m–£3m" not in achieved
    assert "The council expects to save £2-3 million per year." in expected


def test_comparison_is_also_stacked_case_by_case_for_small_screens(client, pair):
    html = client.get(COMPARE, {"compare": "shared-refuse,county-traded"}).content.decode()
    stacked = html[html.index('class="ctl-compare-stacked"') :]
    assert stacked.count('<section class="ctl-compare-case"') == 2
    assert stacked.count("Achieved figures (per year)") == 2


def test_repeated_compare_parameters_redirect_to_the_comma_separated_address(client, pair):
    response = client.get(f"{COMPARE}?compare=shared-refuse&compare=county-traded")
    assert response.status_code == 302
    assert response["Location"] == f"{COMPARE}?compare=shared-refuse,county-traded"


def test_compare_without_cases_explains_how_to_choose(client, db):
    response = client.get(COMPARE)
    assert response.status_code == 200
    assert "Add to comparison" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("shared-refuse", "Choose at least 2 case studies to compare (you chose 1)"),
        ("shared-refuse,county-traded,a,b,c", "Choose at most 4 case studies to compare (you chose 5)"),
        ("shared-refuse,no-such-case", "There is no published case study at “no-such-case”"),
        ("shared-refuse,a draft", "A case study address has only letters, numbers and hyphens"),
        ("shared-refuse,%00", "Null characters are not allowed"),
        ("x" * 5000, "Enter at most 4 case study addresses"),
    ],
)
def test_bad_comparisons_are_a_400_with_a_govuk_error_summary(client, pair, value, message):
    response = client.get(COMPARE, {"compare": value.replace("%00", "\x00")})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: Compare case studies" in html
    assert 'class="govuk-error-summary"' in html and '<a href="#compare">' in html
    assert message in html
    assert 'id="compare-error"' in html


def test_a_draft_cannot_be_compared(client, pair):
    CaseStudyFactory(slug="secret-draft", status=CaseStudy.Status.DRAFT)
    response = client.get(COMPARE, {"compare": "shared-refuse,secret-draft"})
    assert response.status_code == 400
    assert "There is no published case study at “secret-draft”" in response.content.decode()


@pytest.mark.parametrize("count", [2, 4])
def test_comparison_query_count_does_not_grow_with_the_cases(client, library_of, django_assert_num_queries, count):
    cases = library_of(4)
    for case in cases:
        FigureFactory(case_study=case)
        OutcomeFactory(case_study=case)
    slugs = ",".join(case.slug for case in cases[:count])
    # case studies + source, partnership, programme; council links + councils; their successors; model
    # links + models; service areas; figures; the councils they apply to; outcomes + councils; further reading
    with django_assert_num_queries(9):
        response = client.get(COMPARE, {"compare": slugs})
    assert response.status_code == 200


def test_finder_results_can_be_added_to_a_comparison_without_javascript(client, library_of):
    cases = library_of(3)
    html = client.get("/case-studies/").content.decode()
    assert (
        '<form id="compare-form" class="ctl-compare-bar ctl-no-print" method="get" action="/case-studies/compare/"'
        in html
    )
    for case in cases:
        assert f'name="compare" type="checkbox" value="{case.slug}" form="compare-form"' in html
    assert "Compare selected case studies" in html


def test_finder_keeps_the_chosen_cases_ticked_and_out_of_the_api_links(client, library_of):
    cases = library_of(2)
    html = client.get("/case-studies/", {"compare": cases[0].slug}).content.decode()
    assert f'value="{cases[0].slug}" form="compare-form" checked' in html
    assert f'value="{cases[1].slug}" form="compare-form">' in html
    assert "/api/v1/case-studies/?format=csv" in html and "compare" not in html.split("data-download-csv")[0][-200:]
    # Filtering keeps the choice.
    assert f'<input type="hidden" name="compare" value="{cases[0].slug}">' in html


def test_case_study_page_adds_itself_to_the_comparison(client, pair):
    first, second = pair
    html = client.get(first.get_absolute_url()).content.decode()
    # Nothing chosen yet: on to the finder to choose the others.
    assert '<form method="get" action="/case-studies/" novalidate>' in html
    assert '<input type="hidden" name="compare" value="shared-refuse">' in html
    html = client.get(second.get_absolute_url(), {"compare": "shared-refuse"}).content.decode()
    assert '<form method="get" action="/case-studies/compare/" novalidate>' in html
    assert '<input type="hidden" name="compare" value="shared-refuse,county-traded">' in html
    assert "Add to comparison" in html


@pytest.mark.parametrize("slug", ["compare", "feed"])
def test_a_case_study_cannot_take_the_address_of_a_page(db, slug):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    case = CaseStudyFactory.build(slug=slug)
    with pytest.raises(ValidationError, match="the address of another page"):
        case.clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStudyFactory(slug=slug)
