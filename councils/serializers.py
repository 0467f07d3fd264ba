"""Read-only API representations of councils. They never query: see ``Council.objects.for_listing()``."""

from __future__ import annotations

from rest_framework import serializers

from api.fields import APIURLField, CaseStudiesURLField, OptionalURLField, WebPageURLField

from .models import Council, Partnership, RegisterDiscrepancy


class CouncilRefSerializer(serializers.ModelSerializer):
    """Another council, by reference."""

    api_url = APIURLField(view_name="api:council-detail", help_text="The council in the API.")

    class Meta:
        model = Council
        fields = ["slug", "name", "api_url"]
        read_only_fields = fields


class PartnershipRefSerializer(serializers.ModelSerializer):
    """A partnership, by reference."""

    api_url = APIURLField(view_name="api:partnership-detail", help_text="The partnership in the API.")

    class Meta:
        model = Partnership
        fields = ["slug", "name", "formed_year", "api_url"]
        read_only_fields = fields


class PartnershipSerializer(serializers.ModelSerializer):
    """A standing partnership of councils, with its members and a link to its case studies."""

    url = WebPageURLField(help_text="The partnership's page on this site.")
    api_url = APIURLField(view_name="api:partnership-detail", help_text="This partnership in the API.")
    members = CouncilRefSerializer(many=True, read_only=True, help_text="Its member councils, by name.")
    case_study_count = serializers.IntegerField(read_only=True, help_text="Its published case studies.")
    case_studies_url = CaseStudiesURLField("partnership", help_text="Its published case studies in the API.")

    class Meta:
        model = Partnership
        fields = [
            "slug",
            "name",
            "url",
            "api_url",
            "description",
            "formed_year",
            "members",
            "case_study_count",
            "case_studies_url",
        ]
        read_only_fields = fields


class RegisterDiscrepancySerializer(serializers.ModelSerializer):
    """Where mySociety's council register says otherwise than the library (which follows the documents)."""

    class Meta:
        model = RegisterDiscrepancy
        fields = ["field", "library_value", "register_value"]
        read_only_fields = fields


class CouncilSerializer(serializers.ModelSerializer):
    url = WebPageURLField(help_text="The council's page on this site.")
    api_url = APIURLField(view_name="api:council-detail", help_text="This council in the API.")
    successor = CouncilRefSerializer(
        source="sole_successor",
        read_only=True,
        allow_null=True,
        help_text="Deprecated: its successor when exactly one took over, else null; use successors.",
    )
    successors = CouncilRefSerializer(
        many=True,
        read_only=True,
        help_text="The councils that took over when this one was abolished (several when it was divided), by name.",
    )
    predecessors = CouncilRefSerializer(
        many=True, read_only=True, help_text="Councils this one replaced (wholly or in part), by name."
    )
    partnerships = PartnershipRefSerializer(many=True, read_only=True)
    website = OptionalURLField(help_text="The council's web site, if known.")
    case_study_count = serializers.IntegerField(read_only=True, help_text="Published case studies it takes part in.")
    case_studies_url = CaseStudiesURLField("council", help_text="The case studies it takes part in, in the API.")
    register_discrepancies = RegisterDiscrepancySerializer(
        many=True,
        read_only=True,
        help_text="Where mySociety's council register says otherwise than this record (both are kept).",
    )

    class Meta:
        model = Council
        fields = [
            "slug",
            "name",
            "url",
            "api_url",
            "council_type",
            "region",
            "in_documents",
            "register_code",
            "gss_code",
            "website",
            "established_on",
            "abolished_on",
            "successor",
            "successors",
            "predecessors",
            "partnerships",
            "population",
            "population_year",
            "latitude",
            "longitude",
            "register_discrepancies",
            "case_study_count",
            "case_studies_url",
        ]
        read_only_fields = fields
