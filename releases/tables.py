"""What a release contains: one table per kind of public record, each an API serializer over the
QuerySet of what is published. The one list of them: the CSV files, the SQLite tables, the Data
Package's resources, the manifest and the API's ``table`` parameter all read ``TABLES``.

A table's row is an API serializer of the public library, extended only where a bulk table needs
what the API nests instead (the case study an outcome belongs to, the survey of a finding). Their
fields are the columns (``api.csv_export.csv_column_fields``), their help texts the codebook
(``releases.package``).

Left out on purpose: drafts (every QuerySet here is of published records only), and contacts. A
release is permanent and copied by whoever downloads it, while a named contact may ask to be
hidden or erased (docs/api.md, "Releases"); their details stay on the live pages and API only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from rest_framework import serializers

from casestudies.models import CaseStudy, Figure, Outcome, Programme, ServiceArea, Source
from casestudies.serializers import (
    CaseStudySerializer,
    FigureSerializer,
    OutcomeSerializer,
    ProgrammeSerializer,
    ServiceAreaSerializer,
    SourceSerializer,
)
from councils.models import Council, Partnership
from councils.serializers import CouncilSerializer, PartnershipSerializer
from surveys.models import Finding, Recommendation, Survey
from surveys.serializers import FindingSerializer, RecommendationSerializer, SurveySerializer
from transform_models.models import Theme, TransformationModel
from transform_models.serializers import ThemeSerializer, TransformationModelSerializer

# --- Rows the API nests: a bulk table needs their parent's key -------------------------------


class CaseStudyReleaseSerializer(CaseStudySerializer):
    """A published case study as a release row: the API's row, with its text and source."""

    source = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="Slug of its source document (sources table)."
    )
    further_reading = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Slugs of its further reading (sources table)."
    )

    class Meta(CaseStudySerializer.Meta):
        fields = [*CaseStudySerializer.Meta.fields, "body", "source", "source_section", "further_reading"]
        read_only_fields = fields


class OutcomeReleaseSerializer(OutcomeSerializer):
    case_study = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="Slug of the case study it belongs to."
    )

    class Meta(OutcomeSerializer.Meta):
        fields = ["case_study", *OutcomeSerializer.Meta.fields]
        read_only_fields = fields


class FindingReleaseSerializer(FindingSerializer):
    survey = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="Slug of its survey.")

    class Meta(FindingSerializer.Meta):
        fields = ["survey", *FindingSerializer.Meta.fields]
        read_only_fields = fields


class RecommendationReleaseSerializer(RecommendationSerializer):
    survey = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="Slug of its survey.")

    class Meta(RecommendationSerializer.Meta):
        fields = ["survey", *RecommendationSerializer.Meta.fields]
        read_only_fields = fields


@dataclass(frozen=True)
class Table:
    """One table of a release: ``name`` is its file (``<name>.csv``) and, with underscores, its
    SQLite table; ``key`` the columns that identify a record; ``references`` its foreign keys
    (column -> table whose ``slug`` it holds)."""

    name: str
    title: str
    description: str
    serializer_class: type[serializers.Serializer]
    queryset: Callable[[], QuerySet]
    key: tuple[str, ...] = ("slug",)
    references: tuple[tuple[str, str], ...] = ()

    @property
    def sql_name(self) -> str:
        return self.name.replace("-", "_")

    def record_key(self, row: dict) -> str:
        """The record's key as the manifest and the API's ``record`` parameter spell it."""
        return "/".join(str(row[column]) for column in self.key)


TABLES: tuple[Table, ...] = (
    Table(
        "case-studies",
        "Case studies",
        "Published case studies: how councils changed the way they deliver services.",
        CaseStudyReleaseSerializer,
        lambda: (
            CaseStudy.objects.published()
            .for_listing()
            .select_related("source")
            .prefetch_related("further_reading")
            .order_by("slug")
        ),
    ),
    Table(
        "figures",
        "Figures",
        "Every financial figure of the published case studies, with the sentence it comes from.",
        FigureSerializer,
        lambda: Figure.objects.published().for_listing().order_by("pk"),
        key=("id",),
        references=(("case_study", "case-studies"),),
    ),
    Table(
        "outcomes",
        "Outcomes",
        "Non-financial results of the published case studies, with the sentence each comes from.",
        OutcomeReleaseSerializer,
        lambda: (
            Outcome.objects.published().select_related("case_study", "council").order_by("case_study__slug", "position")
        ),
        key=("case_study", "position"),
        references=(("case_study", "case-studies"),),
    ),
    Table(
        "transformation-models",
        "Transformation models",
        "The six whole-council transformation models.",
        TransformationModelSerializer,
        lambda: TransformationModel.objects.for_listing().order_by("slug"),
    ),
    Table(
        "themes",
        "Themes and success factors",
        "The report's recurrent themes and success factors.",
        ThemeSerializer,
        lambda: Theme.objects.for_listing().order_by("slug"),
    ),
    Table(
        "councils",
        "Councils",
        "UK councils, past and present (codes, dates, population and coordinates from mySociety's register).",
        CouncilSerializer,
        lambda: Council.objects.for_listing().order_by("slug"),
    ),
    Table(
        "partnerships",
        "Partnerships",
        "Standing partnerships of councils, with their members.",
        PartnershipSerializer,
        lambda: Partnership.objects.for_listing().order_by("slug"),
    ),
    Table(
        "service-areas",
        "Service areas",
        "Council service areas.",
        ServiceAreaSerializer,
        lambda: ServiceArea.objects.for_listing().order_by("slug"),
    ),
    Table(
        "programmes",
        "Programmes",
        "Funding programmes whose projects are case studies.",
        ProgrammeSerializer,
        lambda: Programme.objects.for_listing().order_by("slug"),
    ),
    Table(
        "sources",
        "Sources",
        "The documents the library's data comes from, its further reading and footnoted references.",
        SourceSerializer,
        lambda: Source.objects.public().order_by("slug"),
    ),
    Table(
        "surveys",
        "Surveys",
        "Surveys of councils.",
        SurveySerializer,
        lambda: Survey.objects.for_listing().select_related("source").order_by("slug"),
    ),
    Table(
        "survey-findings",
        "Survey findings",
        "The surveys' findings.",
        FindingReleaseSerializer,
        lambda: Finding.objects.select_related("survey").order_by("survey__slug", "position"),
        key=("survey", "position"),
        references=(("survey", "surveys"),),
    ),
    Table(
        "survey-recommendations",
        "Survey recommendations",
        "The surveys' recommendations.",
        RecommendationReleaseSerializer,
        lambda: Recommendation.objects.select_related("survey").order_by("survey__slug", "position"),
        key=("survey", "position"),
        references=(("survey", "surveys"),),
    ),
)

TABLES_BY_NAME = {table.name: table for table in TABLES}
