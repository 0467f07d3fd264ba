"""Add the curated reference data in ``fixtures/`` that the library does not have yet.

``make run`` runs this at every start. It never overwrites: a record that already exists (found
by its natural key) is left exactly as a curator left it, with its links, and only records that are
missing are added, except those a curator deleted (their history records the deletion). A fresh
database therefore gets the whole library, and a curated one keeps every correction, every hidden
contact and every deletion.

It stays fast however many records the fixtures hold (the council register has 470): what it
needs to know about the library is read once per model and fixture file, not once per record
(records found by their slug, their current values, deleted records, and the digests of what was
loaded), and the digests are written in one statement at the end.
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
            library = _Library(database)
            for path in files:
                for record, given in _records(path, database, library):
                    if record.object.pk is not None:  # its natural key found it: already in the library
                        outcome = _bring_up_to_date(record, given, library)
                        kept += outcome == "kept"
                        updated += outcome == "updated"
                        conflicts += outcome == "conflict"
                        continue
                    if _deleted_by_a_curator(record.object, library):
                        deleted += 1
                        continue
                    record.save(using=database)
                    library.remember(record, given)
                    added[record.object._meta.verbose_name_plural] += 1
                    if record.deferred_fields:
                        deferred.append(record)
            for record in deferred:
                record.save_deferred_fields(using=database)
            library.save_digests()
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


class _Library:
    """What one load needs to know about the library, each part read once (per model, or per model
    and file) instead of once per record, and the digests it writes, saved together at the end."""

    def __init__(self, database: str) -> None:
        from casestudies.models import LoadedFixture

        self.database = database
        self.digests = {
            (model, object_id): digest
            for model, object_id, digest in LoadedFixture.objects.using(database).values_list(
                "model", "object_id", "digest"
            )
        }
        self.changed: set[tuple[str, int]] = set()
        self.current: dict[tuple[str, Any], Any] = {}
        self.deleted: dict[str, set[tuple[Any, ...]]] = {}

    def resolve_slugs(self, items: list[dict[str, Any]]) -> None:
        """Give each item of a model whose natural key is its slug the pk of the record the library
        has with that slug, and read those records' current values: one query per model."""
        by_model: dict[str, list[dict[str, Any]]] = {}
        for item in items:
            if "pk" not in item and isinstance(item.get("fields", {}).get("slug"), str):
                by_model.setdefault(item["model"], []).append(item)
        for label, found in by_model.items():
            model = _slug_keyed_model(label)
            if model is None:
                continue
            existing = model._default_manager.using(self.database).in_bulk(
                [item["fields"]["slug"] for item in found], field_name="slug"
            )
            for item in found:
                current = existing.get(item["fields"]["slug"])
                if current is not None:
                    item["pk"] = current.pk
                    self.current[(model._meta.label_lower, current.pk)] = current

    def current_of(self, model: type, pk: Any) -> Any:
        found = self.current.pop((model._meta.label_lower, pk), None)
        return found if found is not None else model._default_manager.using(self.database).get(pk=pk)

    def deleted_identities(self, model: type, fields: list[str]) -> set[tuple[Any, ...]]:
        """The identities of the records of ``model`` whose deletion its history records."""
        label = model._meta.label_lower
        if label not in self.deleted:
            rows = model.history.using(self.database).filter(history_type="-").values_list(*fields)
            self.deleted[label] = {tuple(row) for row in rows}
        return self.deleted[label]

    def digest_of(self, instance: Any) -> str | None:
        return self.digests.get((instance._meta.label_lower, instance.pk))

    def remember(self, record: Any, given: set[str]) -> None:
        key = (record.object._meta.label_lower, record.object.pk)
        self.digests[key] = _digest(_content(record.object, record.m2m_data, given))
        self.changed.add(key)

    def save_digests(self) -> None:
        from casestudies.models import LoadedFixture

        LoadedFixture.objects.using(self.database).bulk_create(
            [LoadedFixture(model=model, object_id=pk, digest=self.digests[model, pk]) for model, pk in self.changed],
            update_conflicts=True,
            unique_fields=["model", "object_id"],
            update_fields=["digest"],
            batch_size=500,
        )


def _slug_keyed_model(label: str) -> type | None:
    """The model of ``label`` if its natural key is its (unique) slug alone, else None."""
    from django.apps import apps

    try:
        model = apps.get_model(label)
        field = model._meta.get_field("slug")
    except (LookupError, ValueError):
        return None
    if not field.unique or not hasattr(model, "natural_key"):
        return None
    return model if model(slug="probe").natural_key() == ("probe",) else None


def _records(path: Path, database: str, library: _Library) -> Any:
    """The records of one fixture file, one at a time, leaving out those that belong to a record no
    longer in the library (a link of a case study a curator deleted)."""
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"{path.name} could not be read: {error}. Fix the file or restore it from git.") from error
    library.resolve_slugs(items)
    for item in items:
        try:
            one = json.dumps([item])
            for record in serializers.deserialize("json", one, using=database, handle_forward_references=True):
                yield record, set(item.get("fields", {}))
        except DeserializationError as error:
            if isinstance(error.__cause__, ObjectDoesNotExist):
                continue  # its parent is gone: nothing of a deleted record comes back
            raise CommandError(f"{path.name}: {error}. Fix the file or restore it from git.") from error


def _deleted_by_a_curator(instance: Any, library: _Library) -> bool:
    """Whether the history of ``instance``'s model records the deletion of this very record, found
    by the field (or unique constraint) that identifies it, as its natural key does; or, for a
    contact, whether it was erased at the person's request (its history is gone too)."""
    from casestudies.models import Contact, ContactErasure

    database = library.database
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
    return tuple(identity.values()) in library.deleted_identities(type(instance), list(identity))


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


def fixture_digest(instance: Any, fields: set[str]) -> str:
    """The digest ``load_library`` keeps of a record loaded with ``fields`` (for a migration that
    changes which fields the fixtures give, to carry an unedited record's digest over)."""
    return _digest(_content(instance, None, fields))


def _digest(values: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def _bring_up_to_date(record: Any, given: set[str], library: _Library) -> str:
    """A fixture record the library has: ``kept`` (the fixture has not changed since it was loaded,
    or says what the library says), ``updated`` (the fixture changed and nobody changed the record
    since it was loaded: it takes the correction) or ``conflict`` (somebody edited it: it is left
    alone and each field where the fixture now differs is listed in ``FixtureConflict``)."""
    from casestudies.models import FixtureConflict

    database = library.database
    model = type(record.object)
    label = model._meta.label_lower
    current = library.current_of(model, record.object.pk)
    shipped = _content(record.object, record.m2m_data, given)
    now = _content(current, None, given)
    loaded = library.digest_of(current)
    if shipped == now:
        if loaded != _digest(shipped):
            library.remember(record, given)  # the library and the fixture agree: start from here
        return "kept"
    if loaded == _digest(shipped):
        return "kept"  # the fixture is what was loaded: the difference is somebody's edit
    if loaded is not None and loaded == _digest(now):
        record.save(using=database)  # nobody touched it since it was loaded: take the correction
        library.remember(record, given)
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
