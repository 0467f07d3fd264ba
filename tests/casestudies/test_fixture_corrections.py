"""Each correction of the curated figures (issue 14), pinned against the sentence it rests on
(docs/data-sources.md, "Corrections"). The rules behind them are in test_figure_rules.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from casestudies.models import CaseStudy, ContextFigure, Figure, Outcome
from councils.models import Partnership
from surveys.models import Survey

REPORT = "001_eddb96ce043ce060.txt"


@pytest.fixture(scope="module")
def seed_library(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_library", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(seed_library, db) -> None:
    """The curated library, inside the test's own rolled-back transaction."""


def figure(case: str, quote_part: str, **lookups: object) -> Figure:
    return Figure.objects.get(case_study__slug=case, quote__contains=quote_part, **lookups)


def applies_to(item: Figure) -> set[str]:
    return set(item.applies_to.values_list("slug", flat=True))


def headline(slug: str) -> tuple[int | None, str | None]:
    case = CaseStudy.objects.with_headline_saving().get(slug=slug)
    return case.headline_annual_saving, case.headline_saving_status


# --- The corrections, each against its sentence ---------------------------------------------------


def test_jaguar_land_rover_factory_is_investment_by_others_without_a_status(loaded) -> None:
    # 001 l.62: "... commissioned a £44 million link road between the M54 and Jaguar Land Rover's
    # £500 million engine factory."
    factory = figure("staffordshire-one-council-commissioning", "£44 million", amount_high=500_000_000)
    road = figure("staffordshire-one-council-commissioning", "£44 million", amount_high=44_000_000)
    assert factory.kind == Figure.Kind.EXTERNAL_INVESTMENT
    assert factory.status == ""
    assert (road.kind, road.status) == (Figure.Kind.INVESTMENT, Figure.Status.ACHIEVED)


def test_dorset_three_million_belongs_to_the_two_councils_before_the_partnership(loaded) -> None:
    # 001 l.316: "... the earlier success of West Dorset and Weymouth and Portland Councils in
    # achieving £3 million worth of savings per annum since 2011 ..."
    saving = figure("dorset-councils-partnership", "per annum since 2011", amount_high=3_000_000)
    assert applies_to(saving) == {"west-dorset-district-council", "weymouth-and-portland-borough-council"}
    assert (saving.recurrence, saving.period_start_year) == (Figure.Recurrence.RECURRING, 2011)
    assert headline("dorset-councils-partnership") == (None, None)  # not the partnership's own saving


def test_oldham_first_year_saving_is_not_a_saving_per_year(loaded) -> None:
    # 001 l.138: "It saved £2.6 million in the first year of its operation ..."
    saving = figure("oldham-cooperative-council", "first year of its operation", kind="saving")
    assert saving.recurrence == Figure.Recurrence.FIRST_YEAR
    assert saving.annualised_high is None
    assert headline("oldham-cooperative-council") == (None, None)


def test_oldham_custom_built_homes_are_expected_not_achieved(loaded) -> None:
    # 001 l.140: "... leading a new development involving 37 new 'custom-built' homes."
    homes = Outcome.objects.get(case_study__slug="oldham-cooperative-council", quote__contains="custom-built")
    assert homes.status == Outcome.Status.EXPECTED


def test_survey_respondents_are_council_leaders_and_executives(loaded) -> None:
    # 004 l.19: "The report, which questioned 80 council leaders and executives from across the UK, ..."
    survey = Survey.objects.get(slug="changing-places")
    assert (survey.sample_size, survey.respondents) == (80, "council leaders and executives")
    assert "chief executives" not in survey.summary


def test_grant_cut_is_a_context_figure_of_the_report_in_no_case_study(loaded) -> None:
    # 001 l.11: "... with cuts in grant of more than 35 percent over the last Parliament.<sup>1</sup>"
    cut = ContextFigure.objects.get()
    assert cut.source.slug == "localis-2016-local-authority-transformational-models"
    assert cut.reference.slug == "ifs-2015-central-cuts-local-decision-making"  # footnote 1
    assert (cut.measure, cut.value, cut.more_than) == ("percent", Decimal("35.00"), True)
    assert cut.value_display == "more than 35%"
    assert not Figure.objects.filter(quote=cut.quote).exists()


