"""Read-only API representations of surveys. They never query: see ``Survey.objects.for_detail()``."""

from __future__ import annotations

from rest_framework import serializers

from api.fields import APIURLField, WebPageURLField
from casestudies.serializers import SourceSerializer

from .models import Finding, Recommendation, Survey


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = ["position", "category", "statement", "percentage", "quote"]
        read_only_fields = fields


class RecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = ["position", "title", "text"]
        read_only_fields = fields


class SurveySerializer(serializers.ModelSerializer):
    url = WebPageURLField(help_text="The survey's page on this site.")
    api_url = APIURLField(view_name="api:survey-detail", help_text="This survey in the API.")
    source = SourceSerializer(read_only=True, allow_null=True)
    finding_count = serializers.IntegerField(read_only=True)
    recommendation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Survey
        fields = [
            "slug",
            "title",
            "url",
            "api_url",
            "publisher",
            "partner",
            "year",
            "sample_size",
            "respondents",
            "summary",
            "source",
            "finding_count",
            "recommendation_count",
        ]
        read_only_fields = fields


class SurveyDetailSerializer(SurveySerializer):
    findings = FindingSerializer(many=True, read_only=True)
    recommendations = RecommendationSerializer(many=True, read_only=True)

    class Meta(SurveySerializer.Meta):
        fields = [*SurveySerializer.Meta.fields, "findings", "recommendations"]
        read_only_fields = fields
