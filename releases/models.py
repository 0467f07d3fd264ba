"""Numbered, dated data releases: what was published, its files and their checksums.

A release is written once (``releases.services.release_publish``) and never rewritten: its files
live under ``RELEASES_ROOT/<number>/`` and the database refuses to change its rows (triggers on
PostgreSQL; the admin offers no change or delete). ``ReleaseRecord`` is its manifest, one row per
record with a digest of the row and of each column, from which the next release's changelog and
the API's "what changed since release N" are worked out.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class ReleaseQuerySet(models.QuerySet):
    def for_listing(self) -> ReleaseQuerySet:
        """Everything a list row (web or API) renders: its files, in name order."""
        return self.prefetch_related(models.Prefetch("files", queryset=ReleaseFile.objects.order_by("name")))

    def latest_number(self) -> int:
        """The number of the newest release, 0 before the first."""
        return self.aggregate(latest=models.Max("number"))["latest"] or 0


class Release(models.Model):
    """One numbered release of everything published on the day it was made."""

    number = models.PositiveIntegerField(help_text="1 for the first release, then one more each time.")
    published_at = models.DateTimeField(help_text="When the release was written.")
    notes = models.TextField(blank=True, help_text="What the curator says about this release.")
    counts = models.JSONField(default=dict, help_text="Records in each table of the release.")
    changelog = models.JSONField(
        default=dict,
        help_text="Per table, the records added, changed (with the columns that changed) and removed since the "
        "previous release.",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        permissions = [("publish_release", "Can publish a new data release")]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="release_unique_number"),
            models.CheckConstraint(condition=Q(number__gt=0), name="release_number_positive"),
        ]
        triggers = [
            # Only the publisher's account may go (SET_NULL when it is deleted); the release itself is fixed.
            pgtrigger.Protect(
                name="release_never_rewritten",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange("number", "published_at", "notes", "counts", "changelog"),
            ),
        ]

    def __str__(self) -> str:
        return f"Release {self.number} ({timezone.localtime(self.published_at):%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("releases:detail", kwargs={"number": self.number})

    def change_totals(self) -> dict[str, dict[str, int]]:
        """Per table with changes: how many records were added, changed and removed."""
        return {
            table: {kind: len(changes.get(kind, ())) for kind in CHANGE_KINDS}
            for table, changes in self.changelog.items()
        }

    def citation(self, url: str) -> str:
        """The line to cite the release by, with its permanent address ``url``."""
        return f"{CITATION_TITLE}, release {self.number} ({timezone.localtime(self.published_at):%Y-%m-%d}), {url}"


CITATION_TITLE = "Council Transformation Library"
CHANGE_KINDS = ("added", "changed", "removed")


class ReleaseFile(models.Model):
    """A file of a release, with what a downloader checks it against."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=100, help_text="File name, e.g. case-studies.csv.")
    media_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the file, in hex.")

    class Meta:
        ordering = ["release", "name"]
        constraints = [
            models.UniqueConstraint(fields=["release", "name"], name="releasefile_unique_name"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="releasefile_sha256_hex"),
            # A plain name: never a path out of the release's directory.
            models.CheckConstraint(condition=Q(name__regex=r"^[a-z0-9][a-z0-9.-]*$"), name="releasefile_plain_name"),
        ]
        triggers = [pgtrigger.Protect(name="releasefile_never_rewritten", operation=pgtrigger.Update)]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("releases:file", kwargs={"number": self.release.number, "name": self.name})


class ReleaseRecord(models.Model):
    """One record of a release's manifest: its table, its key and digests of what it said."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="records")
    table = models.CharField(max_length=50, help_text="The release table, e.g. case-studies.")
    key = models.CharField(max_length=300, help_text="The record's key in that table (a slug, an id, slug/position).")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the whole row.")
    column_digests = models.JSONField(default=dict, help_text="Column -> short digest of its value.")

    class Meta:
        ordering = ["release", "table", "key"]
        constraints = [
            models.UniqueConstraint(fields=["release", "table", "key"], name="releaserecord_unique_key"),
        ]
        triggers = [pgtrigger.Protect(name="releaserecord_never_rewritten", operation=pgtrigger.Update)]

    def __str__(self) -> str:
        return f"{self.table} {self.key}"
