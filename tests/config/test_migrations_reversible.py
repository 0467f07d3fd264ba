"""Every migration is reversible: a scratch database goes to zero and back again."""

from __future__ import annotations

import pytest

from tests.helpers.scratch_database import manage, scratch_postgres_database, scratch_sqlite_database

# Run inside `manage.py shell` against the scratch database: unapply each of the project's
# apps, newest first (the order of first appearance in the forward plan, reversed), then apply
# everything again. Django's own apps are left alone: their history is not ours to test (and
# auth's 0002 cannot shrink permission names once longer ones exist).
ROUND_TRIP = """
from pathlib import Path
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

ours = {
    config.label
    for config in apps.get_app_configs()
    if Path(config.path).is_relative_to(settings.BASE_DIR) and ".venv" not in Path(config.path).parts
}
call_command("migrate", verbosity=0)
loader = MigrationLoader(connection)
order = []
for leaf in sorted(loader.graph.leaf_nodes()):
    for app, _ in loader.graph.forwards_plan(leaf):
        if app in ours and app not in order:
            order.append(app)
print("PROJECT APPS:", sorted(order))
for app in reversed(order):
    call_command("migrate", app, "zero", verbosity=0)
loader = MigrationLoader(connection)
print("APPLIED AFTER ZERO:", sorted(key for key in loader.applied_migrations if key[0] in ours))
tables = [t for t in connection.introspection.table_names() if any(t.startswith(app + "_") for app in ours)]
print("TABLES AFTER ZERO:", tables)
call_command("migrate", verbosity=0)
loader = MigrationLoader(connection)
print("UNAPPLIED AFTER MIGRATE:", sorted(set(loader.graph.nodes) - set(loader.applied_migrations)))
"""


def assert_round_trip(database_url: str) -> None:
    output = manage("shell", "--no-imports", "-c", ROUND_TRIP, database_url=database_url).stdout
    for app in ("casestudies", "councils", "surveys", "transform_models"):
        assert f"'{app}'" in output.split("PROJECT APPS:")[1].splitlines()[0], output
    assert "APPLIED AFTER ZERO: []" in output, output
    assert "TABLES AFTER ZERO: []" in output, output
    assert "UNAPPLIED AFTER MIGRATE: []" in output, output


@pytest.mark.postgres
@pytest.mark.django_db
def test_every_migration_reverses_to_zero_and_back_on_postgres() -> None:
    with scratch_postgres_database("migrations") as url:
        assert_round_trip(url)


@pytest.mark.slow
def test_every_migration_reverses_to_zero_and_back_on_sqlite(tmp_path) -> None:
    assert_round_trip(scratch_sqlite_database(tmp_path))
