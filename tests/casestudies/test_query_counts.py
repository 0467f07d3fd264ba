"""Queries per page of the finder, the home page and a case study are fixed: they do not grow with the
number of results."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

# count, page of case studies + partnership + programme, council links + councils, model links
# + models, service areas, ranked figures; 5 facet counts; 5 option lists (models, service areas,
# councils, partnerships, programmes)
FINDER_QUERIES = 16


@pytest.fixture
def unfiltered_facet_saving() -> int:
    """Unfiltered, PostgreSQL reads the 5 facets' counts as stored totals plus the model and service
    area slugs: 3 queries instead of 5."""
    from django.db import connection

    return 2 if connection.vendor == "postgresql" else 0


@pytest.mark.parametrize("size", [3, 30])
def test_finder_query_count_is_constant(client, library_of, django_assert_num_queries, size, unfiltered_facet_saving):
    library_of(size)
    with django_assert_num_queries(FINDER_QUERIES - unfiltered_facet_saving):
        response = client.get("/case-studies/")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_filtered_finder_query_count_is_constant(client, library_of, django_assert_num_queries, size):
    from django.db import connection

    library_of(size)
    # + the model slug checked by the view's FilterSet, and by the facets. PostgreSQL counts the
    # facets in the link keys, validating the filters once (+1), one grouped query per distinct set
    # of other filters (model: the type; type: the model; the three others: both; -2), and the keys
    # hold ids: + the model and area slugs. Elsewhere each facet but the model's own applies the
    # others through a FilterSet.
    extra = 1 + 1 - 2 + 2 if connection.vendor == "postgresql" else 1 + 4
    with django_assert_num_queries(FINDER_QUERIES + extra):
        client.get("/case-studies/?model=sharing&council_type=county")


@pytest.mark.parametrize("size", [3, 30])
def test_home_query_count_is_constant(client, library_of, django_assert_num_queries, size, unfiltered_facet_saving):
    library_of(size)
    # models with counts, 5 facet counts, figure counts, case study and council counts
    with django_assert_num_queries(8 - unfiltered_facet_saving):
        client.get("/")


def test_case_study_page_query_count(client, full_case_study, library_of, django_assert_num_queries):
    library_of(10)
    # case study + partnership/programme/source; council links, model links, service areas, figures
    # (+ the figures they are part of), the councils they apply to, outcomes, contacts, further
    # reading, the councils' successors, the contacts' councils' successors; related: the first tier's
    # ids (four found there), the cards + their 3 prefetches
    with django_assert_num_queries(16):
        client.get(full_case_study.get_absolute_url())