def test_grant_cut_quote_is_verbatim_in_the_report(loaded) -> None:
    seeds = Path(settings.SEEDS_DIR)
    if not seeds.is_dir():
        pytest.skip(f"Source documents not found at {seeds}.")
    text = re.sub(r"\s+", " ", (seeds / REPORT).read_text())
    assert ContextFigure.objects.get().quote in text


def test_colchester_property_income_is_part_of_its_total_income(loaded) -> None:
    # 001: "... now stands at £10.3 million per annum." "The property element of this income has
    # risen by 7 percent to £3.2 million a year in 2015/16."
    total = figure("colchester-commercial-council", "now stands at", measure="money")
    prop = figure("colchester-commercial-council", "property element", measure="money")
    assert prop.part_of == total
    assert total.part_of is None
    assert (prop.period_start_year, prop.period_end_year) == (2015, 2015)


def test_street_drinkers_keep_their_before_and_after_in_fields(loaded) -> None:
    # 001 l.252: "... the number of hardened street drinkers has reduced from 36 to 4 ..."
    drinkers = Outcome.objects.get(quote__contains="street drinkers")
    assert (drinkers.baseline, drinkers.value) == (Decimal("36"), Decimal("4"))
    assert (drinkers.baseline_year, drinkers.value_year) == (None, None)  # the text gives no years
    assert "36" not in drinkers.metric


def test_single_year_figures_keep_their_year_as_a_field(loaded) -> None:
    budget = figure("suffolk-coastal-enabling-communities", "in 2014/15")  # "... £277,000 ... in 2014/15"
    forecast = figure("colchester-commercial-council", "in 2016/17")  # "... £10.7 million in 2016/17"
    assert (budget.period_start_year, budget.period_end_year) == (2014, 2014)
    assert (forecast.period_start_year, forecast.period_end_year) == (2016, 2016)


def test_a_cost_and_a_budget_cut_have_no_status(loaded) -> None:
    cost = figure("croydon-people-gateway", "costing £6.2 million a year")
    cut = figure("oldham-cooperative-council", "budget cuts of £4 million")
    assert (cost.kind, cost.status) == (Figure.Kind.COST, "")
    assert (cut.kind, cut.status) == (Figure.Kind.BUDGET_REDUCTION, "")


def test_suffolk_partnership_description_names_the_contacts_roles(loaded) -> None:
    # 001 l.256: "... Arthur Charvonia, Strategic Director ... Nicole Rickard, Head of Communities ..."
    description = Partnership.objects.get(description__contains="Suffolk Coastal and Waveney").description
    assert "are directors" not in description
    assert "a Strategic Director and the Head of Communities" in description


def test_every_report_figure_is_graded_as_the_councils_own_statement(loaded) -> None:
    # 001 l.15: "Localis interviewed senior politicians and officials at councils ... as well as
    # undertaking desk-based research."
    assert set(Figure.objects.values_list("evidence", flat=True)) == {Figure.Evidence.COUNCIL_STATEMENT}


def test_headlines_of_the_curated_cases(loaded) -> None:
    assert headline("barnet-commissioning-council") == (16_500_000, "expected")  # "up to £165m over ten years"
    assert headline("adur-and-worthing-shared-services") == (3_000_000, "achieved")
    assert headline("croydon-people-gateway") == (2_500_000, "achieved")  # not the expected £1.6m
    # Every per-year saving there is one council's ("saving £2.6 million in South Hams ..."):
    assert headline("south-hams-west-devon-t18") == (None, None)


def test_summary_counts_colchester_property_income_once(loaded, api) -> None:
    query = {"group_by": "kind", "kind": "income", "case_study": "colchester-commercial-council"}
    body = api("figures/summary/", query)
    totals = {(row["kind"], row["status"]): row for row in body.json()["total"]["totals"]}
    achieved = totals[("income", "achieved")]
    assert achieved["sum_annualised_high"] == 10_300_000  # the £3.2m is inside it
    assert achieved["part_of_counted_figure"] == 1
    assert body.json()["excluded"]["part_of_counted_figure"] == 1
