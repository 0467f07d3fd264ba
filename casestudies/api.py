"""Read-only API for case studies, figures, programmes and service areas."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.csv_export import CSVColumns, CSVListMixin, csv_columns_of
from api.fields import api_url, case_studies_url, web_page_url
from api.library_cache import cached_count
from api.serializer_rows import Relations, SerializerRowsMixin
from api.viewsets import ReadOnlySlugViewSet
from councils.models import CouncilType, Region
from transform_models.models import TransformationModel

from .filters import CaseStudyFilter, FigureFilter, ProgrammeFilter, case_study_facets, known_published_total
from .models import (
    SUMMARY_BASIS,
    CaseStudy,
    Figure,
    FigureKind,
    Programme,
    ServiceArea,
    kind_status_order,
    public_contacts,
)
from .serializers import (
    CaseStudyDetailSerializer,
    CaseStudyFacetsSerializer,
    CaseStudySerializer,
    FigureSerializer,
    FigureSummaryQuerySerializer,
    FigureSummarySerializer,
    ProgrammeDetailSerializer,
    ProgrammeSerializer,
    ServiceAreaSerializer,
)


class CaseStudyViewSet(SerializerRowsMixin, ReadOnlySlugViewSet):
    """Published case studies. Filters: OR within a repeated parameter, AND across parameters."""

    example_slug = "adur-and-worthing-shared-services"
    filterset_class = CaseStudyFilter
    csv_filename = "case-studies"

    def get_queryset(self) -> QuerySet:
        published = CaseStudy.objects.published()
        if self.action == "retrieve":
            return published if self.rows_by_id() else published.for_detail()
        if self.action == "facets":
            return published
        if self.rows_by_id():  # the ids of a page; its rows come with get_row_queryset()'s annotations
            return published.order_by("title", "pk")
        return published.for_listing().order_by("title", "pk")

    def get_row_queryset(self) -> QuerySet:
        return CaseStudy.objects.for_listing()

    def get_row_relations(self) -> Relations:
        return (("contacts", public_contacts),)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return CaseStudyDetailSerializer if self.action == "retrieve" else CaseStudySerializer

    def known_total(self) -> int | None:
        """The list's total where the database answers it without counting the case studies (its base is
        every published case study): no filter, or facets only."""
        return known_published_total(getattr(self, "filterset", None))

    @extend_schema(filters=True, responses=CaseStudyFacetsSerializer, summary="Count case studies per filter value")
    @action(detail=False, pagination_class=None)
    def facets(self, request: Request) -> Response:
        """For each of model, council_type, region, service_area and stage: every value, its label and
        how many case studies match it with all the *other* filters applied (0 included)."""
        queryset = self.get_queryset()
        count = cached_count(self.filter_queryset(queryset))  # validates the parameters: 400 if bad
        counts = case_study_facets(request.query_params)
        choices: dict[str, list[tuple[str, str]]] = {
            "model": list(TransformationModel.objects.order_by("display_order", "name").values_list("slug", "name")),
            "council_type": CouncilType.choices,
            "region": Region.choices,
            "service_area": list(ServiceArea.objects.order_by("name").values_list("slug", "name")),
            "stage": CaseStudy.Stage.choices,
        }
        facets = {
            facet: [{"value": value, "label": label, "count": counts[facet].get(value, 0)} for value, label in values]
            for facet, values in choices.items()
        }
        return Response({"count": count, **facets})


SUMMARY_LABELS: dict[str, Any] = {
    "council_type": dict(CouncilType.choices),
    "region": dict(Region.choices),
    "kind": dict(FigureKind.choices),
}


class FigureViewSet(CSVListMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every financial figure of the published case studies, with the sentence it comes from."""

    serializer_class = FigureSerializer
    filterset_class = FigureFilter
    action_parameters = {"summary": ["group_by"]}
    csv_filename = "figures"

    def get_queryset(self) -> QuerySet:
        figures = Figure.objects.published()
        if self.action == "summary":
            return figures
        return figures.for_listing().order_by("case_study_id", "position")

    @extend_schema(
        filters=True,
        parameters=[FigureSummaryQuerySerializer],
        responses=FigureSummarySerializer,
        summary="Count and sum figures per group",
    )
    @action(detail=False, pagination_class=None)
    def summary(self, request: Request) -> Response:
        """Counts and sums of annualised low/high values per group, **per figure kind and status**
        (never added across kinds or statuses), for the figures matching the same filters as the
        figure list. A figure that is part of another counted figure (``part_of``) is left out of
        the sums; the response says what it counts (``basis``, ``counts``, ``excluded``). A figure on
        a case study with several models (or councils) counts once in each group it belongs to;
        ``total`` counts it once."""
        query = FigureSummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        group_by = query.validated_data["group_by"]
        figures = self.filter_queryset(self.get_queryset())
        grouped: dict[Any, list[dict[str, Any]]] = {}
        for row in figures.summary(group_by):
            grouped.setdefault(row.pop("key"), []).append(row)
        if group_by == "model":
            labels = dict(TransformationModel.objects.order_by("display_order", "name").values_list("slug", "name"))
        elif group_by == "start_year":
            years = sorted(grouped, key=lambda year: (year is None, year or 0))
            labels = {year: str(year) if year is not None else "No start year" for year in years}
        else:
            labels = SUMMARY_LABELS[group_by]
        totals = figures.summary_totals()
        groups = [
            _summary_group(None if key is None else str(key), label, grouped.get(key, []))
            for key, label in labels.items()
        ]
        total = _summary_group(None, "All matching figures", totals)
        return Response(
            {
                "group_by": group_by,
                "basis": SUMMARY_BASIS,
                "counts": {"figures": total["figure_count"], "summed": sum(row["summed_count"] for row in totals)},
                "excluded": {
                    "part_of_counted_figure": sum(row["part_of_counted_figure"] for row in totals),
                    "no_per_year_value": sum(row["no_per_year_value"] for row in totals),
                },
                "groups": groups,
                "total": total,
            }
        )

    def get_csv_columns(self) -> CSVColumns:
        """The JSON row's fields, as columns (one definition: ``FigureSerializer``)."""
        return csv_columns_of(self.get_serializer())

    def get_csv_objects(self, queryset: QuerySet) -> Iterable[dict[str, Any]]:
        return self.serialized_csv_objects(queryset)


