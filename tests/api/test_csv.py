"""CSV plumbing (api/csv_export.py): chosen by the Accept header, offered by every list, and cells that
a spreadsheet cannot run as formulas."""

from __future__ import annotations

import pytest

from tests.helpers.csv_rows import rows

pytestmark = pytest.mark.django_db


def test_accept_header_selects_csv(api, library) -> None:
    response = api("councils/", HTTP_ACCEPT="text/csv")
    assert response["Content-Type"].startswith("text/csv")
    assert len(rows(response)) == 3


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


def test_csv_cells_cannot_run_as_spreadsheet_formulas(api) -> None:
    from tests.factories import CaseStudyFactory

    CaseStudyFactory(slug="formula", title='=HYPERLINK("http://evil.example","click")')
    data = rows(api("case-studies/", {"format": "csv"}))
    assert data[0]["title"] == '\'=HYPERLINK("http://evil.example","click")'
