"""The council admin: its change list needs a bounded number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db


def test_council_changelist_query_count(curator_client, django_assert_max_num_queries) -> None:
    successor = CouncilFactory()
    for _ in range(30):
        CouncilFactory(successors=[successor], abolished_on="2019-04-01")
    # 10 with the curator's second-factor device, which django-otp reads for every signed-in request,
    # and the successors of the page's councils (one prefetch).
    with django_assert_max_num_queries(10):
        assert curator_client.get(reverse("admin:councils_council_changelist")).status_code == 200
