"""Fixtures shared by the reliability tests."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture
def second_curator_client() -> Client:
    """Another curator (Sam Jones), signed in: the one who saves first in the locking tests."""
    client = Client()
    client.force_login(
        UserFactory(username="sam", first_name="Sam", last_name="Jones", is_staff=True, is_superuser=True)
    )
    return client
