"""The one FilterSet per resource, shared by the web pages and the API.

A parameter means the same thing in both faces; only how errors are shown differs
(a form error on the page, a 400 in the API).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import QueryDict
from django_filters import rest_framework as filters

from api.filters import (
    MAX_SEARCH_LENGTH,
    ChoiceListFilter,
    FixedFiltersFilterSet,
    NullsLastOrderingFilter,
    SlugChoiceFilter,
    StrictBooleanFilter,
    WholeNumberFilter,
)
from api.library_cache import cached, cached_count
from councils.models import Council, CouncilType, Partnership, Region
from transform_models.models import TransformationModel

from . import derived
from .models import (
    YEAR_MAX,
    YEAR_MIN,
    CaseStudy,
    CaseStudyCouncil,
    CaseStudyFacetTotal,
    CaseStudyLinkKeys,
    CaseStudyModel,
    CaseStudyQuerySet,
    Figure,
    FigureKind,
    Programme,
    ServiceArea,
)

# Sorts by a saving, and the value a case is sorted by (without one it comes last). They need the
# achieved and expected amounts (CaseStudyQuerySet.with_saving_amounts; the headline sorts by both).
SAVING_SORTS = {
    "annual_saving": "headline_annual_saving",
    "achieved_saving": "achieved_annual_saving",
    "expected_saving": "expected_annual_saving",
}
# Filters on a case study's links, applied together (CaseStudyFilter.filter_links).
LINKED_FILTERS = ("model", "council_type", "region", "service_area")


def _links(model: type, **lookups: Any) -> Exists:
    return Exists(model.objects.filter(case_study=OuterRef("pk"), **lookups))


class CaseStudyFilter(FixedFiltersFilterSet):
    """Filters for case studies. OR within one parameter, AND across parameters."""

    q = filters.CharFilter(
        method="filter_q",
        label="Search",
        max_length=MAX_SEARCH_LENGTH,
        help_text="Words to find in the title, summary, body, council names and contact names.",
    )
    model = SlugChoiceFilter(
        queryset=TransformationModel.objects.all(),
        method="filter_links",
        label="Transformation model",
        help_text="Slug of a transformation model; repeat for several (OR).",
    )
    council_type = ChoiceListFilter(
        choices=CouncilType.choices,
        method="filter_links",
        label="Council type",
        help_text="Type of any council taking part; repeat for several (OR).",
    )
    region = ChoiceListFilter(
        choices=Region.choices,
        method="filter_links",
        label="Region",
        help_text="Region of any council taking part; repeat for several (OR).",
    )
    service_area = SlugChoiceFilter(
        queryset=ServiceArea.objects.all(),
        method="filter_links",
        label="Service area",
        help_text="Slug of a service area; repeat for several (OR).",
    )
    council = SlugChoiceFilter(
        queryset=Council.objects.all(),
        method="filter_council",
        label="Council",
        help_text="Slug of a council taking part; repeat for several (OR).",
    )
    partnership = SlugChoiceFilter(queryset=Partnership.objects.all(), field_name="partnership", label="Partnership")
    programme = SlugChoiceFilter(queryset=Programme.objects.all(), field_name="programme", label="Programme")
    stage = ChoiceListFilter(choices=CaseStudy.Stage.choices, label="Stage")
    year_from = WholeNumberFilter(
        field_name="start_year",
        lookup_expr="gte",
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        label="Started in or after",
        help_text="A year, e.g. 2010.",
    )
    year_to = WholeNumberFilter(
        field_name="start_year",
        lookup_expr="lte",
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        label="Started in or before",
        help_text="A year, e.g. 2016.",
    )
    has_figures = StrictBooleanFilter(
        method="filter_has_figures", label="Has financial figures", help_text="true or false."
    )
    figure_kind = ChoiceListFilter(
        choices=FigureKind.choices,
        method="filter_figures",
        label="Figure kind",
        help_text="Has a figure of this kind (saving, income, …); repeat for several (OR).",
    )
    figure_status = ChoiceListFilter(
        choices=Figure.Status.choices,
        method="filter_figures",
        label="Figure status",
        help_text="Has a figure that was achieved or only expected.",
    )
    min_annual_saving = WholeNumberFilter(
        method="filter_min_annual_saving",
        min_value=0,
        max_value=10**13,
        label="Minimum annual saving (£)",
        help_text="Whole pounds per year: the case's headline annual saving (its largest achieved saving, "
        "else its largest expected one) is at least this.",
    )
    ordering = NullsLastOrderingFilter(
        fields=(
            ("title", "title"),
            ("start_year", "year"),
            *((value, sort) for sort, value in SAVING_SORTS.items()),
        ),
        field_labels={
            "title": "Title",
            "start_year": "Year",
            "headline_annual_saving": "Annual saving (achieved first, then expected)",
            "achieved_annual_saving": "Achieved saving per year",
            "expected_annual_saving": "Expected saving per year",
        },
        # The headline order: every case with an achieved saving before any with only an expected one.
        expand={"headline_annual_saving": ("achieved_annual_saving", "expected_annual_saving")},
        label="Sort by",
        help_text="title, year, annual_saving (achieved savings first, then expected ones), achieved_saving or "
        "expected_saving; prefix with - for descending. Cases without such a saving come last.",
    )

    class Meta:
        model = CaseStudy
        fields: list[str] = []

    def filter_q(self, qs: CaseStudyQuerySet, name: str, value: str) -> QuerySet:
        return qs.search(value)

    def filter_links(self, qs: CaseStudyQuerySet, name: str, value: list) -> QuerySet:
        """model, council_type, region and service_area are applied together, in one condition
        (``CaseStudyQuerySet.with_links``): on PostgreSQL one lookup answers them all."""
        given = {linked: self.form.cleaned_data.get(linked) for linked in LINKED_FILTERS}
        if name != next(linked for linked in LINKED_FILTERS if given[linked]):
            return qs  # applied with the first of them
        return qs.with_links(
            models=given["model"] or (),
            council_types=given["council_type"] or (),
            regions=given["region"] or (),
            service_areas=given["service_area"] or (),
        )

    def filter_council(self, qs: QuerySet, name: str, value: list) -> QuerySet:
        return qs.filter(_links(CaseStudyCouncil, council__in=value)) if value else qs

    def filter_min_annual_saving(self, qs: CaseStudyQuerySet, name: str, value: int | None) -> QuerySet:
        return qs if value is None else qs.with_headline_saving_at_least(value)

    def filter_has_figures(self, qs: CaseStudyQuerySet, name: str, value: bool | None) -> QuerySet:
        return qs if value is None else qs.with_figures(value)

    def filter_figures(self, qs: QuerySet, name: str, value: list[str]) -> QuerySet:
        """figure_kind and figure_status describe the same figure: 'an achieved saving'."""
        if name == "figure_status" and self.form.cleaned_data.get("figure_kind"):
            return qs  # applied together with figure_kind
        lookups: dict[str, Any] = {}
        if kinds := self.form.cleaned_data.get("figure_kind"):
            lookups["kind__in"] = kinds
        if statuses := self.form.cleaned_data.get("figure_status"):
            lookups["status__in"] = statuses
        return qs.filter(_links(Figure, **lookups)) if lookups else qs

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if any(param.removeprefix("-") in SAVING_SORTS for param in self.form.cleaned_data.get("ordering") or ()):
            queryset = queryset.with_saving_amounts()
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("q") and not self.form.cleaned_data.get("ordering"):
            if "search_rank" in queryset.query.annotations:
                return queryset.order_by("-search_rank", "title", "pk")
        return queryset


FACETS = ("model", "council_type", "region", "service_area", "stage")


def known_published_total(filterset: CaseStudyFilter | None) -> int | None:
    """How many results a list of the published case studies that ``filterset`` selects has, where
    the database keeps what answers it without counting the case studies themselves (PostgreSQL).
    ``filterset`` is None for a request without filter parameters (``FilterSetOnViewBackend``).

    * no filter narrows it: the total the database keeps (``CaseStudyFacetTotal``);
    * only facets narrow it (model, council type, region, service area, stage): counted over the
      narrow link keys alone (the rows the linked filters select by, ``CaseStudyQuerySet.with_links``;
      they hold each case's stage and status too), without joining them to the wide case-study
      rows; cached as any count is.

    None otherwise, or where nothing is stored: the list counts its own QuerySet."""
    if not derived.stored_on(CaseStudyFacetTotal.objects.db):
        return None
    if filterset is None or not filterset.narrows():
        return CaseStudyFacetTotal.objects.published_total()
    narrowing = filterset.narrowing()
    if not narrowing or not set(narrowing) <= set(FACETS):
        return None
    return cached_count(CaseStudyLinkKeys.objects.of_published().with_any_of_each(_link_key_groups(narrowing)))


def _link_key_groups(cleaned: Mapping[str, Any], names: Iterable[str] | None = None) -> dict[str, list[Any]]:
    """The link-key values of the facet filters ``names`` (all of ``cleaned`` if None), from their
    cleaned values: ids for models and service areas (the keys hold ids), codes for the rest."""
    return {
        name: sorted(getattr(value, "pk", value) for value in cleaned.get(name) or ())
        for name in sorted(cleaned if names is None else names)
    }


def case_study_facets(data: Mapping[str, Any] | QueryDict) -> dict[str, dict[str, int]]:
    """Count published case studies per value of each facet, with every *other* filter applied.

    A facet that no other filter narrows has the library's totals as its counts: on PostgreSQL they
    are stored (``CaseStudyFacetTotal``, kept by triggers), so the unfiltered finder reads them in
    one small query. The others are counted: on PostgreSQL one grouped query over the link keys for
    each distinct set of other filters (the facets no filter of their own narrows share one), else
    one query per facet. Cached for
    ``LIBRARY_CACHE_SECONDS`` (api/library_cache.py) per filter values (their order and repeats do
    not matter). ``data`` must already be valid for :class:`CaseStudyFilter`.
    """
    return cached("facets", lambda: _normalised_filters(data), lambda: _count_facets(data))


def _normalised_filters(data: Mapping[str, Any] | QueryDict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The filters ``data`` gives a value, as sorted (name, sorted distinct values) pairs."""
    names = set(CaseStudyFilter.base_filters) - {"ordering"}
    pairs = []
    for name in sorted(names & set(data)):
        values = data.getlist(name) if isinstance(data, QueryDict) else data[name]
        if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple, set)):
            values = [values]
        given = tuple(sorted({str(value) for value in values} - {""}))
        if given:
            pairs.append((name, given))
    return tuple(pairs)


