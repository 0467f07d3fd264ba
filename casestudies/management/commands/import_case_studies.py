"""Create or update case studies from a CSV file; all or nothing, with row-level errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from casestudies.services import IMPORT_COLUMNS, case_studies_import_csv


class Command(BaseCommand):
    help = (
        "Import case studies from a UTF-8 CSV file with the columns "
        f"{', '.join(IMPORT_COLUMNS)} (see docs/curation.md). A row whose slug exists updates that case study. "
        "Nothing is written if any row has an error."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and show what would change.")
        parser.add_argument("--user", help="Username to record as the author in the history.")

    def handle(self, *args: Any, file: Path, dry_run: bool, user: str | None, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        author = None
        if user:
            author = get_user_model()._default_manager.filter(username=user).first()
            if author is None:
                raise CommandError(f"No user with username '{user}'.")
        result = case_studies_import_csv(data=file.read_bytes(), dry_run=dry_run, user=author)
        for error in result.errors:
            self.stderr.write(error)
        if not result.ok:
            raise CommandError(f"{len(result.errors)} error(s) in {file}: nothing was imported.")
        for row in result.rows:
            detail = f" ({', '.join(row.changes) or 'no changes'})" if row.action == "update" else ""
            prefix = "would " if dry_run else ""
            self.stdout.write(f"line {row.line}: {prefix}{row.action} {row.slug}{detail}")
        created = sum(row.action == "create" for row in result.rows)
        updated = len(result.rows) - created
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(f"Dry run: {created} to create, {updated} to update. Nothing was written.")
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported: {created} created, {updated} updated."))
