"""The case-study CSV export: one streamed row per case, stable columns, the same filters."""

from __future__ import annotations

import pytest
from django.http import StreamingHttpResponse

from tests.helpers.csv_rows import rows

pytestmark = pytest.mark.django_db


def test_case_study_csv_is_streamed_with_a_header_and_one_row_per_case(api, library) -> None:
    response = api("case-studies/", {"format": "csv"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = rows(response)
    assert list(data[0])[:5] == ["slug", "title", "url", "api_url", "models"]
    assert len(data) == 4
    both = next(row for row in data if row["slug"] == "both-models")
    assert both["models"] == "sharing; holistic"
    assert both["councils"] == "suffolk; wychavon"


def test_csv_honours_filters_and_ignores_pagination(api, library) -> None:
    data = rows(api("case-studies/", {"format": "csv", "model": "sharing", "page_size": "1"}))
    assert sorted(row["slug"] for row in data) == ["both-models", "proposal", "shared"]


def test_detail_has_no_csv(api, library) -> None:
    response = api("case-studies/both-models/", {"format": "csv"})
    assert response.status_code == 406
    assert response.json()["detail"] == "format=csv is not offered here. Use one of: json (or leave format out)."


def test_a_figure_csv_row_holds_its_json_row(api) -> None:
    """The figure CSV's columns and cells come from FigureSerializer, as the JSON list shows them."""
    from tests.factories import CouncilFactory, FigureFactory

    councils = [CouncilFactory(slug="adur", name="Adur"), CouncilFactory(slug="worthing", name="Worthing")]
    FigureFactory(
        measure="percent", amount_low=None, amount_high=None, percent_low=2, percent_high=3, applies_to=councils
    )
    (json_row,) = api("figures/").json()["results"]
    (csv_row,) = rows(api("figures/", {"format": "csv"}))
    assert csv_row["low"] == str(json_row["low"]) == "2.0"
    assert csv_row["high"] == str(json_row["high"]) == "3.0"
    assert csv_row["applies_to"] == "; ".join(json_row["applies_to"]) == "adur; worthing"
    assert (csv_row["case_study"], csv_row["case_study_title"]) == (
        json_row["case_study"],
        json_row["case_study_title"],
    )
