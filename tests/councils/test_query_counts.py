"""Queries per council page are fixed: they do not grow with the number of councils or case studies."""

from __future__ import annotations

import pytest
from django.urls import reverse

from councils.models import Council

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [3, 30])
def test_council_list_query_count_is_constant(client, library_of, django_assert_num_queries, size):
    library_of(size)
    # count, page of councils + case-study count subquery, their successors
    with django_assert_num_queries(3):
        client.get(reverse("councils:list"))


@pytest.mark.parametrize("size", [3, 30])
def test_council_page_query_count_is_constant(client, sharing, django_assert_num_queries, size):
    from tests.factories import make_case_studies

    made = make_case_studies(size, [sharing])
    council = Council.objects.create(
        name="Shared Council", slug="shared-council", council_type="unitary", region="london"
    )
    for case_study in made:
        case_study.council_links.create(council=council, role="partner", position=9)
    # council, successors, predecessors, partnerships, disagreements with the register,
    # case studies + 4 prefetches
    with django_assert_num_queries(10):
        client.get(council.get_absolute_url())
