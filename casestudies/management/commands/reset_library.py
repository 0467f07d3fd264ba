"""Put the library back to what fixtures/ holds, discarding curators' work: only on purpose.

Refuses without ``--yes`` and then says what it would replace; with ``--yes`` it first writes a
backup (``backup_library``), then deletes every library record and loads the fixtures afresh.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import ProtectedError, RestrictedError

from .backup_library import BACKUP_DIR, CURATED_APPS
from .load_library import FIXTURES_DIR

# Kept through a reset: the erasure log, so that no erased contact comes back with the fixtures.
KEPT = {"casestudies.contacterasure"}


def library_models(database: str) -> list[Any]:
    connection = connections[database]
    return [
        model
        for label in CURATED_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy and model._meta.can_migrate(connection) and model._meta.label_lower not in KEPT
    ]


def _delete_all(models: list[Any], database: str) -> None:
    """Delete every row of ``models``; a model still protected by another's rows waits for a later
    pass. History rows go last (deleting records writes history of its own)."""
    waiting = [model for model in models if not model.__name__.startswith("Historical")]
    for model in waiting:  # first untie what may point at its own kind (a council's successor)
        nullable = {field.name: None for field in model._meta.concrete_fields if field.is_relation and field.null}
        if nullable:
            model._default_manager.using(database).update(**nullable)
    for _ in range(len(waiting) + 1):
        still = []
        for model in waiting:
            try:
                with transaction.atomic(using=database):
                    model._default_manager.using(database).all().delete()
            except (ProtectedError, RestrictedError):
                still.append(model)
        waiting = still
        if not waiting:
            break
    if waiting:
        names = ", ".join(str(model._meta.verbose_name_plural) for model in waiting)
        raise CommandError(f"Could not delete {names}: something outside the library still refers to them.")
    for model in models:
        if model.__name__.startswith("Historical"):
            model._default_manager.using(database).all().delete()


class Command(BaseCommand):
    help = (
        "Replace the whole library, curators' edits and history included, with fixtures/. "
        "Writes a backup first. Refuses without --yes."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--yes", action="store_true", help="Really replace the library.")
        parser.add_argument("--fixtures-dir", type=Path, default=FIXTURES_DIR)
        parser.add_argument("--backup-dir", type=Path, default=BACKUP_DIR)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, yes: bool, fixtures_dir: Path, backup_dir: Path, database: str, **options: Any):
        models = library_models(database)
        counts = {model._meta.verbose_name_plural: model._default_manager.using(database).count() for model in models}
        present = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()) if count) or "nothing"
        if not yes:
            raise CommandError(
                f"This would delete the whole library ({present}), curators' edits and history included, and "
                f"load {fixtures_dir} instead. A backup is written first. Run again with --yes to do it."
            )
        call_command("backup_library", output_dir=backup_dir, no_pg_dump=True, database=database, stdout=self.stdout)
        with transaction.atomic(using=database):
            _delete_all(models, database)
            call_command("load_library", fixtures_dir=fixtures_dir, database=database, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Replaced {present} with the fixtures."))
