"""Read-only API representations of case studies, figures, programmes and service areas.

They never query: every relation they read is fetched by the QuerySet methods the viewsets
call (``for_listing()``, ``for_detail()``). :class:`CaseStudySerializer` is the one definition of
a case-study row: the JSON list, the first fields of the detail, the CSV columns
(``casestudies.api``) and the benchmark's raw row (``bench/scenarios.py``, tested) follow it.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import (
    APIURLField,
    CaseStudiesURLField,
    ColumnByField,
    IsSetField,
    MappedValueField,
    NumberField,
    OnlyRelatedSlugField,
    OptionalEmailField,
    OptionalURLField,
    RelatedSlugField,
    WebPageURLField,
)
from councils.models import CouncilType, Region
from councils.serializers import CouncilRefSerializer, PartnershipRefSerializer
from councils.similarity import WEIGHTS as SIMILARITY_WEIGHTS
from councils.similarity import Reason

from .like_mine import RankedCaseStudy
from .models import (
    SUMMARY_BASIS,
    SUMMARY_GROUPS,
    CaseStudy,
    CaseStudyCouncil,
    CaseStudyModel,
    Contact,
    Figure,
    FigureKind,
    FigureStatus,
    Outcome,
    Programme,
    ServiceArea,
    Source,
)


class SourceSerializer(serializers.ModelSerializer):
    """A document: further reading, a reference or a source of this library's data."""

    url = OptionalURLField(help_text="Where to read it, if known.")

    class Meta:
        model = Source
        fields = ["slug", "kind", "title", "author", "publisher", "year", "url", "citation"]
        read_only_fields = fields


class CaseStudyCouncilSerializer(serializers.ModelSerializer):
    """A council taking part in a case study, and its role."""

    slug = serializers.SlugField(source="council.slug", read_only=True)
    name = serializers.CharField(source="council.name", read_only=True)
    council_type = serializers.ChoiceField(source="council.council_type", choices=CouncilType.choices, read_only=True)
    region = serializers.ChoiceField(source="council.region", choices=Region.choices, read_only=True)
    api_url = APIURLField(view_name="api:council-detail", slug_path="council.slug", help_text="The council in the API.")

    class Meta:
        model = CaseStudyCouncil
        fields = ["slug", "name", "council_type", "region", "role", "api_url"]
        read_only_fields = fields


class CaseStudyModelSerializer(serializers.ModelSerializer):
    """A transformation model a case study illustrates, by reference."""

    slug = serializers.SlugField(source="model.slug", read_only=True)
    name = serializers.CharField(source="model.name", read_only=True)
    api_url = APIURLField(
        view_name="api:transformationmodel-detail", slug_path="model.slug", help_text="The model in the API."
    )

    class Meta:
        model = CaseStudyModel
        fields = ["slug", "name", "api_url"]
        read_only_fields = fields


class ServiceAreaRefSerializer(serializers.ModelSerializer):
    """A service area, by reference."""

    api_url = APIURLField(view_name="api:servicearea-detail", help_text="The service area in the API.")

    class Meta:
        model = ServiceArea
        fields = ["slug", "name", "api_url"]
        read_only_fields = fields


class ProgrammeRefSerializer(serializers.ModelSerializer):
    """A funding programme, by reference."""

    api_url = APIURLField(view_name="api:programme-detail", help_text="The programme in the API.")

    class Meta:
        model = Programme
        fields = ["slug", "name", "api_url"]
        read_only_fields = fields


class CaseStudySerializer(serializers.ModelSerializer):
    """A case study as a row of the API list. Add a field here (and to ``fields``) and it is in
    the JSON list, the detail and the CSV export (docs/api.md, "Adding a field")."""

    url = WebPageURLField(help_text="The case study's page on this site.")
    api_url = APIURLField(view_name="api:casestudy-detail", help_text="This case study in the API.")
    models = CaseStudyModelSerializer(
        source="model_links", many=True, read_only=True, help_text="Its transformation models, the primary one first."
    )
    primary_model = RelatedSlugField(
        source="model_links",
        slug_path="model.slug",
        where={"is_primary": True},
        help_text="Slug of the primary transformation model, if any.",
    )
    councils = CaseStudyCouncilSerializer(source="council_links", many=True, read_only=True)
    partnership = PartnershipRefSerializer(read_only=True, allow_null=True)
    programme = ProgrammeRefSerializer(read_only=True, allow_null=True)
    service_areas = ServiceAreaRefSerializer(many=True, read_only=True)
    headline_annual_saving = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Whole pounds per year: the largest achieved per-year saving of the case's own councils; "
        "if there is none, the largest expected one (headline_saving_status says which). Never a one-off "
        "or first-year amount, nor a figure of only some of its councils or of another body.",
    )
    headline_saving_status = serializers.ChoiceField(
        choices=[FigureStatus.ACHIEVED, FigureStatus.EXPECTED],
        read_only=True,
        allow_null=True,
        help_text="achieved or expected: how the headline annual saving is reported (null without one).",
    )

    class Meta:
        model = CaseStudy
        fields = [
            "slug",
            "title",
            "url",
            "api_url",
            "models",
            "primary_model",
            "councils",
            "partnership",
            "service_areas",
            "start_year",
            "end_year",
            "is_ongoing",
            "stage",
            "programme",
            "summary",
            "headline_annual_saving",
            "headline_saving_status",
        ]
        read_only_fields = fields


