"""CSV exports: one streamed row per item, stable columns, the same filters."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse

pytestmark = pytest.mark.django_db


def rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


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


def test_accept_header_selects_csv(api, library) -> None:
    response = api("councils/", HTTP_ACCEPT="text/csv")
    assert response["Content-Type"].startswith("text/csv")
    assert len(rows(response)) == 3


def test_csv_honours_filters_and_ignores_pagination(api, library) -> None:
    data = rows(api("case-studies/", {"format": "csv", "model": "sharing", "page_size": "1"}))
    assert sorted(row["slug"] for row in data) == ["both-models", "proposal", "shared"]


@pytest.mark.parametrize(
    ("path", "count"),
    [
        ("transformation-models/", 2),
        ("councils/", 3),
        ("figures/", 3),
        ("service-areas/", 2),
        ("themes/", 0),
        ("surveys/", 0),
        ("programmes/", 0),
    ],
)
def test_every_list_has_a_csv(api, library, path, count) -> None:
    response = api(path, {"format": "csv"})
    assert response.status_code == 200
    assert len(rows(response)) == count


def test_detail_has_no_csv(api, library) -> None:
    assert api("case-studies/both-models/", {"format": "csv"}).status_code == 404


def test_csv_cells_cannot_run_as_spreadsheet_formulas(api) -> None:
    from tests.factories import CaseStudyFactory

    CaseStudyFactory(slug="formula", title='=HYPERLINK("http://evil.example","click")')
    data = rows(api("case-studies/", {"format": "csv"}))
    assert data[0]["title"] == '\'=HYPERLINK("http://evil.example","click")'
