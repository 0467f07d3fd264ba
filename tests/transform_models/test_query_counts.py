"""Queries per transformation-model page are fixed: they do not grow with the number of case studies."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [3, 30])
def test_model_page_query_count_is_constant(client, library_of, django_assert_num_queries, size):
    library_of(size)
    # model, points, further reading, chart figures, case studies + 4 prefetches
    with django_assert_num_queries(9):
        client.get(reverse("transform_models:detail", kwargs={"slug": "sharing"}))


@pytest.mark.parametrize("size", [3, 30])
def test_compare_page_query_count_is_constant(client, library_of, django_assert_num_queries, size):
    library_of(size)
    with django_assert_num_queries(1):
        client.get(reverse("transform_models:compare"))
