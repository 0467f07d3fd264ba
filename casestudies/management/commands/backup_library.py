"""Write a portable backup of the library: JSON with natural foreign keys, and pg_dump on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

# Everything a curator made, with its audit history (the historical tables live in these
# apps) and the accounts the history names. Left out: content types and permissions (recreated
# by `migrate`), sessions and sign-in attempts (transient).
CURATED_APPS = ["transform_models", "councils", "casestudies", "surveys"]
BACKUP_LABELS = [*CURATED_APPS, "auth.group", "auth.user", "admin.logentry"]
# Rows the database derives from the others (casestudies/derived.py): rebuilt by its triggers on load.
DERIVED_MODELS = [
    "casestudies.CaseStudyLinkKeys",
    "casestudies.CaseStudySearchDocument",
    "casestudies.CaseStudyFacetTotal",
]
# Proxies that only declare triggers (casestudies/models.py): no rows of their own to dump.
TRIGGER_PROXIES = [
    "casestudies.CaseStudyServiceAreaDerivedTriggers",
    "casestudies.CouncilDerivedTriggers",
    "casestudies.TransformationModelDerivedTriggers",
]
BACKUP_DIR = Path(settings.BASE_DIR) / "backups"


def dump_library(path: Path, *, database: str = DEFAULT_DB_ALIAS) -> None:
    """The JSON export: foreign keys as natural keys, primary keys kept.

    Primary keys are kept so that history rows (which store their object's id as a plain
    number) still point at the right objects after a restore.
    """
    call_command(
        "dumpdata",
        *BACKUP_LABELS,
        exclude=[*DERIVED_MODELS, *TRIGGER_PROXIES],
        format="exact-json",  # timestamps to the microsecond; still read by loaddata as .json
        natural_foreign=True,
        indent=1,
        output=str(path),
        database=database,
        verbosity=0,
    )


def private_file(path: Path) -> Path:
    """An empty file only its owner can read or write (mode 0600): backups hold contacts' personal
    data. Created before anything is written to it, so it is never readable by others even briefly."""
    path.touch(mode=0o600, exist_ok=False)
    path.chmod(0o600)  # whatever the umask
    return path


class Command(BaseCommand):
    help = (
        "Back up the library to backups/<timestamp>.json (portable, natural keys) and, on PostgreSQL, "
        "backups/<timestamp>.dump (pg_dump custom format)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output-dir", type=Path, default=BACKUP_DIR, help="Folder for the backup files.")
        parser.add_argument("--no-pg-dump", action="store_true", help="Write the JSON export only.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, output_dir: Path, no_pg_dump: bool, database: str, **options: Any) -> None:
        output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        json_path = private_file(output_dir / f"{stamp}.json")
        dump_library(json_path, database=database)
        self.stdout.write(self.style.SUCCESS(f"Wrote {json_path}"))

        connection = connections[database]
        if connection.vendor != "postgresql" or no_pg_dump:
            return
        dump_path = private_file(output_dir / f"{stamp}.dump")
        self._pg_dump(connection.settings_dict, dump_path)
        self.stdout.write(self.style.SUCCESS(f"Wrote {dump_path}"))

    def _pg_dump(self, db: dict[str, Any], path: Path) -> None:
        if shutil.which("pg_dump") is None:
            raise CommandError(
                "pg_dump is not installed, so only the JSON export was written. Install the PostgreSQL "
                "client (apt-get install postgresql-client) or pass --no-pg-dump."
            )
        command = ["pg_dump", "--format=custom", "--no-owner", f"--file={path}"]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if db.get(key):
                command.append(f"{option}={db[key]}")
        command.append(db["NAME"])
        env = {**os.environ}
        if db.get("PASSWORD"):
            env["PGPASSWORD"] = db["PASSWORD"]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            path.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed (the JSON export was written): {result.stderr.strip()}")