def _summary_group(key: str | None, label: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One group of the summary: its figure count and one total per kind and status present."""
    totals = sorted(rows, key=kind_status_order)
    return {"key": key, "label": label, "figure_count": sum(row["figure_count"] for row in totals), "totals": totals}


class ProgrammeViewSet(ReadOnlySlugViewSet):
    """Funding programmes; the detail adds their published projects."""

    example_slug = "delivering-differently"
    filterset_class = ProgrammeFilter
    csv_filename = "programmes"

    def get_queryset(self) -> QuerySet:
        programmes = Programme.objects.order_by("name", "pk")
        return programmes.for_detail() if self.action == "retrieve" else programmes.for_listing()

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return ProgrammeDetailSerializer if self.action == "retrieve" else ProgrammeSerializer

    def get_csv_columns(self) -> CSVColumns:
        return {
            "slug": lambda p: p.slug,
            "name": lambda p: p.name,
            "url": web_page_url(self.request),
            "description": lambda p: p.description,
            "funders": lambda p: p.funders,
            "fund_name": lambda p: p.fund_name,
            "fund_amount": lambda p: p.fund_amount,
            "year": lambda p: p.year,
            "project_count": lambda p: p.project_count,
            "api_url": api_url(self.request, "api:programme-detail"),
            "case_studies_url": case_studies_url(self.request, "programme"),
        }


class ServiceAreaViewSet(ReadOnlySlugViewSet):
    """Council service areas, with how many published case studies touch each."""

    example_slug = "adult-social-care"
    serializer_class = ServiceAreaSerializer
    csv_filename = "service-areas"

    def get_queryset(self) -> QuerySet:
        return ServiceArea.objects.for_listing().order_by("name", "pk")

    def get_csv_columns(self) -> CSVColumns:
        return {
            "slug": lambda s: s.slug,
            "name": lambda s: s.name,
            "description": lambda s: s.description,
            "case_study_count": lambda s: s.case_study_count,
            "api_url": api_url(self.request, "api:servicearea-detail"),
            "case_studies_url": case_studies_url(self.request, "service_area"),
        }
