"""Read-only API for councils and partnerships."""

from __future__ import annotations

from django.db.models import QuerySet

from config.api import CSVColumns, api_url, case_studies_url, joined, web_page_url
from config.viewsets import ReadOnlySlugViewSet

from .filters import CouncilFilter, PartnershipFilter
from .models import Council, Partnership
from .serializers import CouncilSerializer, PartnershipSerializer


class CouncilViewSet(ReadOnlySlugViewSet):
    """UK councils, past and present, with their successors, partnerships and case-study counts."""

    example_slug = "adur-district-council"
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
            "api_url": api_url(self.request, "api:council-detail"),
            "case_studies_url": case_studies_url(self.request, "council"),
        }


class PartnershipViewSet(ReadOnlySlugViewSet):
    """Standing partnerships of councils (shared staff, services or management), with their members."""

    example_slug = "adur-and-worthing-councils"
    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilter
    csv_filename = "partnerships"

    def get_queryset(self) -> QuerySet:
        return Partnership.objects.for_listing().order_by("name", "pk")

    def get_csv_columns(self) -> CSVColumns:
        return {
            "slug": lambda p: p.slug,
            "name": lambda p: p.name,
            "url": web_page_url(self.request),
            "api_url": api_url(self.request, "api:partnership-detail"),
            "description": lambda p: p.description,
            "formed_year": lambda p: p.formed_year,
            "members": lambda p: joined(c.slug for c in p.members.all()),
            "case_study_count": lambda p: p.case_study_count,
            "case_studies_url": case_studies_url(self.request, "partnership"),
        }
