"""Query counts of the case-study facets and the figure summary are bounded (the data: ``many``)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "elsewhere", "on_postgresql"),
    [
        # count, five facets, model names, service-area names. On PostgreSQL the facet no other
        # filter narrows is read from the stored totals; the four the region narrows share one
        # grouped query over the link keys, which hold model and service-area ids: their slugs are
        # looked up (+2)
        ({"region": "london"}, 8, 7),
        # the same, plus the check that the slug exists: elsewhere in each filterset that applies it
        # (count + 4 facets); on PostgreSQL in the count's and once for the link-key facets
        ({"model": "sharing"}, 13, 9),
        # a search: elsewhere run again by each facet's FilterSet (count + 5 facets + 2 label lists);
        # on PostgreSQL once more, as the subquery of one grouped statement over the link keys
        # (count, that statement, the model and area slugs, 2 label lists)
        ({"q": "council"}, 8, 6),
    ],
)
def test_facets_need_a_bounded_number_of_queries(
    api, many, django_assert_num_queries, params, elsewhere, on_postgresql
) -> None:
    from django.db import connection

    queries = on_postgresql if connection.vendor == "postgresql" else elsewhere
    with django_assert_num_queries(queries):
        api("case-studies/facets/", params)


@pytest.mark.parametrize(("group_by", "queries"), [("model", 4), ("region", 2), ("kind", 2), ("start_year", 2)])
def test_summary_needs_a_bounded_number_of_queries(api, many, django_assert_num_queries, group_by, queries) -> None:
    # the grouped union (one SELECT per group, one query) or GROUP BY, the total; for model also
    # the model slugs (the groups) and their names (the labels)
    with django_assert_num_queries(queries):
        api("figures/summary/", {"group_by": group_by})