class FigureValuesMixin(serializers.Serializer):
    low = ColumnByField(
        by="measure",
        columns={measure: columns[0] for measure, columns in Figure.VALUE_COLUMNS.items()},
        allow_null=True,
        help_text="Pounds (money) or percent; null for 'up to' figures.",
    )
    high = ColumnByField(
        by="measure",
        columns={measure: columns[1] for measure, columns in Figure.VALUE_COLUMNS.items()},
        help_text="Pounds (money) or percent.",
    )
    # Declared, not generated: DRF drops allow_blank from generated read-only fields, so the schema
    # would not admit the "" these hold where the text (or the kind) gives no value.
    status = serializers.ChoiceField(
        choices=Figure.Status.choices,
        allow_blank=True,
        read_only=True,
        help_text="Achieved, expected or target; empty for kinds without a status (costs, budgets, …).",
    )
    recurrence = serializers.ChoiceField(
        choices=Figure.Recurrence.choices,
        allow_blank=True,
        read_only=True,
        help_text="Recurring, first year only or one-off, as the text says; empty if it does not.",
    )
    evidence = serializers.ChoiceField(
        choices=Figure.Evidence.choices,
        allow_blank=True,
        read_only=True,
        help_text="Where the figure comes from, as the document says; empty if it does not.",
    )


# Existing fields keep their order; new ones are added at the end (the CSV contract, docs/api.md).
FIGURE_FIELDS = [
    "council",
    "position",
    "kind",
    "label",
    "measure",
    "low",
    "high",
    "period",
    "period_years",
    "period_start_year",
    "period_end_year",
    "annualised_low",
    "annualised_high",
    "status",
    "quote",
    "applies_to",
    "recurrence",
    "part_of",
    "evidence",
]


class CaseFigureSerializer(FigureValuesMixin, serializers.ModelSerializer):
    """A figure inside its case study."""

    council = OnlyRelatedSlugField(
        source="applies_to",
        help_text="Deprecated (use applies_to): the one council of applies_to, or null for none or several.",
    )

    applies_to = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        read_only=True,
        help_text="Slugs of the councils the figure belongs to; empty: the case study's councils.",
    )
    part_of = serializers.IntegerField(
        source="part_of.position",
        read_only=True,
        allow_null=True,
        help_text="Position (in the same case study) of the figure that contains this one; totals count "
        "only the whole.",
    )
    annualised_low = serializers.IntegerField(read_only=True, allow_null=True)
    annualised_high = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Figure
        fields = FIGURE_FIELDS
        read_only_fields = fields


class FigureSerializer(CaseFigureSerializer):
    """A figure with the case study it comes from."""

    case_study = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    case_study_title = serializers.CharField(source="case_study.title", read_only=True)

    class Meta(CaseFigureSerializer.Meta):
        fields = ["id", "case_study", "case_study_title", *FIGURE_FIELDS]
        read_only_fields = fields


class OutcomeSerializer(serializers.ModelSerializer):
    council = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    baseline = NumberField(allow_null=True, help_text="The value before, where the text gives one.")
    value = NumberField(allow_null=True, help_text="The value reached.")

    class Meta:
        model = Outcome
        fields = [
            "council",
            "position",
            "metric",
            "baseline",
            "baseline_year",
            "value",
            "value_year",
            "unit",
            "status",
            "quote",
        ]
        read_only_fields = fields


