"""Add the curated reference data in ``fixtures/`` that the library does not have yet.

``make run`` runs this at every start. It never overwrites: a record that already exists (found
by its natural key) is left exactly as a curator left it, with its links, and only records that are
missing are added, except those a curator deleted (their history records the deletion). A fresh
database therefore gets the whole library, and a curated one keeps every correction, every hidden
contact and every deletion.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Add the records of fixtures/ (in file-name order) that the library does not have yet. "
        "Existing records are never overwritten, so curators' edits survive. Safe to run at every start."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--fixtures-dir", type=Path, default=FIXTURES_DIR, help="Folder of *.json fixtures.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, fixtures_dir: Path, database: str, verbosity: int = 1, **options: Any) -> None:
        files = sorted(fixtures_dir.glob("*.json"))
        if not files:
            self.stdout.write(self.style.WARNING(f"No fixtures found in {fixtures_dir}; nothing loaded."))
            return
        added: Counter[str] = Counter()
        kept = deleted = 0
        connection = connections[database]
        # As loaddata does: a record may name another that a later file (or line) adds.
        with transaction.atomic(using=database), connection.constraint_checks_disabled():
            deferred = []
            for path in files:
                for record in _records(path, database):
                    if record.object.pk is not None:  # its natural key found it: a curator's row
                        kept += 1
                        continue
                    if _deleted_by_a_curator(record.object, database):
                        deleted += 1
                        continue
                    record.save(using=database)
                    added[record.object._meta.verbose_name_plural] += 1
                    if record.deferred_fields:
                        deferred.append(record)
            for record in deferred:
                record.save_deferred_fields(using=database)
            connection.check_constraints()
        if verbosity:
            summary = ", ".join(f"{count} {name}" for name, count in sorted(added.items())) or "nothing new"
            self.stdout.write(
                self.style.SUCCESS(
                    f"Library loaded from {len(files)} fixture files: added {summary}; "
                    f"{kept} records already there were left as they are"
                    + (f"; {deleted} that curators deleted stay deleted." if deleted else ".")
                )
            )


def _records(path: Path, database: str) -> Any:
    """The records of one fixture file, one at a time, leaving out those that belong to a record no
    longer in the library (a link of a case study a curator deleted)."""
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"{path.name} could not be read: {error}. Fix the file or restore it from git.") from error
    for item in items:
        try:
            yield from serializers.deserialize(
                "json", json.dumps([item]), using=database, handle_forward_references=True
            )
        except DeserializationError as error:
            if isinstance(error.__cause__, ObjectDoesNotExist):
                continue  # its parent is gone: nothing of a deleted record comes back
            raise CommandError(f"{path.name}: {error}. Fix the file or restore it from git.") from error


def _deleted_by_a_curator(instance: Any, database: str) -> bool:
    """Whether the history of ``instance``'s model records the deletion of this very record, found
    by the field (or unique constraint) that identifies it, as its natural key does."""
    history = getattr(type(instance), "history", None)
    identity = _identity(instance)
    if history is None or identity is None:
        return False
    return history.using(database).filter(**identity, history_type="-").exists()


def _identity(instance: Any) -> dict[str, Any] | None:
    meta = instance._meta
    for field in meta.fields:
        if field.unique and not field.primary_key:
            return {field.attname: getattr(instance, field.attname)}
    for constraint in meta.total_unique_constraints:
        fields = [meta.get_field(name) for name in constraint.fields]
        return {field.attname: getattr(instance, field.attname) for field in fields}
    return None
