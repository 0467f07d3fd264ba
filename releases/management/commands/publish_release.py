"""``manage.py publish_release [--notes "..."]``: write the next numbered release of everything published."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.timezone import localtime

from releases.services import ReleaseError, release_directory, release_publish


class Command(BaseCommand):
    help = (
        "Write the next numbered, dated release of everything published: datapackage.json, one CSV per "
        "table and library.sqlite, each with its SHA-256, under RELEASES_ROOT/<number>/ (never rewritten)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--notes", default="", help="What this release is, shown on its page and in its package.")

    def handle(self, *args: Any, notes: str, verbosity: int, **options: Any) -> None:
        try:
            release = release_publish(notes=notes, progress=verbosity > 0)
        except ReleaseError as error:
            raise CommandError(str(error)) from error
        totals = release.change_totals()
        changes = ", ".join(
            f"{kind} {sum(table[kind] for table in totals.values())}" for kind in ("added", "changed", "removed")
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Published release {release.number} ({localtime(release.published_at):%Y-%m-%d}): "
                f"{sum(release.counts.values())} records in {len(release.counts)} tables ({changes} since the "
                f"previous release), written to {release_directory(release.number)}. "
                f"Its page: {release.get_absolute_url()}"
            )
        )
