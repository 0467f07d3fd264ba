"""Restore a JSON backup made by backup_library into an empty database, in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from casestudies.models import CaseStudy

from .backup_library import CURATED_APPS


@contextmanager
def history_paused() -> Iterator[None]:
    """The backup carries the history: loading it must never add history rows of its own.

    django-simple-history skips loaddata's raw saves already; this also guards the
    many-to-many writes that follow them, whichever way the library handles those.
    """
    previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        yield
    finally:
        settings.SIMPLE_HISTORY_ENABLED = previous


def rows_present(database: str) -> dict[str, int]:
    """Curated rows (and accounts) already in the database, by model."""
    models = [
        model
        for label in CURATED_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical") and model._meta.can_migrate(connections[database])
    ]
    counts = {model._meta.label: model._default_manager.using(database).count() for model in models}
    counts[get_user_model()._meta.label] = get_user_model()._default_manager.using(database).count()
    return {label: count for label, count in counts.items() if count}


class Command(BaseCommand):
    help = (
        "Load a JSON backup (backups/<timestamp>.json) into an empty, migrated database in one "
        "transaction; PostgreSQL derives the search and filter rows as they load. Refuses a database "
        "that already has data unless --force."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="A .json file written by backup_library.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even if the database has data: rows with the same ids are overwritten, others kept.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, file: Path, force: bool, database: str, **options: Any) -> None:
        if file.suffix == ".dump":
            raise CommandError(
                f"{file} is a pg_dump archive: restore it with "
                f"'pg_restore --no-owner --single-transaction --dbname=<empty database> {file}'. "
                "This command loads the .json export."
            )
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        present = rows_present(database)
        if present and not force:
            listed = ", ".join(f"{count} {label}" for label, count in sorted(present.items()))
            raise CommandError(
                f"The database is not empty ({listed}). Restore into an empty database "
                "(create it, run 'manage.py migrate', then this command), or pass --force to load over it."
            )
        with transaction.atomic(using=database), history_paused():
            call_command("loaddata", str(file), database=database, verbosity=0)
        restored = CaseStudy.objects.using(database).count()
        self.stdout.write(self.style.SUCCESS(f"Restored {file} ({restored} case studies)."))