def _count_facets(data: Mapping[str, Any] | QueryDict) -> dict[str, dict[str, int]]:
    narrowed_by = {name for name, _ in _normalised_filters(data)}
    stored = derived.stored_on(CaseStudy.objects.db)  # link keys and totals
    slugs = _SlugsById()
    unnarrowed = [facet for facet in FACETS if not narrowed_by - {facet}]
    counts = _stored_totals(unnarrowed, slugs) if stored and unnarrowed else {}
    counted_together: dict[frozenset[str], list[str]] = {}
    for facet in FACETS:
        if facet in counts:
            continue
        others = frozenset(narrowed_by - {facet})
        if stored:
            counted_together.setdefault(others, []).append(facet)
        else:
            counts[facet] = _counted(facet, data)
    if counted_together:
        # Validated once: each facet leaves out only its own filter.
        form = CaseStudyFilter(data, queryset=CaseStudy.objects.none()).form
        cleaned = form.cleaned_data if form.is_valid() else {}
        # The filters that are not facets narrow every group alike: their case studies, selected once.
        rest = narrowed_by - set(FACETS)
        matching = CaseStudyFilter(_only(data, rest), queryset=CaseStudy.objects.published()).qs if rest else None
        for others, facets in counted_together.items():
            for facet, by_key in _counted_in_link_keys(facets, others, cleaned, matching).items():
                counts[facet] = slugs.keyed(facet, by_key)
    return {facet: counts[facet] for facet in FACETS}


