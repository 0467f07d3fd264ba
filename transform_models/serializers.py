"""Read-only API representations of the transformation models and the report's themes.

They never query: see ``TransformationModel.objects.for_listing()`` and ``Theme.objects.for_listing()``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import APIURLField, CaseStudiesURLField, WebPageURLField
from casestudies.serializers import SourceSerializer

from .models import ModelPoint, Theme, TransformationModel


def points_of(model: TransformationModel, kind: str) -> list[str]:
    return [point.text for point in sorted(model.points.all(), key=lambda p: p.position) if point.kind == kind]


class TransformationModelSerializer(serializers.ModelSerializer):
    url = WebPageURLField(help_text="The model's page on this site.")
    api_url = APIURLField(view_name="api:transformationmodel-detail", help_text="This model in the API.")
    benefits = serializers.SerializerMethodField(help_text="The report's benefits of the model, in order.")
    challenges = serializers.SerializerMethodField(help_text="The report's challenges of the model, in order.")
    further_reading = SourceSerializer(many=True, read_only=True)
    case_study_count = serializers.IntegerField(read_only=True, help_text="Published case studies using the model.")
    case_studies_url = CaseStudiesURLField("model", help_text="The published case studies using it, in the API.")

    class Meta:
        model = TransformationModel
        fields = [
            "slug",
            "name",
            "url",
            "api_url",
            "definition",
            "key_features",
            "display_order",
            "benefits",
            "challenges",
            "further_reading",
            "case_study_count",
            "case_studies_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_benefits(self, obj: TransformationModel) -> list[str]:
        return points_of(obj, ModelPoint.Kind.BENEFIT)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_challenges(self, obj: TransformationModel) -> list[str]:
        return points_of(obj, ModelPoint.Kind.CHALLENGE)


class TransformationModelRefSerializer(serializers.ModelSerializer):
    """A transformation model, by reference."""

    api_url = APIURLField(view_name="api:transformationmodel-detail", help_text="The model in the API.")

    class Meta:
        model = TransformationModel
        fields = ["slug", "name", "api_url"]
        read_only_fields = fields


class ThemeSerializer(serializers.ModelSerializer):
    api_url = APIURLField(view_name="api:theme-detail", help_text="This theme in the API.")
    models = TransformationModelRefSerializer(
        source="transformation_models",
        many=True,
        read_only=True,
        help_text="The transformation models the theme is tied to, if any.",
    )

    class Meta:
        model = Theme
        fields = ["slug", "api_url", "kind", "title", "description", "position", "models"]
        read_only_fields = fields
