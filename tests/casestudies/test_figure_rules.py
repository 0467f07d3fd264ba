"""The rules that make figures safe to read and add up: the status a kind may have (database and
admin form), annualisation that respects recurrence, the headline saving, and totals per kind and
status that never count a part (``part_of``) and its whole both."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from casestudies.models import CaseStudy, Figure
from tests.factories import CaseStudyFactory, CouncilFactory, FigureFactory, TransformationModelFactory
from transform_models.models import TransformationModel

pytestmark = pytest.mark.django_db


def headline(slug: str) -> tuple[int | None, str | None]:
    case = CaseStudy.objects.with_headline_saving().get(slug=slug)
    return case.headline_annual_saving, case.headline_saving_status


@pytest.mark.parametrize("kind", ["cost", "budget_reduction", "external_investment"])
def test_a_kind_without_status_refuses_one_in_the_database(kind: str) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        FigureFactory(kind=kind, status="achieved")


def test_a_saving_without_status_is_refused_in_the_database() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        FigureFactory(kind="saving", status="")


def test_a_one_off_figure_cannot_recur_in_the_database() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        FigureFactory(period="one_off", recurrence="recurring")


def figure_form_data(case: CaseStudy, **overrides: object) -> dict[str, object]:
    data = {
        "case_study": case.pk,
        "position": 1,
        "kind": "saving",
        "label": "",
        "measure": "money",
        "amount_low": "2000000",
        "amount_high": "3000000",
        "percent_low": "",
        "percent_high": "",
        "period": "per_year",
        "period_years": "",
        "period_start_year": "",
        "period_end_year": "",
        "recurrence": "",
        "part_of": "",
        "status": "achieved",
        "evidence": "",
        "quote": "It saved £2-3 million per year.",
    }
    data.update(overrides)
    return data


def test_admin_refuses_a_status_on_a_cost_on_the_status_field(curator_client) -> None:
    data = figure_form_data(CaseStudyFactory(), kind="cost")
    response = curator_client.post(reverse("admin:casestudies_figure_add"), data)
    assert response.status_code == 200
    assert "has no status" in str(response.context["adminform"].form.errors["status"])
    assert not Figure.objects.exists()


def test_admin_asks_for_the_status_of_a_saving(curator_client) -> None:
    data = figure_form_data(CaseStudyFactory(), status="")
    response = curator_client.post(reverse("admin:casestudies_figure_add"), data)
    assert response.status_code == 200
    assert "achieved, expected or a target" in str(response.context["adminform"].form.errors["status"])


def test_admin_saves_a_cost_without_status(curator_client) -> None:
    data = figure_form_data(CaseStudyFactory(), kind="cost", status="")
    assert curator_client.post(reverse("admin:casestudies_figure_add"), data).status_code == 302
    assert Figure.objects.get().status == ""


def test_admin_refuses_a_part_of_another_case_studys_figure(curator_client) -> None:
    other = FigureFactory()
    data = figure_form_data(CaseStudyFactory(), part_of=other.pk)
    response = curator_client.post(reverse("admin:casestudies_figure_add"), data)
    assert "same case study" in str(response.context["adminform"].form.errors["part_of"])


@pytest.mark.parametrize("recurrence", ["first_year", "one_off"])
def test_an_amount_that_does_not_recur_has_no_per_year_value(recurrence: str) -> None:
    item = FigureFactory(period="per_year" if recurrence == "first_year" else "one_off", recurrence=recurrence)
    item.refresh_from_db()
    assert (item.annualised_low, item.annualised_high) == (None, None)


def test_a_recurring_saving_keeps_its_per_year_value() -> None:
    item = FigureFactory(recurrence="recurring", amount_low=2, amount_high=3)
    item.refresh_from_db()
    assert (item.annualised_low, item.annualised_high) == (2, 3)


def test_headline_is_the_achieved_saving_before_a_larger_expected_one() -> None:
    case = CaseStudyFactory()
    FigureFactory(case_study=case, amount_low=1, amount_high=1_000_000, status="achieved")
    FigureFactory(case_study=case, amount_low=1, amount_high=16_500_000, status="expected")
    assert headline(case.slug) == (1_000_000, "achieved")


def test_headline_is_the_largest_expected_saving_when_none_is_achieved() -> None:
    case = CaseStudyFactory()
    FigureFactory(case_study=case, amount_high=2_000_000, status="expected")
    FigureFactory(case_study=case, amount_high=5_000_000, status="expected")  # low 1m: the factory's
    FigureFactory(case_study=case, kind="income", amount_high=9_000_000)
    assert headline(case.slug) == (5_000_000, "expected")


def test_headline_is_never_a_figure_of_only_some_of_the_councils() -> None:
    first, second = CouncilFactory(), CouncilFactory()
    case = CaseStudyFactory(councils=[first, second])
    FigureFactory(case_study=case, amount_low=3_300_000, amount_high=3_300_000, applies_to=[first])
    FigureFactory(case_study=case, amount_low=1, amount_high=800_000, status="expected", applies_to=[first, second])
    assert headline(case.slug) == (800_000, "expected")  # naming every council is the whole case


def test_headline_is_never_a_first_year_or_target_figure() -> None:
    case = CaseStudyFactory()
    FigureFactory(case_study=case, amount_high=2_600_000, recurrence="first_year")
    FigureFactory(case_study=case, amount_high=9_000_000, status="target")
    assert headline(case.slug) == (None, None)


def test_minimum_saving_filter_reads_the_headline(api) -> None:
    case = CaseStudyFactory()
    FigureFactory(case_study=case, amount_high=1_000_000, status="achieved")
    FigureFactory(case_study=case, amount_high=5_000_000, status="expected")
    assert api("case-studies/", {"min_annual_saving": 2_000_000}).json()["count"] == 0


def test_summary_never_counts_a_part_and_its_whole_both(api) -> None:
    case = CaseStudyFactory()
    whole = FigureFactory(case_study=case, kind="income", amount_low=10_300_000, amount_high=10_300_000)
    FigureFactory(case_study=case, kind="income", amount_low=3_200_000, amount_high=3_200_000, part_of=whole)
    body = api("figures/summary/", {"group_by": "model"}).json()
    (income,) = body["total"]["totals"]
    assert (income["figure_count"], income["summed_count"]) == (2, 1)
    assert (income["sum_annualised_low"], income["sum_annualised_high"]) == (10_300_000, 10_300_000)
    assert body["counts"] == {"figures": 2, "summed": 1}
    assert body["excluded"] == {"part_of_counted_figure": 1, "no_per_year_value": 0}
    assert "part_of" in body["basis"]


def test_a_part_is_counted_when_its_whole_is_not_among_the_figures(api) -> None:
    case = CaseStudyFactory()
    whole = FigureFactory(case_study=case, kind="income", amount_low=10_300_000, amount_high=10_300_000)
    FigureFactory(
        case_study=case, kind="income", amount_low=3_200_000, amount_high=3_200_000, part_of=whole, status="expected"
    )
    body = api("figures/summary/", {"group_by": "kind", "status": "expected"}).json()
    (income,) = body["total"]["totals"]
    assert (income["sum_annualised_high"], income["part_of_counted_figure"]) == (3_200_000, 0)


def test_summary_totals_are_per_kind_and_status_never_across_kinds(api) -> None:
    case = CaseStudyFactory()
    FigureFactory(case_study=case, kind="saving", amount_high=1_000_000, status="achieved")
    FigureFactory(case_study=case, kind="saving", amount_high=2_000_000, status="expected")
    FigureFactory(case_study=case, kind="income", amount_high=4_000_000)
    FigureFactory(case_study=case, kind="cost", amount_high=8_000_000)
    totals = api("figures/summary/", {"group_by": "kind"}).json()["total"]["totals"]
    summed = {(row["kind"], row["status"]): row["sum_annualised_high"] for row in totals}
    assert summed == {
        ("saving", "achieved"): 1_000_000,
        ("saving", "expected"): 2_000_000,
        ("income", "achieved"): 4_000_000,
        ("cost", ""): 8_000_000,
    }


def test_model_comparison_counts_a_part_once() -> None:
    model = TransformationModelFactory(slug="sharing")
    case = CaseStudyFactory(models=[model])
    whole = FigureFactory(case_study=case, amount_high=3_000_000)
    FigureFactory(case_study=case, amount_high=1_000_000, part_of=whole)
    assert TransformationModel.objects.for_comparison().get().achieved_annual_saving == 3_000_000