class _SlugsById:
    """Model and service-area link keys hold ids; facets are keyed by slug. Looked up once, if needed."""

    def __init__(self) -> None:
        self.found: dict[str, dict[str, str]] = {}

    def keyed(self, facet: str, by_key: dict[str, int]) -> dict[str, int]:
        sources = {"model": TransformationModel.objects, "service_area": ServiceArea.objects}
        if facet not in sources:
            return by_key
        if facet not in self.found:
            self.found[facet] = {str(pk): slug for pk, slug in sources[facet].values_list("pk", "slug")}
        slugs = self.found[facet]
        return {slugs[key]: count for key, count in by_key.items() if key in slugs}


def _stored_totals(facets: list[str], slugs: _SlugsById) -> dict[str, dict[str, int]]:
    """The stored totals of ``facets``, keyed as the counted ones are (slugs for models and areas)."""
    totals = CaseStudyFacetTotal.objects.by_facet()
    return {facet: slugs.keyed(facet, totals.get(facet, {})) for facet in facets}


def _counted_in_link_keys(
    facets: list[str], others: frozenset[str], cleaned: Mapping[str, Any], matching: QuerySet | None
) -> dict[str, dict[str, int]]:
    """The counts of ``facets`` that are narrowed by the same ``others`` filters: one grouped query
    over the link keys (each holds a case's links, stage and status). The facet filters among
    ``others`` narrow the keys through their GIN index; the rest (a search, years, figures, a
    council…) narrow them to ``matching``, the case studies their FilterSet selects, a subquery of
    the same statement, so a search is run once for all the facets rather than once per facet.
    ``cleaned``: the filters' cleaned values."""
    keys = CaseStudyLinkKeys.objects.of_published().with_any_of_each(_link_key_groups(cleaned, others & set(FACETS)))
    if matching is not None:
        keys = keys.filter(case_study__in=matching.order_by().values("pk"))
    return keys.count_keys(facets)


