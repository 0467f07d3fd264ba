"""Read-only API for the transformation models and the report's themes."""

from __future__ import annotations

from django.db.models import QuerySet

from api.csv_export import CSVColumns, joined
from api.fields import api_url, case_studies_url, web_page_url
from api.viewsets import ReadOnlySlugViewSet

from .models import ModelPoint, Theme, TransformationModel
from .serializers import ThemeSerializer, TransformationModelSerializer, points_of


class TransformationModelViewSet(ReadOnlySlugViewSet):
    """The six whole-council transformation models, with benefits, challenges and further reading."""

    example_slug = "sharing"
    serializer_class = TransformationModelSerializer
    csv_filename = "transformation-models"

    def get_queryset(self) -> QuerySet:
        return TransformationModel.objects.for_listing()

    def get_csv_columns(self) -> CSVColumns:
        return {
            "slug": lambda m: m.slug,
            "name": lambda m: m.name,
            "url": web_page_url(self.request),
            "definition": lambda m: m.definition,
            "case_study_count": lambda m: m.case_study_count,
            "benefits": lambda m: "\n".join(points_of(m, ModelPoint.Kind.BENEFIT)),
            "challenges": lambda m: "\n".join(points_of(m, ModelPoint.Kind.CHALLENGE)),
            "further_reading": lambda m: joined(s.title for s in m.further_reading.all()),
            "api_url": api_url(self.request, "api:transformationmodel-detail"),
            "case_studies_url": case_studies_url(self.request, "model"),
        }


class ThemeViewSet(ReadOnlySlugViewSet):
    """The report's recurrent themes and success factors (``kind``)."""

    example_slug = "building-community-resilience"
    serializer_class = ThemeSerializer
    csv_filename = "themes"

    def get_queryset(self) -> QuerySet:
        return Theme.objects.for_listing().order_by("kind", "position", "pk")

    def get_csv_columns(self) -> CSVColumns:
        return {
            "slug": lambda t: t.slug,
            "kind": lambda t: t.kind,
            "title": lambda t: t.title,
            "description": lambda t: t.description,
            "position": lambda t: t.position,
            "models": lambda t: joined(m.slug for m in t.transformation_models.all()),
        }
