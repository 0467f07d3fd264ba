"""Publishing a release: the one write path (``manage.py publish_release`` and the admin's button)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import Release, ReleaseFile, ReleaseRecord
from .package import PACKAGE_NAME, Manifest, file_facts, package_descriptor, write_tables
from .tables import TABLES

RECORD_BATCH_SIZE = 1000


class ReleaseError(Exception):
    """A release could not be written; nothing was published. The message says why."""


def releases_root() -> Path:
    return Path(settings.RELEASES_ROOT)


def release_directory(number: int) -> Path:
    return releases_root() / str(number)


def previous_records(release: Release | None) -> dict[str, dict[str, tuple[str, dict[str, str]]]]:
    """The manifest of ``release`` (empty before the first release), as :class:`Manifest` holds it."""
    found: dict[str, dict[str, tuple[str, dict[str, str]]]] = {}
    if release is None:
        return found
    rows = ReleaseRecord.objects.filter(release=release).values_list("table", "key", "digest", "column_digests")
    for table, key, digest, columns in rows.iterator(chunk_size=RECORD_BATCH_SIZE):
        found.setdefault(table, {})[key] = (digest, columns)
    return found


def changed_columns(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The columns whose value differs (or that one side lacks), in the newer row's order."""
    names = [*after, *(name for name in before if name not in after)]
    return [name for name in names if before.get(name) != after.get(name)]


def changelog(
    before: dict[str, dict[str, tuple[str, dict[str, str]]]], after: dict[str, dict[str, tuple[str, dict[str, str]]]]
) -> dict[str, dict[str, Any]]:
    """Per table with changes: keys ``added`` and ``removed``, and ``changed`` as {key: [columns]}."""
    log: dict[str, dict[str, Any]] = {}
    for table in TABLES:
        old, new = before.get(table.name, {}), after.get(table.name, {})
        added = sorted(set(new) - set(old))
        removed = sorted(set(old) - set(new))
        changed = {
            key: changed_columns(old[key][1], new[key][1])
            for key in sorted(set(old) & set(new))
            if old[key][0] != new[key][0]
        }
        if added or removed or changed:
            log[table.name] = {"added": added, "changed": changed, "removed": removed}
    return log


def release_publish(*, notes: str = "", user: AbstractBaseUser | None = None, progress: bool = False) -> Release:
    """Write release N+1 of everything published, or nothing.

    The files are written into a temporary directory beside the releases, checked and summed, and
    renamed to ``RELEASES_ROOT/<number>/`` as the last step of the transaction that records the
    release: if anything fails, there is neither a ``Release`` row nor a directory. An existing
    directory of that number is never overwritten (:class:`ReleaseError`).
    """
    root = releases_root()
    root.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".incoming-", dir=root))
    final: Path | None = None
    try:
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                # One snapshot for every table: a curator's save half-way through is in none or all.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            release = _write_release(incoming, notes=notes, user=user, progress=progress)
            target = release_directory(release.number)
            if target.exists():
                raise ReleaseError(
                    f"{target} already exists: a release is never rewritten. Nothing was published; move that "
                    "directory away (it belongs to no release in this database) and try again."
                )
            incoming.chmod(0o755)  # mkdtemp makes it private; a release is public
            os.rename(incoming, target)
            final = target  # from here on, a failed commit must take the directory back
    except IntegrityError as error:
        _remove(final)
        raise ReleaseError(
            "Another release was published at the same moment: nothing was published, try again."
        ) from error
    except BaseException:
        _remove(final)
        raise
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
    return release


def _remove(final: Path | None) -> None:
    """Take back the directory this call renamed into place, when its transaction then failed."""
    if final is not None:
        shutil.rmtree(final, ignore_errors=True)


def _write_release(directory: Path, *, notes: str, user: AbstractBaseUser | None, progress: bool) -> Release:
    previous = Release.objects.order_by("-number").first()
    number = (previous.number if previous else 0) + 1
    published_at = timezone.now()
    manifest, schemas = write_tables(directory, progress=progress)
    release = Release(
        number=number,
        published_at=published_at,
        notes=notes.strip(),
        counts=manifest.counts(),
        changelog=changelog(previous_records(previous), manifest.records),
        published_by=user if user is not None and user.pk else None,
    )
    files = {path.name: file_facts(path) for path in sorted(directory.iterdir())}
    descriptor = package_descriptor(
        number=number,
        created=published_at.isoformat(),
        citation=release.citation(_permanent_url(release)),
        notes=release.notes,
        schemas=schemas,
        files=files,
    )
    package = directory / PACKAGE_NAME
    package.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    files[PACKAGE_NAME] = file_facts(package)
    for path in directory.iterdir():
        path.chmod(0o444)  # read-only: nothing on this server rewrites a release file
    release.save()
    ReleaseFile.objects.bulk_create(
        ReleaseFile(release=release, name=name, media_type=facts.media_type, size=facts.size, sha256=facts.sha256)
        for name, facts in sorted(files.items())
    )
    _save_manifest(release, manifest)
    return release


def _save_manifest(release: Release, manifest: Manifest) -> None:
    records = (
        ReleaseRecord(release=release, table=table, key=key, digest=digest, column_digests=columns)
        for table, keyed in manifest.records.items()
        for key, (digest, columns) in keyed.items()
    )
    ReleaseRecord.objects.bulk_create(records, batch_size=RECORD_BATCH_SIZE)


def _permanent_url(release: Release) -> str:
    """The release page's address: absolute when ``RELEASES_SITE_URL`` says where the site is."""
    base = settings.RELEASES_SITE_URL.rstrip("/")
    return f"{base}{release.get_absolute_url()}"