def _only(data: Mapping[str, Any] | QueryDict, names: Iterable[str]) -> Mapping[str, Any] | QueryDict:
    """The parameters ``names`` of ``data``, all their values."""
    if isinstance(data, QueryDict):
        kept = QueryDict(mutable=True)
        for name in names:
            kept.setlist(name, data.getlist(name))
        return kept
    return {name: data[name] for name in names if name in data}


def _counted(facet: str, data: Mapping[str, Any] | QueryDict) -> dict[str, int]:
    """One facet's counts, with every other filter of ``data`` applied: one query over the links."""
    params = data.copy() if hasattr(data, "copy") else dict(data)
    params.pop(facet, None)
    params.pop("ordering", None)
    matching = CaseStudyFilter(params, queryset=CaseStudy.objects.published()).qs.order_by().values("pk")
    if facet == "stage":
        rows = CaseStudy.objects.filter(pk__in=matching).values("stage").annotate(n=Count("pk"))
        return {row["stage"]: row["n"] for row in rows.order_by("stage")}
    if facet == "service_area":
        through = CaseStudy.service_areas.through
        rows = through.objects.filter(casestudy__in=matching).values(key=F("servicearea__slug"))
        rows = rows.annotate(n=Count("casestudy", distinct=True))
    else:
        links = CaseStudyModel if facet == "model" else CaseStudyCouncil
        key = {"model": "model__slug", "council_type": "council__council_type", "region": "council__region"}[facet]
        rows = links.objects.filter(case_study__in=matching).values(key=F(key))
        rows = rows.annotate(n=Count("case_study", distinct=True))
    return {row["key"]: row["n"] for row in rows.order_by("key")}


