"""The one FilterSet per resource, shared by the web pages and the API.

A parameter means the same thing in both faces; only how errors are shown differs
(a form error on the page, a 400 in the API).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.http import QueryDict
from django_filters import rest_framework as filters

from config.library_cache import cached
from councils.models import Council, CouncilType, Partnership, Region
from transform_models.models import TransformationModel

from .models import (
    YEAR_MAX,
    YEAR_MIN,
    CaseStudy,
    CaseStudyCouncil,
    CaseStudyModel,
    CaseStudyQuerySet,
    Figure,
    FigureKind,
    Programme,
    ServiceArea,
)

MAX_SEARCH_LENGTH = 200
# Filters on a case study's links, applied together (CaseStudyFilter.filter_links).
LINKED_FILTERS = ("model", "council_type", "region", "service_area")
MAX_ALLOWED_SHOWN = 50


class SlugChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by slug whose error names the values that are allowed."""

    def clean(self, value: Any) -> Any:
        # No value: an empty list rather than ``queryset.none()``, which the filter methods'
        # ``if value`` would compile into SQL once per parameter on every request.
        if not self.required and not value:
            return []
        return super().clean(value)

    def _check_values(self, value: Any) -> QuerySet:
        try:
            return super()._check_values(value)
        except forms.ValidationError as error:
            if error.code != "invalid_choice":
                raise
            # Name the allowed values, but not all 100,000 case-study slugs of a large library.
            values = list(
                self.queryset.order_by(self.to_field_name).values_list(self.to_field_name, flat=True)[
                    : MAX_ALLOWED_SHOWN + 1
                ]
            )
            allowed = ", ".join(values[:MAX_ALLOWED_SHOWN]) + (", …" if len(values) > MAX_ALLOWED_SHOWN else "")
            raise forms.ValidationError(
                "%(value)s is not a known value. Allowed values: %(allowed)s.",
                code="invalid_choice",
                params={"value": error.params["value"], "allowed": allowed},
            ) from error


class SlugChoiceFilter(filters.ModelMultipleChoiceFilter):
    field_class = SlugChoiceField

    def get_filter_predicate(self, v: Any) -> dict[str, Any]:
        # Filter on the row itself: django-filter would compare the foreign key with the slug.
        return {self.field_name: v}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class ChoiceListField(forms.MultipleChoiceField):
    """A multiple choice whose error lists the allowed values."""

    def validate(self, value: Any) -> None:
        try:
            super().validate(value)
        except forms.ValidationError as error:
            if error.code != "invalid_choice":
                raise
            allowed = ", ".join(str(key) for key, _label in self.choices)
            raise forms.ValidationError(
                "%(value)s is not a known value. Allowed values: %(allowed)s.",
                code="invalid_choice",
                params={"value": error.params["value"], "allowed": allowed},
            ) from error


class ChoiceListFilter(filters.MultipleChoiceFilter):
    field_class = ChoiceListField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(*args, **kwargs)


class WholeNumberFilter(filters.NumberFilter):
    """A whole number (e.g. pounds): '0.5' is a 400, as the API schema says."""

    field_class = forms.IntegerField


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is an error rather than silently ignored."""

    widget = forms.TextInput
    default_error_messages = {"invalid": "Enter true or false."}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)  # not BooleanWidget, which maps junk to "no filter"
        super().__init__(*args, **kwargs)


class NullsLastOrderingFilter(filters.OrderingFilter):
    """Ordering where rows without a value (e.g. no saving figure) always come last."""

    def get_ordering_value(self, param: str) -> Any:
        descending = param.startswith("-")
        field = self.param_map[param[1:] if descending else param]
        expression = F(field)
        return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        if value in ([], (), {}, "", None):
            return qs
        return qs.order_by(*[self.get_ordering_value(param) for param in value], "pk")


class LightlyCopiedFields(dict):
    """A filter form's ``base_fields``, which every form instance deep-copies (``BaseForm.__init__``).

    Each instance still gets field and widget objects of its own, so what a form sets on them
    (``field.label``, ``widget.attrs``, a new queryset) stays its own; the choice lists and error
    messages, which nothing changes per request, are shared rather than copied element by element.
    A queryset is cloned, so that no result cache is ever shared between requests.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {name: _light_copy(field) for name, field in self.items()}


