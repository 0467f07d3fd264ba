"""The base of every public API resource (kept apart from api/pagination.py and api/throttling.py,
which DRF's settings import while DRF's views are still loading)."""

from __future__ import annotations

from rest_framework import viewsets

from api.csv_export import CSVListMixin
from api.fields import SLUG_PATTERN


class ReadOnlySlugViewSet(CSVListMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only resource: a list (JSON, or CSV with ``format=csv``) and details addressed by slug."""

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    # A slug of the curated library (fixtures/), the schema's example of a detail's {slug}: the docs
    # show a real record, and schemathesis' examples phase fetches it.
    example_slug: str | None = None
