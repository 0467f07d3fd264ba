"""Sorting by saving honestly (achieved before expected, cases without one last and counted) and the
figure fields and filters a researcher reads: applies_to, recurrence, part_of, evidence."""

from __future__ import annotations

import pytest

from tests.factories import CaseStudyFactory, CouncilFactory, FigureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def savings() -> None:
    """An achieved £1m, an expected £16.5m (an "up to" ceiling), both, and a case with none."""
    small = CaseStudyFactory(slug="achieved-small", title="A")
    FigureFactory(case_study=small, amount_low=1_000_000, amount_high=1_000_000, status="achieved")
    ceiling = CaseStudyFactory(slug="expected-ceiling", title="B")
    FigureFactory(case_study=ceiling, amount_low=None, amount_high=16_500_000, status="expected")
    mixed = CaseStudyFactory(slug="achieved-and-expected", title="C")
    FigureFactory(case_study=mixed, amount_low=2_000_000, amount_high=2_000_000, status="achieved")
    FigureFactory(case_study=mixed, amount_low=3_000_000, amount_high=3_000_000, status="expected")
    CaseStudyFactory(slug="no-saving", title="D")


def ordered(api, ordering: str) -> list[str]:
    return [row["slug"] for row in api("case-studies/", {"ordering": ordering}).json()["results"]]


def test_annual_saving_sort_puts_every_achieved_saving_before_an_expected_one(api, savings) -> None:
    assert ordered(api, "-annual_saving") == [
        "achieved-and-expected",
        "achieved-small",
        "expected-ceiling",
        "no-saving",
    ]


def test_achieved_saving_sort_orders_by_the_achieved_saving_only(api, savings) -> None:
    assert ordered(api, "-achieved_saving")[:2] == ["achieved-and-expected", "achieved-small"]


def test_expected_saving_sort_orders_by_the_expected_saving_only(api, savings) -> None:
    assert ordered(api, "-expected_saving")[:2] == ["expected-ceiling", "achieved-and-expected"]


def test_api_rows_say_whether_the_headline_is_achieved_or_expected(api, savings) -> None:
    rows = {row["slug"]: row for row in api("case-studies/").json()["results"]}
    assert (rows["expected-ceiling"]["headline_annual_saving"], rows["expected-ceiling"]["headline_saving_status"]) == (
        16_500_000,
        "expected",
    )
    assert rows["achieved-and-expected"]["headline_saving_status"] == "achieved"
    assert rows["no-saving"]["headline_saving_status"] is None


def test_finder_offers_the_saving_sorts_and_counts_the_cases_listed_last(client, savings) -> None:
    html = client.get("/case-studies/", {"ordering": "-achieved_saving"}).content.decode()
    assert "Largest achieved saving per year" in html
    assert "Largest expected saving per year" in html
    assert "2 case studies have no such saving per year and are listed last." in html


def test_finder_says_nothing_about_savings_when_sorted_by_title(client, savings) -> None:
    assert "listed last" not in client.get("/case-studies/", {"ordering": "title"}).content.decode()


def test_figure_rows_carry_councils_recurrence_part_of_and_evidence(api) -> None:
    council = CouncilFactory(slug="south-hams")
    case = CaseStudyFactory(slug="t18")
    whole = FigureFactory(case_study=case, kind="income", evidence="council_statement")
    FigureFactory(case_study=case, kind="income", part_of=whole, recurrence="recurring", applies_to=[council])
    rows = {row["position"]: row for row in api("figures/").json()["results"]}
    part = rows[whole.position + 1]
    assert (part["applies_to"], part["council"], part["part_of"], part["recurrence"]) == (
        ["south-hams"],
        "south-hams",
        whole.position,
        "recurring",
    )
    assert (rows[whole.position]["applies_to"], rows[whole.position]["evidence"]) == ([], "council_statement")


def test_figures_filter_by_evidence_and_recurrence(api) -> None:
    FigureFactory(evidence="council_statement", recurrence="recurring")
    FigureFactory(evidence="", recurrence="first_year")
    assert api("figures/", {"evidence": "council_statement"}).json()["count"] == 1
    assert api("figures/", {"recurrence": "first_year"}).json()["count"] == 1


def test_an_unknown_evidence_grade_is_a_400_naming_the_allowed_ones(api) -> None:
    response = api("figures/", {"evidence": "hearsay"})
    assert response.status_code == 400
    assert "audited_accounts" in str(response.json())


def test_case_study_page_shows_evidence_councils_and_part_of_beside_each_figure(client) -> None:
    council = CouncilFactory(name="South Hams District Council")
    case = CaseStudyFactory()
    whole = FigureFactory(case_study=case, kind="income", evidence="council_statement", label="Total traded income")
    FigureFactory(case_study=case, kind="income", part_of=whole, applies_to=[council], recurrence="recurring")
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Evidence: the council&#x27;s own statement, reported in the document" in html
    assert "Applies to South Hams District Council only" in html
    assert "Part of the income of £1m (Total traded income)" in html
    assert "Recurring (every year)" in html


@pytest.mark.parametrize("ordering", ["-annual_saving", "achieved_saving", "-expected_saving"])
def test_the_achieved_and_expected_amounts_are_computed_only_for_a_saving_sort(ordering) -> None:
    from casestudies.filters import CaseStudyFilter
    from casestudies.models import CaseStudy

    listing = CaseStudy.objects.published().for_listing()
    unsorted = CaseStudyFilter({}, queryset=listing).qs.query.annotations
    by_title = CaseStudyFilter({"ordering": "title"}, queryset=listing).qs.query.annotations
    by_saving = CaseStudyFilter({"ordering": ordering}, queryset=listing).qs.query.annotations
    amounts = {"achieved_annual_saving", "expected_annual_saving"}
    assert not amounts & set(unsorted) and not amounts & set(by_title)
    assert amounts <= set(by_saving)