def _light_copy(field: forms.Field) -> forms.Field:
    if isinstance(field, forms.MultiValueField) or isinstance(field.widget, forms.MultiWidget):
        return copy.deepcopy(field)  # fields and widgets inside, which a shallow copy would share
    copied = copy.copy(field)
    copied.widget = copy.copy(field.widget)
    copied.widget.attrs = dict(field.widget.attrs)
    copied.validators = list(field.validators)
    if isinstance(field, forms.ModelChoiceField):
        copied.queryset = field.queryset.all()  # a clone; also points the widget's choices at the copy
    return copied


class LibraryFilterSet(filters.FilterSet):
    """A FilterSet that does less per request than django-filter's; our filters do not change
    with the request, so

    * each instance takes a shallow copy of each declared filter (it sets ``parent`` and ``model``
      on it), not a deep copy of every filter's querysets and choices;
    * the form class is built once per FilterSet class, not for every instance;
    * each form instance copies its fields lightly (``LightlyCopiedFields``), not deeply.

    Together with ``SlugChoiceField.clean``, about 6 ms less of a 35 ms API page
    (docs/performance.md).
    """

    def __init__(
        self,
        data: QueryDict | Mapping[str, Any] | None = None,
        queryset: QuerySet | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        # django-filter 26's BaseFilterSet.__init__, with copy.copy for copy.deepcopy.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(declared) for name, declared in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                filter_.method = filter_.method  # rebinds its FilterMethod to this copy

    def get_form_class(self) -> type[forms.Form]:
        cls = type(self)
        form_class = cls.__dict__.get("_shared_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = LightlyCopiedFields(form_class.base_fields)
            cls._shared_form_class = form_class
        return form_class


def _links(model: type, **lookups: Any) -> Exists:
    return Exists(model.objects.filter(case_study=OuterRef("pk"), **lookups))


class CaseStudyFilter(LibraryFilterSet):
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
    year_from = YearFilter(
        field_name="start_year", lookup_expr="gte", label="Started in or after", help_text="A year, e.g. 2010."
    )
    year_to = YearFilter(
        field_name="start_year", lookup_expr="lte", label="Started in or before", help_text="A year, e.g. 2016."
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
        field_name="headline_annual_saving",
        lookup_expr="gte",
        min_value=0,
        max_value=10**13,
        label="Minimum annual saving (£)",
        help_text="Whole pounds per year: the case's largest annualised saving figure is at least this.",
    )
    ordering = NullsLastOrderingFilter(
        fields=(("title", "title"), ("start_year", "year"), ("headline_annual_saving", "annual_saving")),
        field_labels={"title": "Title", "start_year": "Year", "headline_annual_saving": "Annual saving"},
        label="Sort by",
        help_text="title, year or annual_saving; prefix with - for descending.",
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
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("q") and not self.form.cleaned_data.get("ordering"):
            if "search_rank" in queryset.query.annotations:
                return queryset.order_by("-search_rank", "title", "pk")
        return queryset


FACETS = ("model", "council_type", "region", "service_area", "stage")


def case_study_facets(data: Mapping[str, Any] | QueryDict, queryset: QuerySet) -> dict[str, dict[str, int]]:
    """Count case studies per value of each facet, with every *other* filter applied.

    One query per facet, cached until the library changes (config/library_cache.py) per filter
    values (their order and repeats do not matter) and base queryset. ``data`` must already be
    valid for :class:`CaseStudyFilter`.
    """
    sql, params = queryset.order_by().query.sql_with_params()
    parts = (_normalised_filters(data), sql, params)
    return cached("facets", parts, lambda: _count_facets(data, queryset))


def _normalised_filters(data: Mapping[str, Any] | QueryDict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The filter parameters of ``data`` as sorted (name, sorted distinct values) pairs."""
    names = set(CaseStudyFilter.base_filters) - {"ordering"}
    pairs = []
    for name in sorted(names & set(data)):
        values = data.getlist(name) if isinstance(data, QueryDict) else data[name]
        if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple, set)):
            values = [values]
        pairs.append((name, tuple(sorted({str(value) for value in values}))))
    return tuple(pairs)


def _count_facets(data: Mapping[str, Any] | QueryDict, queryset: QuerySet) -> dict[str, dict[str, int]]:
    """The facet counts themselves: one query per facet."""

    def matching(excluding: str) -> QuerySet:
        params = data.copy() if hasattr(data, "copy") else dict(data)
        params.pop(excluding, None)
        params.pop("ordering", None)
        return CaseStudyFilter(params, queryset=queryset).qs.order_by().values("pk")

    def counted(rows: QuerySet, key: str) -> dict[str, int]:
        return {
            row[key]: row["n"] for row in rows.values(key).annotate(n=Count("case_study", distinct=True)).order_by(key)
        }

    through = CaseStudy.service_areas.through
    service_area_rows = (
        through.objects.filter(casestudy__in=matching("service_area"))
        .values("servicearea__slug")
        .annotate(n=Count("casestudy", distinct=True))
        .order_by("servicearea__slug")
    )
    stage_rows = (
        CaseStudy.objects.filter(pk__in=matching("stage")).values("stage").annotate(n=Count("pk")).order_by("stage")
    )
    return {
        "model": counted(CaseStudyModel.objects.filter(case_study__in=matching("model")), "model__slug"),
        "council_type": counted(
            CaseStudyCouncil.objects.filter(case_study__in=matching("council_type")), "council__council_type"
        ),
        "region": counted(CaseStudyCouncil.objects.filter(case_study__in=matching("region")), "council__region"),
        "service_area": {row["servicearea__slug"]: row["n"] for row in service_area_rows},
        "stage": {row["stage"]: row["n"] for row in stage_rows},
    }


class CouncilFilter(LibraryFilterSet):
    """Filters for the council list (web and API)."""

    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name", max_length=MAX_SEARCH_LENGTH)
    council_type = ChoiceListFilter(choices=CouncilType.choices, field_name="council_type", label="Council type")
    region = ChoiceListFilter(choices=Region.choices, field_name="region", label="Region")
    abolished = StrictBooleanFilter(
        field_name="abolished_on", lookup_expr="isnull", exclude=True, label="Abolished since"
    )

    class Meta:
        model = Council
        fields: list[str] = []


class FigureFilter(LibraryFilterSet):
    """Filters for figures; case-study parameters mean what they mean for case studies."""

    case_study = SlugChoiceFilter(queryset=CaseStudy.objects.published(), field_name="case_study", label="Case study")
    model = SlugChoiceFilter(
        queryset=TransformationModel.objects.all(), method="filter_case_study_links", label="Transformation model"
    )
    council_type = ChoiceListFilter(choices=CouncilType.choices, method="filter_case_study_links", label="Council type")
    region = ChoiceListFilter(choices=Region.choices, method="filter_case_study_links", label="Region")
    kind = ChoiceListFilter(choices=FigureKind.choices, field_name="kind", label="Kind")
    status = ChoiceListFilter(choices=Figure.Status.choices, field_name="status", label="Status")
    measure = ChoiceListFilter(choices=Figure.Measure.choices, field_name="measure", label="Measure")
    period = ChoiceListFilter(choices=Figure.Period.choices, field_name="period", label="Period")
    min_annualised = WholeNumberFilter(
        field_name="annualised_high", lookup_expr="gte", min_value=0, max_value=10**13, label="Minimum per year (£)"
    )

    class Meta:
        model = Figure
        fields: list[str] = []

    def filter_case_study_links(self, qs: QuerySet, name: str, value: list) -> QuerySet:
        if not value:
            return qs
        if name == "model":
            links = CaseStudyModel.objects.filter(case_study=OuterRef("case_study"), model__in=value)
        else:
            links = CaseStudyCouncil.objects.filter(
                case_study=OuterRef("case_study"), **{f"council__{name}__in": value}
            )
        return qs.filter(Exists(links))
