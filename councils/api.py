"""Read-only API for councils and partnerships."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.csv_export import CSVColumns, joined
from api.fields import api_url, case_studies_url, web_page_url
from api.viewsets import ReadOnlySlugViewSet
from casestudies.models import CaseStudy
from casestudies.serializers import SimilarCaseStudiesSerializer

from .filters import CouncilFilter, PartnershipFilter
from .models import Council, Partnership
from .register import REGISTER
from .serializers import CouncilSerializer, PartnershipSerializer
from .similarity import NEARBY_KM, POPULATION_FACTOR


class CouncilViewSet(ReadOnlySlugViewSet):
    """UK councils, past and present, with their successors, partnerships and case-study counts.

    Codes, dates, population and coordinates come from mySociety's register of UK councils
    (CC BY 4.0): every CSV row from it credits it, and every response links its licence."""

    example_slug = "adur-district-council"
    serializer_class = CouncilSerializer
    filterset_class = CouncilFilter
    csv_filename = "councils"
    unfiltered_actions = ("retrieve", "similar_case_studies")

    def get_queryset(self) -> QuerySet:
        if self.action == "similar_case_studies":
            return Council.objects.all()
        return Council.objects.for_listing().order_by("name", "pk")

    @extend_schema(responses=SimilarCaseStudiesSerializer, summary="Case studies from councils like this one")
    @action(detail=True, url_path="similar-case-studies", pagination_class=None)
    def similar_case_studies(self, request: Request, slug: str | None = None) -> Response:
        """'Councils like mine': the published case studies of the councils most like this one, the
        most alike first (at most 20), each with its council, score and reasons: a predecessor or
        successor through reorganisation, the same council type, a population within a factor of
        ``population_factor``, the same region, within ``nearby_km`` km. Not the council's own case
        studies; a council without any still gets those of councils like it. The same ranking as
        the web page ``/councils-like-mine/``. An unknown council is a 404."""
        council = self.get_object()
        data = {
            "council": council,
            "population_factor": POPULATION_FACTOR,
            "nearby_km": NEARBY_KM,
            "results": CaseStudy.objects.like(council),
        }
        return Response(SimilarCaseStudiesSerializer(data, context=self.get_serializer_context()).data)

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
            "successor": lambda c: c.sole_successor.slug if c.sole_successor else None,  # deprecated: successors
            "predecessors": lambda c: joined(p.slug for p in c.predecessors.all()),
            "partnerships": lambda c: joined(p.slug for p in c.partnerships.all()),
            "case_study_count": lambda c: c.case_study_count,
            "api_url": api_url(self.request, "api:council-detail"),
            "case_studies_url": case_studies_url(self.request, "council"),
            # Added with the council register, at the end (columns are never reordered).
            "in_documents": lambda c: c.in_documents,
            "register_code": lambda c: c.register_code,
            "established_on": lambda c: c.established_on,
            "population": lambda c: c.population,
            "population_year": lambda c: c.population_year,
            "latitude": lambda c: c.latitude,
            "longitude": lambda c: c.longitude,
            "register_discrepancies": lambda c: joined(
                f"{d.field}: {d.register_value}" for d in c.register_discrepancies.all()
            ),
            # The register's licence asks every copy to credit it: the row carries it wherever it goes.
            "register_credit": lambda c: f"{REGISTER.credit}, {REGISTER.url}" if c.register_code else "",
            # Added with the lineage (a council divided between several successors has them all).
            "successors": lambda c: joined(s.slug for s in c.successors.all()),
        }

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        licence = f'<{REGISTER.licence_url}>; rel="license"'
        response["Link"] = f"{response['Link']}, {licence}" if response.has_header("Link") else licence
        return response


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