class FigureFilter(FixedFiltersFilterSet):
    """Filters for figures (the API's figure list). The case study's parameters (``model``,
    ``council_type``, ``region``, ``service_area``) mean what they mean for case studies."""

    case_study = SlugChoiceFilter(
        queryset=CaseStudy.objects.published(),
        field_name="case_study",
        label="Case study",
        help_text="Slug of a published case study; repeat for several (OR).",
    )
    council = SlugChoiceFilter(
        queryset=Council.objects.all(),
        method="filter_council",
        label="Council",
        help_text=(
            "Slug of a council; repeat for several (OR). A figure belongs to the councils it applies to, "
            "or, if it names none, to every council taking part in its case study."
        ),
    )
    model = SlugChoiceFilter(
        queryset=TransformationModel.objects.all(),
        method="filter_case_study_links",
        label="Transformation model",
        help_text="Slug of a transformation model of the figure's case study; repeat for several (OR).",
    )
    council_type = ChoiceListFilter(
        choices=CouncilType.choices,
        method="filter_case_study_links",
        label="Council type",
        help_text="Type of any council taking part in the figure's case study; repeat for several (OR).",
    )
    region = ChoiceListFilter(
        choices=Region.choices,
        method="filter_case_study_links",
        label="Region",
        help_text="Region of any council taking part in the figure's case study; repeat for several (OR).",
    )
    service_area = SlugChoiceFilter(
        queryset=ServiceArea.objects.all(),
        method="filter_case_study_links",
        label="Service area",
        help_text="Slug of a service area of the figure's case study; repeat for several (OR).",
    )
    kind = ChoiceListFilter(choices=FigureKind.choices, field_name="kind", label="Kind")
    status = ChoiceListFilter(choices=Figure.Status.choices, field_name="status", label="Status")
    measure = ChoiceListFilter(choices=Figure.Measure.choices, field_name="measure", label="Measure")
    period = ChoiceListFilter(choices=Figure.Period.choices, field_name="period", label="Period")
    min_annual = WholeNumberFilter(
        field_name="annualised_high",
        lookup_expr="gte",
        min_value=0,
        max_value=10**13,
        label="Minimum per year (£)",
        help_text="Whole pounds: the figure's per-year value (annualised_high) is at least this.",
    )
    max_annual = WholeNumberFilter(
        field_name="annualised_high",
        lookup_expr="lte",
        min_value=0,
        max_value=10**13,
        label="Maximum per year (£)",
        help_text="Whole pounds: the figure's per-year value (annualised_high) is at most this.",
    )
    # The first name of min_annual, kept: /v1/ never removes a parameter (docs/api.md).
    min_annualised = WholeNumberFilter(
        field_name="annualised_high",
        lookup_expr="gte",
        min_value=0,
        max_value=10**13,
        label="Minimum per year (£)",
        help_text="The same as min_annual.",
    )
    ordering = NullsLastOrderingFilter(
        fields=(
            ("annualised_high", "annual"),
            ("case_study__title", "case_study"),
            ("case_study__start_year", "year"),
            ("kind", "kind"),
            ("status", "status"),
        ),
        label="Sort by",
        help_text="annual, case_study, year, kind or status; prefix with - for descending.",
    )
    recurrence = ChoiceListFilter(
        choices=Figure.Recurrence.choices,
        field_name="recurrence",
        label="Recurrence",
        help_text="recurring, first_year, one_off, or empty for not stated; repeat for several (OR).",
    )
    evidence = ChoiceListFilter(
        choices=Figure.Evidence.choices,
        field_name="evidence",
        label="Evidence",
        help_text="Where the figure comes from: council_statement, audited_accounts, independent_evaluation, "
        "survey, or empty for not stated; repeat for several (OR).",
    )

    class Meta:
        model = Figure
        fields: list[str] = []

    def filter_council(self, qs: QuerySet, name: str, value: list) -> QuerySet:
        if not value:
            return qs
        taking_part = CaseStudyCouncil.objects.filter(case_study=OuterRef("case_study"), council__in=value)
        applies_to = Figure.applies_to.through.objects.filter(figure=OuterRef("pk"))
        named = applies_to.filter(council__in=value)
        return qs.filter(Q(Exists(named)) | (Q(Exists(taking_part)) & ~Q(Exists(applies_to))))

    def filter_case_study_links(self, qs: QuerySet, name: str, value: list) -> QuerySet:
        if not value:
            return qs
        if name == "model":
            links = CaseStudyModel.objects.filter(case_study=OuterRef("case_study"), model__in=value)
        elif name == "service_area":
            links = CaseStudy.service_areas.through.objects.filter(
                casestudy=OuterRef("case_study"), servicearea__in=value
            )
        else:
            links = CaseStudyCouncil.objects.filter(
                case_study=OuterRef("case_study"), **{f"council__{name}__in": value}
            )
        return qs.filter(Exists(links))


class ProgrammeFilter(FixedFiltersFilterSet):
    """Filters for the programme list (web and API)."""

    q = filters.CharFilter(
        field_name="name",
        lookup_expr="icontains",
        label="Name",
        max_length=MAX_SEARCH_LENGTH,
        help_text="Words in the programme's name.",
    )

    class Meta:
        model = Programme
        fields: list[str] = []
