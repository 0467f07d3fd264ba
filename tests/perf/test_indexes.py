"""The listing indexes of migrations 0004 and 0007 exist on PostgreSQL and can be dropped and rebuilt."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

migration = importlib.import_module("casestudies.migrations.0004_listing_indexes")


def existing_indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.postgres
def test_listing_indexes_exist_after_migrating(db) -> None:
    assert set(migration.INDEXES) <= existing_indexes()


@pytest.mark.postgres
def test_listing_index_migration_is_reversible(transactional_db) -> None:
    with connection.schema_editor(atomic=False) as editor:
        migration.drop_indexes(None, editor)
    assert not set(migration.INDEXES) & existing_indexes()
    with connection.schema_editor(atomic=False) as editor:
        migration.create_indexes(None, editor)
    assert set(migration.INDEXES) <= existing_indexes()


published_ids = importlib.import_module("casestudies.migrations.0007_published_id_index")


@pytest.mark.postgres
def test_published_id_index_exists_after_migrating(db) -> None:
    assert published_ids.NAME in existing_indexes()


@pytest.mark.postgres
def test_published_id_index_migration_is_reversible(transactional_db) -> None:
    with connection.schema_editor(atomic=False) as editor:
        published_ids.drop_index(None, editor)
    assert published_ids.NAME not in existing_indexes()
    with connection.schema_editor(atomic=False) as editor:
        published_ids.create_index(None, editor)
    assert published_ids.NAME in existing_indexes()
