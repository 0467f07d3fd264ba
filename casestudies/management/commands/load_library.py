"""Add the curated reference data in ``fixtures/`` that the library does not have yet.

``make run`` runs this at every start. It never overwrites: a record that already exists (found
by its natural key) is left exactly as a curator left it, with its links, and only records that are
missing are added, except those a curator deleted (their history records the deletion). A fresh
database therefore gets the whole library, and a curated one keeps every correction, every hidden
contact and every deletion.
"""

from __future__ import annotations

import hashlib
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
        kept = deleted = updated = conflicts = 0
        connection = connections[database]
        # As loaddata does: a record may name another that a later file (or line) adds.
        with transaction.atomic(using=database), connection.constraint_checks_disabled():
            deferred = []
            for path in files:
                for record, given in _records(path, database):
                    if record.object.pk is not None:  # its natural key found it: already in the library
                        outcome = _bring_up_to_date(record, given, database)
                        kept += outcome == "kept"
                        updated += outcome == "updated"
                        conflicts += outcome == "conflict"
                        continue
                    if _deleted_by_a_curator(record.object, database):
                        deleted += 1
                        continue
                    record.save(using=database)
                    _remember(record, given, database)
                    added[record.object._meta.verbose_name_plural] += 1
                    if record.deferred_fields:
                        deferred.append(record)
            for record in deferred:
                record.save_deferred_fields(using=database)
            connection.check_constraints()
        if verbosity:
            summary = ", ".join(f"{count} {name}" for name, count in sorted(added.items())) or "nothing new"
            if conflicts:
                self.stdout.write(
                    self.style.WARNING(
                        f"{conflicts} records that curators edited differ from the fixtures and were left as "
                        "they are: see Fixture conflicts in the admin to decide."
                    )
                )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Library loaded from {len(files)} fixture files: added {summary}; "
                    f"{kept} records already there were left as they are"
                    + (f"; {updated} unedited records took the fixtures' corrections" if updated else "")
                    + (f"; {deleted} that curators deleted stay deleted" if deleted else "")
                    + "."
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
            one = json.dumps([item])
            for record in serializers.deserialize("json", one, using=database, handle_forward_references=True):
                yield record, set(item.get("fields", {}))
        except DeserializationError as error:
            if isinstance(error.__cause__, ObjectDoesNotExist):
                continue  # its parent is gone: nothing of a deleted record comes back
            raise CommandError(f"{path.name}: {error}. Fix the file or restore it from git.") from error


def _deleted_by_a_curator(instance: Any, database: str) -> bool:
    """Whether the history of ``instance``'s model records the deletion of this very record, found
    by the field (or unique constraint) that identifies it, as its natural key does; or, for a
    contact, whether it was erased at the person's request (its history is gone too)."""
    from casestudies.models import Contact, ContactErasure

    if isinstance(instance, Contact):
        slug = type(instance).case_study.field.related_model._default_manager.using(database)
        case_slug = slug.filter(pk=instance.case_study_id).values_list("slug", flat=True).first()
        erasures = ContactErasure.objects.using(database)
        if erasures.filter(case_study_slug=case_slug, position=instance.position).exists():
            return True
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


def _content(instance: Any, m2m: dict[str, list[Any]] | None, given: set[str]) -> dict[str, str]:
    """The fixture-given fields of a record as text: the columns, and the many-to-many lists."""
    model = type(instance)
    values = {
        field.name: field.value_to_string(instance)
        for field in model._meta.concrete_fields
        if field.name in given and field.name != "version" and not getattr(field, "auto_now", False)
    }
    for field in model._meta.many_to_many:
        if field.name in given:
            pks = m2m[field.name] if m2m is not None else getattr(instance, field.name).values_list("pk", flat=True)
            values[field.name] = ", ".join(sorted(map(str, pks)))
    return values


def _digest(values: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def _remember(record: Any, given: set[str], database: str) -> None:
    from casestudies.models import LoadedFixture

    LoadedFixture.objects.using(database).update_or_create(
        model=record.object._meta.label_lower,
        object_id=record.object.pk,
        defaults={"digest": _digest(_content(record.object, record.m2m_data, given))},
    )


def _bring_up_to_date(record: Any, given: set[str], database: str) -> str:
    """A fixture record the library has: ``kept`` (the fixture has not changed since it was loaded,
    or says what the library says), ``updated`` (the fixture changed and nobody changed the record
    since it was loaded: it takes the correction) or ``conflict`` (somebody edited it: it is left
    alone and each field where the fixture now differs is listed in ``FixtureConflict``)."""
    from casestudies.models import FixtureConflict, LoadedFixture

    model = type(record.object)
    label = model._meta.label_lower
    current = model._default_manager.using(database).get(pk=record.object.pk)
    shipped = _content(record.object, record.m2m_data, given)
    now = _content(current, None, given)
    loaded = LoadedFixture.objects.using(database).filter(model=label, object_id=current.pk).first()
    if shipped == now:
        if loaded is None or loaded.digest != _digest(shipped):
            _remember(record, given, database)  # the library and the fixture agree: start from here
        return "kept"
    if loaded is not None and loaded.digest == _digest(shipped):
        return "kept"  # the fixture is what was loaded: the difference is somebody's edit
    if loaded is not None and loaded.digest == _digest(now):
        record.save(using=database)  # nobody touched it since it was loaded: take the correction
        _remember(record, given, database)
        return "updated"
    for name, fixture_value in shipped.items():
        if fixture_value != now[name]:
            FixtureConflict.objects.using(database).update_or_create(
                model=label,
                object_id=current.pk,
                field=name,
                defaults={"record": str(current)[:300], "fixture_value": fixture_value, "library_value": now[name]},
            )
    return "conflict"
