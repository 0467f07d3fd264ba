"""Facet counts and figure summaries."""

from __future__ import annotations

import pytest

from tests.factories import CaseStudyFactory, CouncilFactory, FigureFactory

pytestmark = pytest.mark.django_db


def facet(body: dict, name: str) -> dict[str, int]:
    return {row["value"]: row["count"] for row in body[name]}


def total(group: dict, kind: str, status: str) -> dict[str, int]:
    """The row of a summary group for one kind and status (all zeros if there is none)."""
    rows = [row for row in group["totals"] if (row["kind"], row["status"]) == (kind, status)]
    return rows[0] if rows else {"figure_count": 0, "sum_annualised_low": 0, "sum_annualised_high": 0}


def test_facets_list_every_value_with_its_label_and_count(api, library) -> None:
    body = api("case-studies/facets/").json()
    assert body["count"] == 4
    assert facet(body, "model") == {"sharing": 3, "holistic": 2}
    assert facet(body, "council_type")["unitary"] == 0
    assert {"value": "london", "label": "London", "count": 2} in body["region"]


def test_each_facet_applies_the_other_filters_but_not_its_own(api, library) -> None:
    body = api("case-studies/facets/", {"model": "holistic"}).json()
    assert body["count"] == 2
    assert facet(body, "model") == {"sharing": 3, "holistic": 2}  # its own filter is not applied
    assert facet(body, "region") == {
        **dict.fromkeys(facet(body, "region"), 0),
        "london": 1,
        "east_of_england": 1,
        "west_midlands": 1,
    }
    assert facet(body, "stage") == {"implemented": 2, "proposal": 0}


def test_summary_counts_a_multi_model_figure_once_per_model_and_once_in_total(api, library) -> None:
    body = api("figures/summary/", {"group_by": "model", "kind": "saving"}).json()
    groups = {group["key"]: group for group in body["groups"]}
    assert groups["sharing"]["figure_count"] == 2
    assert groups["holistic"]["figure_count"] == 1
    assert body["total"]["figure_count"] == 2
    assert total(body["total"], "saving", "achieved")["sum_annualised_high"] == 2_000_000
    assert total(body["total"], "saving", "expected")["sum_annualised_low"] == 500_000


def test_summary_counts_a_figure_once_in_a_group_when_two_councils_share_it(api, library) -> None:
    pair = CaseStudyFactory(models=[library["sharing"]], councils=[CouncilFactory(), CouncilFactory()])  # two districts
    FigureFactory(case_study=pair)
    body = api("figures/summary/", {"group_by": "council_type", "case_study": pair.slug}).json()
    district = next(g for g in body["groups"] if g["key"] == "district")
    assert district["figure_count"] == 1
    assert total(district, "saving", "achieved")["sum_annualised_high"] == 1_000_000
    assert body["total"]["figure_count"] == 1


def test_summary_by_start_year_and_kind(api, library) -> None:
    FigureFactory(case_study=library["both"], kind="income", amount_low=None, amount_high=100, status="expected")
    by_year = {
        g["key"]: g["figure_count"] for g in api("figures/summary/", {"group_by": "start_year"}).json()["groups"]
    }
    assert by_year == {"2010": 2, "2012": 1, "2014": 1}
    by_kind = {g["key"]: g for g in api("figures/summary/", {"group_by": "kind"}).json()["groups"]}
    assert by_kind["income"]["figure_count"] == 2
    assert total(by_kind["income"], "income", "expected")["sum_annualised_low"] == 0  # "up to": no low
    assert total(by_kind["income"], "income", "expected")["sum_annualised_high"] == 100
    assert by_kind["loan"]["figure_count"] == 0
