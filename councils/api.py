"""Read-only API for councils."""

from __future__ import annotations

from django.db.models import QuerySet

from config.api import CSVColumns, joined, web_page_url
from config.viewsets import ReadOnlySlugViewSet

from .filters import CouncilFilter
from .models import Council
from .serializers import CouncilSerializer


class CouncilViewSet(ReadOnlySlugViewSet):
    """UK councils, past and present, with their successors, partnerships and case-study counts."""

    serializer_class = CouncilSerializer
    filterset_class = CouncilFilter
    csv_filename = "councils"

    def get_queryset(self) -> QuerySet:
        return Council.objects.for_listing().order_by("name", "pk")

    def get_csv_columns(self) -> CSVColumns:
        return {
            "slug": lambda c: c.slug,
            "name": lambda c: c.name,
            "url": web_page_url(self.request),
            "council_type": lambda c: c.council_type,
            "region": lambda c: c.region,
            "gss_code": lambda c: c.gss_code,
            "website": lambda c: c.website,
            "abolished_on": lambda c: c.abolished_on,
            "successor": lambda c: c.successor.slug if c.successor else None,
            "predecessors": lambda c: joined(p.slug for p in c.predecessors.all()),
            "partnerships": lambda c: joined(p.slug for p in c.partnerships.all()),
            "case_study_count": lambda c: c.case_study_count,
        }
