"""What a release did to one record, worked out from the releases' manifests (``ReleaseRecord``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from .models import Release, ReleaseRecord
from .services import changed_columns


class NoSuchRelease(LookupError):
    pass


class NoSuchRecord(LookupError):
    pass


@dataclass
class ReleaseChange:
    release: Release
    change: str
    columns: list[str] = field(default_factory=list)


@dataclass
class RecordChanges:
    """The record in the newest release against release ``since``, and each release in between
    (and the newest) that added, changed or removed it."""

    table: str
    record: str
    since: int
    latest: int
    change: str
    columns: list[str]
    releases: list[ReleaseChange]


def _change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[str, list[str]]:
    if before is None and after is None:
        return "unchanged", []
    if before is None:
        return "added", []
    if after is None:
        return "removed", []
    if before["digest"] == after["digest"]:
        return "unchanged", []
    return "changed", changed_columns(before["column_digests"], after["column_digests"])


def record_changes(*, table: str, record: str, since: int) -> RecordChanges:
    """Two queries: the releases from ``since`` on, and the record's rows in their manifests."""
    releases = list(Release.objects.filter(number__gte=since).order_by("number").only("number", "published_at"))
    if not releases or releases[0].number != since:
        raise NoSuchRelease(since)
    rows = ReleaseRecord.objects.filter(table=table, key=record, release__number__gte=since)
    found = {row["release_id"]: row for row in rows.values("release_id", "digest", "column_digests")}
    if not found:
        raise NoSuchRecord(record)
    steps: list[ReleaseChange] = []
    for before, after in pairwise(releases):
        change, columns = _change(found.get(before.pk), found.get(after.pk))
        if change != "unchanged":
            steps.append(ReleaseChange(after, change, columns))
    change, columns = _change(found.get(releases[0].pk), found.get(releases[-1].pk))
    return RecordChanges(table, record, since, releases[-1].number, change, columns, steps)
