"""Read-only API for surveys and their findings."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers

from api.csv_export import CSVColumns
from api.fields import web_page_url
from api.viewsets import ReadOnlySlugViewSet

from .models import Survey
from .serializers import SurveyDetailSerializer, SurveySerializer


class SurveyViewSet(ReadOnlySlugViewSet):
    """Surveys of councils; the detail adds findings and recommendations."""

    example_slug = "changing-places"
    csv_filename = "surveys"

    def get_queryset(self) -> QuerySet:
        surveys = Survey.objects.order_by("-year", "title", "pk")
        return surveys.for_detail() if self.action == "retrieve" else surveys.for_listing()

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return SurveyDetailSerializer if self.action == "retrieve" else SurveySerializer

    def get_csv_columns(self) -> CSVColumns:
        return {
            "slug": lambda s: s.slug,
            "title": lambda s: s.title,
            "url": web_page_url(self.request),
            "publisher": lambda s: s.publisher,
            "partner": lambda s: s.partner,
            "year": lambda s: s.year,
            "sample_size": lambda s: s.sample_size,
            "respondents": lambda s: s.respondents,
            "summary": lambda s: s.summary,
            "finding_count": lambda s: s.finding_count,
            "recommendation_count": lambda s: s.recommendation_count,
        }
