"""The API's description of releases (the rows of a release's tables are in ``releases.tables``)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import WebPageURLField

from .models import CHANGE_KINDS, Release, ReleaseFile
from .tables import TABLES

# --- The API's releases ------------------------------------------------------------------------


class ReleaseFileSerializer(serializers.ModelSerializer):
    url = WebPageURLField(help_text="Its permanent address.")
    bytes = serializers.IntegerField(source="size", read_only=True, help_text="Its size in bytes.")
    sha256 = serializers.CharField(read_only=True, help_text="SHA-256 of the file, in hex: check a download with it.")

    class Meta:
        model = ReleaseFile
        fields = ["name", "url", "media_type", "bytes", "sha256"]
        read_only_fields = fields


class ChangeTotalsSerializer(serializers.Serializer):
    added = serializers.IntegerField(help_text="Records not in the previous release.")
    changed = serializers.IntegerField(help_text="Records whose row differs from the previous release's.")
    removed = serializers.IntegerField(help_text="Records of the previous release no longer published.")


class ReleaseSerializer(serializers.ModelSerializer):
    url = WebPageURLField(help_text="The release's permanent page, with its changelog.")
    api_url = serializers.SerializerMethodField(help_text="This release in the API.")
    citation = serializers.SerializerMethodField(help_text="How to cite this release.")
    counts = serializers.DictField(
        child=serializers.IntegerField(), read_only=True, help_text="Records in each table of the release."
    )
    changes = serializers.SerializerMethodField(
        help_text="Per table with changes since the previous release: how many records were added, changed and "
        "removed (the web page lists them)."
    )
    files = ReleaseFileSerializer(many=True, read_only=True)

    class Meta:
        model = Release
        fields = ["number", "published_at", "url", "api_url", "citation", "notes", "counts", "changes", "files"]
        read_only_fields = fields

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, obj: Release) -> str:
        return self._absolute(reverse("api:release-detail", kwargs={"number": obj.number}))

    def get_citation(self, obj: Release) -> str:
        return obj.citation(self._absolute(obj.get_absolute_url()))

    @extend_schema_field(serializers.DictField(child=ChangeTotalsSerializer()))
    def get_changes(self, obj: Release) -> dict[str, dict[str, int]]:
        return obj.change_totals()


class ChangesQuerySerializer(serializers.Serializer):
    """The parameters of "what changed in a record since release N"."""

    since = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The release number to compare from.")
    table = serializers.ChoiceField(
        choices=[table.name for table in TABLES], help_text="The release table the record is in, e.g. case-studies."
    )
    record = serializers.CharField(
        max_length=300,
        help_text="The record's key in that table: a slug; for figures the id; for outcomes, findings and "
        "recommendations <case study or survey slug>/<position>.",
    )


class RecordReleaseChangeSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The release.")
    published_at = serializers.DateTimeField()
    url = serializers.URLField(help_text="The release's page.")
    change = serializers.ChoiceField(choices=CHANGE_KINDS, help_text="What that release did to the record.")
    columns = serializers.ListField(
        child=serializers.CharField(), help_text="For changed: the columns whose value changed."
    )


class RecordChangesSerializer(serializers.Serializer):
    table = serializers.CharField()
    record = serializers.CharField()
    since = serializers.IntegerField(help_text="The release compared from.")
    latest = serializers.IntegerField(help_text="The newest release, compared to.")
    change = serializers.ChoiceField(
        choices=["unchanged", *CHANGE_KINDS],
        help_text="The record in the latest release against release `since`: added (not in it), changed, "
        "removed (not in the latest) or unchanged.",
    )
    columns = serializers.ListField(
        child=serializers.CharField(), help_text="For changed: the columns whose value differs."
    )
    releases = RecordReleaseChangeSerializer(
        many=True, help_text="Each later release that added, changed or removed the record, oldest first."
    )
