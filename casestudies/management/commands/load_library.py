"""Load the curated reference data in ``fixtures/`` (idempotent: natural keys)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from casestudies.models import CaseStudy

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "Load every fixture in fixtures/ (in file-name order). Safe to run twice."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--fixtures-dir", type=Path, default=FIXTURES_DIR, help="Folder of *.json fixtures.")

    def handle(self, *args: Any, fixtures_dir: Path, verbosity: int = 1, **options: Any) -> None:
        files = sorted(fixtures_dir.glob("*.json"))
        if not files:
            self.stdout.write(self.style.WARNING(f"No fixtures found in {fixtures_dir}; nothing loaded."))
            return
        with transaction.atomic():
            for path in files:
                call_command("loaddata", str(path), verbosity=0)
                if verbosity:
                    self.stdout.write(f"Loaded {path.name}")
        loaded = CaseStudy.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Library loaded: {len(files)} fixture files, {loaded} case studies."))
