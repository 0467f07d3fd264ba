"""PostgreSQL plans a statement once per connection: parameters are bound on the server and psycopg
prepares a statement run DATABASE_PREPARE_THRESHOLD times (config/settings.py)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def prepared_statements() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return cursor.fetchone()[0]


def test_a_list_page_asked_for_again_runs_prepared_statements(anon_client, library_of):
    library_of(3)
    for _ in range(6):
        assert anon_client.get("/api/v1/case-studies/").status_code == 200
    assert prepared_statements() >= 3  # the total, the page's ids and its rows


def test_parameters_are_bound_on_the_server():
    assert connection.features.uses_server_side_binding
