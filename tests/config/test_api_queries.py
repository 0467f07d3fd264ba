"""Query counts per request are pinned on every endpoint, and do not grow with the page size (the
data: ``many``, in tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.db import connection

from casestudies.models import Programme
from councils.models import Partnership
from surveys.models import Survey
from transform_models.models import Theme

pytestmark = pytest.mark.django_db


# Each entry: path, queries, what they are.
LISTS = [
    # count, page of case studies + partnership + programme, council links + councils, model links + models,
    # service areas (other databases; PostgreSQL below)
    ("case-studies/", 5),
    # count, page of figures + case study + the figure each is part of, the councils they apply to
    ("figures/", 3),
    # count, page of councils + case-study count subquery, successors, predecessors, partnerships,
    # disagreements with the council register
    ("councils/", 6),
    # count, page of models + count subquery, benefits/challenges, further reading
    ("transformation-models/", 4),
    # count, page of service areas + count subquery
    ("service-areas/", 2),
    # count, page of themes, their models
    ("themes/", 3),
    # count, page of surveys + source + count subqueries
    ("surveys/", 2),
    # count, page of programmes + count subquery
    ("programmes/", 2),
    # count, page of partnerships + count subquery, their members
    ("partnerships/", 3),
]

# On PostgreSQL the case-study rows are built by the database from the serializer's fields
# (api/serializer_rows.py): the count, the page's ids, the rows with their links; the CSV export
# is one streamed statement.
POSTGRES_JSON_LISTS = {"case-studies/": 3}
POSTGRES_CSV_EXPORTS = {"case-studies/": 1}


@pytest.mark.parametrize(("path", "queries"), LISTS)
@pytest.mark.parametrize("page_size", [2, 20])
def test_list_queries_do_not_grow_with_page_size(api, many, django_assert_num_queries, path, queries, page_size):
    if connection.vendor == "postgresql":
        queries = POSTGRES_JSON_LISTS.get(path, queries)
    with django_assert_num_queries(queries):
        assert api(path, {"page_size": page_size}).status_code == 200


@pytest.mark.parametrize(("path", "queries"), LISTS)
@pytest.mark.parametrize("page_size", [2, 20])
def test_csv_queries_do_not_grow_with_rows(api, many, django_assert_num_queries, path, queries, page_size):
    # The same queries minus the count; page_size is ignored by the CSV, so the row count is the same:
    # what is pinned is that the export is not per-row.
    expected = queries - 1 if queries > 1 else 1
    if connection.vendor == "postgresql":
        expected = POSTGRES_CSV_EXPORTS.get(path, expected)
    with django_assert_num_queries(expected):
        response = api(path, {"format": "csv", "page_size": page_size})
        b"".join(response.streaming_content)


DETAILS = [
    # case study + partnership + programme + source, council links (+ councils), model links (+ models),
    # service areas, figures (+ the figure each is part of), the councils they apply to, outcomes, contacts,
    # further reading (+1 for the contacts' councils' successors, when a contact has a council); not
    # the successors of the case's own councils, which only the web page names
    ("case-studies/both-models/", 9),
    # council + count subquery, successors, predecessors, partnerships, disagreements with the register
    ("councils/suffolk/", 5),
    # model + count subquery, points, further reading
    ("transformation-models/sharing/", 3),
    # service area + count subquery
    ("service-areas/waste/", 1),
]


# On PostgreSQL a case study's detail is built by the database like a list row, in one statement
# that also chooses its id by slug.
POSTGRES_DETAILS = {"case-studies/both-models/": 1}


@pytest.mark.parametrize(("path", "queries"), DETAILS)
def test_detail_queries_are_pinned(api, many, django_assert_num_queries, path, queries) -> None:
    if connection.vendor == "postgresql":
        queries = POSTGRES_DETAILS.get(path, queries)
    with django_assert_num_queries(queries):
        assert api(path).status_code == 200


@pytest.mark.parametrize(
    ("model", "path", "queries"),
    [
        # survey + source + count subqueries, findings, recommendations
        (Survey, "surveys", 3),
        # programme + count subquery, projects (their council links: +1 when it has any)
        (Programme, "programmes", 2),
        # theme, its models
        (Theme, "themes", 2),
        # partnership + count subquery, its members
        (Partnership, "partnerships", 2),
    ],
)
def test_other_detail_queries_are_pinned(api, many, django_assert_num_queries, model, path, queries) -> None:
    slug = model.objects.values_list("slug", flat=True).first()
    with django_assert_num_queries(queries):
        assert api(f"{path}/{slug}/").status_code == 200