class ContactSerializer(serializers.ModelSerializer):
    """A contact as published in the source (details date from ``published_year``)."""

    council = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    council_abolished = IsSetField(path="council.abolished_on")
    council_successor = OnlyRelatedSlugField(
        source="council.successors",
        help_text="Deprecated: the successor of its council when exactly one took over, else null; "
        "use council_successors.",
    )
    council_successors = serializers.SlugRelatedField(
        source="council.successors",
        many=True,
        slug_field="slug",
        read_only=True,
        default=list,
        help_text="The councils that took over from its council, if that was abolished.",
    )
    email = OptionalEmailField(help_text="As published, if published.")
    needs_checking = serializers.BooleanField(
        read_only=True,
        help_text="May be out of date: never checked, not checked for a year, or the council was abolished.",
    )

    class Meta:
        model = Contact
        fields = [
            "name",
            "role",
            "organisation",
            "council",
            "council_abolished",
            "council_successor",
            "council_successors",
            "email",
            "published_year",
            "last_verified",
            "needs_checking",
        ]
        read_only_fields = fields


class ModelClassificationSerializer(serializers.ModelSerializer):
    """Who placed a case study in a transformation model: its source document, or the library's
    editors (``editorial``: not the source's classification), with the sentence that rests on."""

    model = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    classification = MappedValueField(
        source="classified_by",
        mapping={CaseStudyModel.ClassifiedBy.LIBRARY: "editorial"},
        default="source",
        help_text="source: the source document classifies it so; editorial: the library's editors did, "
        "not the source document.",
    )
    basis_quote = serializers.CharField(
        read_only=True, help_text="For an editorial classification: the source sentence it rests on, verbatim."
    )

    class Meta:
        model = CaseStudyModel
        fields = ["model", "is_primary", "classification", "basis_quote"]
        read_only_fields = fields


class CaseStudyDetailSerializer(CaseStudySerializer):
    model_classifications = ModelClassificationSerializer(source="model_links", many=True, read_only=True)
    figures = CaseFigureSerializer(many=True, read_only=True)
    outcomes = OutcomeSerializer(many=True, read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)
    further_reading = SourceSerializer(many=True, read_only=True)
    source = SourceSerializer(read_only=True, allow_null=True)

    class Meta(CaseStudySerializer.Meta):
        fields = [
            *CaseStudySerializer.Meta.fields,
            "model_classifications",
            "body",
            "figures",
            "outcomes",
            "contacts",
            "further_reading",
            "source",
            "source_section",
        ]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    """A case study funded by a programme."""

    url = WebPageURLField()
    api_url = APIURLField(view_name="api:casestudy-detail", help_text="The case study in the API.")
    councils = CaseStudyCouncilSerializer(
        source="council_links", many=True, read_only=True, help_text="The councils taking part, lead first."
    )

    class Meta:
        model = CaseStudy
        fields = ["slug", "title", "url", "api_url", "councils", "stage", "summary"]
        read_only_fields = fields


class ProgrammeSerializer(serializers.ModelSerializer):
    url = WebPageURLField(help_text="The programme's page on this site.")
    api_url = APIURLField(view_name="api:programme-detail", help_text="This programme in the API.")
    project_count = serializers.IntegerField(read_only=True, help_text="Published projects (case studies).")
    case_studies_url = CaseStudiesURLField("programme", help_text="Its published projects in the case-study list.")

    class Meta:
        model = Programme
        fields = [
            "slug",
            "name",
            "url",
            "api_url",
            "description",
            "funders",
            "fund_name",
            "fund_amount",
            "year",
            "project_count",
            "case_studies_url",
        ]
        read_only_fields = fields


class ProgrammeDetailSerializer(ProgrammeSerializer):
    projects = ProjectSerializer(many=True, read_only=True)

    class Meta(ProgrammeSerializer.Meta):
        fields = [*ProgrammeSerializer.Meta.fields, "projects"]
        read_only_fields = fields


class ServiceAreaSerializer(serializers.ModelSerializer):
    api_url = APIURLField(view_name="api:servicearea-detail", help_text="This service area in the API.")
    case_study_count = serializers.IntegerField(read_only=True, help_text="Published case studies in this area.")
    case_studies_url = CaseStudiesURLField("service_area", help_text="Its published case studies in the API.")

    class Meta:
        model = ServiceArea
        fields = ["slug", "name", "api_url", "description", "case_study_count", "case_studies_url"]
        read_only_fields = fields


# --- Facets and summaries (documented shapes of computed answers) ---------------------------


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The parameter value to filter by.")
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Matching case studies with this value, other filters applied.")


class CaseStudyFacetsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Case studies matching every filter.")
    model = FacetValueSerializer(many=True)
    council_type = FacetValueSerializer(many=True)
    region = FacetValueSerializer(many=True)
    service_area = FacetValueSerializer(many=True)
    stage = FacetValueSerializer(many=True)


class SummaryTotalSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FigureKind.choices)
    status = serializers.ChoiceField(
        choices=FigureStatus.choices, allow_blank=True, help_text="Empty for kinds without a status (costs, …)."
    )
    figure_count = serializers.IntegerField(help_text="Figures of this kind and status (each once).")
    summed_count = serializers.IntegerField(help_text="Of those, the figures added into the sums.")
    sum_annualised_low = serializers.IntegerField(help_text="Sum of per-year lows, whole pounds a year.")
    sum_annualised_high = serializers.IntegerField(help_text="Sum of per-year highs, whole pounds a year.")
    part_of_counted_figure = serializers.IntegerField(help_text="Left out: part of another counted figure.")
    no_per_year_value = serializers.IntegerField(help_text="Counted but not summed: no per-year value.")


class SummaryGroupSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="The group's value (a year as a string; null: none).")
    label = serializers.CharField()
    figure_count = serializers.IntegerField(help_text="Figures in this group (each once).")
    totals = SummaryTotalSerializer(many=True, help_text="One row per kind and status present; never added up.")


class SummaryCountsSerializer(serializers.Serializer):
    figures = serializers.IntegerField(help_text="Figures matching the filters, each once.")
    summed = serializers.IntegerField(help_text="Of those, the figures added into some sum.")


class SummaryExcludedSerializer(serializers.Serializer):
    part_of_counted_figure = serializers.IntegerField(help_text="Part of another counted figure (part_of).")
    no_per_year_value = serializers.IntegerField(help_text="Percentages, one-off, first-year or unstated periods.")


class FigureSummarySerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=SUMMARY_GROUPS)
    basis = serializers.CharField(default=SUMMARY_BASIS, help_text="What the sums are and what they leave out.")
    counts = SummaryCountsSerializer()
    excluded = SummaryExcludedSerializer(help_text="Matching figures left out of every sum, by reason.")
    groups = SummaryGroupSerializer(many=True)
    total = SummaryGroupSerializer(help_text="All matching figures, each counted once (key null).")


class FigureSummaryQuerySerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(
        choices=SUMMARY_GROUPS,
        help_text="model, council_type, region, start_year or kind.",
    )


class CaseStudyRefSerializer(serializers.ModelSerializer):
    """A case study, by reference."""

    url = WebPageURLField(help_text="The case study's page on this site.")
    api_url = APIURLField(view_name="api:casestudy-detail", help_text="The case study in the API.")

    class Meta:
        model = CaseStudy
        fields = ["slug", "title", "url", "api_url"]
        read_only_fields = fields


class SimilarityReasonSerializer(serializers.Serializer):
    """One way a council is like the one asked about."""

    kind = serializers.ChoiceField(
        choices=list(SIMILARITY_WEIGHTS),
        read_only=True,
        help_text="lineage (a predecessor or successor through reorganisation), council_type, population "
        "(within the factor population_factor), region, distance (within nearby_km).",
    )
    points = serializers.SerializerMethodField(help_text="What the reason adds to the score.")
    text = serializers.CharField(read_only=True, help_text='In words, e.g. "population 64k vs 90k".')

    @extend_schema_field(OpenApiTypes.INT)
    def get_points(self, reason: Reason) -> int:
        return SIMILARITY_WEIGHTS[reason.kind]


class SimilarCaseStudySerializer(serializers.Serializer):
    """A published case study of a council like the one asked about, and why."""

    case_study = CaseStudyRefSerializer(read_only=True)
    council = CouncilRefSerializer(
        source="similar.council", read_only=True, help_text="Its council most like the one asked about."
    )
    score = serializers.IntegerField(read_only=True, help_text="The points of its reasons; higher is more alike.")
    distance_km = serializers.SerializerMethodField(
        help_text="Between the two councils' centres, to 0.1 km; null when either has no coordinates."
    )
    reasons = SimilarityReasonSerializer(source="similar.reasons", many=True, read_only=True)
    why = serializers.CharField(
        source="similar.why", read_only=True, help_text='The reasons in words: "also a district council, 40 km away".'
    )

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_distance_km(self, ranked: RankedCaseStudy) -> float | None:
        km = ranked.similar.distance_km
        return round(km, 1) if km is not None else None


class SimilarCaseStudiesSerializer(serializers.Serializer):
    """'Councils like mine': case studies from the councils most like this one, the most alike first."""

    council = CouncilRefSerializer(read_only=True, help_text="The council asked about.")
    population_factor = serializers.IntegerField(
        read_only=True, help_text="A similar population is at most this many times, and at least 1/this, of its own."
    )
    nearby_km = serializers.IntegerField(read_only=True, help_text="Distance up to which nearness is a reason.")
    results = SimilarCaseStudySerializer(many=True, read_only=True)
