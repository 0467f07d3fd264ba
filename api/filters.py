"""django-filter extensions shared by every app's FilterSets: strict fields whose errors name the
values that are allowed, so that the web form and the API's 400 say what to do next; the FilterSets'
base (:class:`FixedFiltersFilterSet`: one form class per FilterSet class, and whether a request's
filters narrow the list); and the API's filter backend, which keeps its FilterSet on the view."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import EMPTY_VALUES
from django.db.models import F, QuerySet
from django_filters import rest_framework as filters

MAX_SEARCH_LENGTH = 200
MAX_ALLOWED_SHOWN = 50


class SlugChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by slug whose error names the values that are allowed."""

    def clean(self, value: Any) -> Any:
        # An empty value (``council=``, a form's "Any council") means no filter, as for the other
        # fields. No value: an empty list rather than ``queryset.none()``, which the filter
        # methods' ``if value`` would compile into SQL once per parameter on every request.
        if isinstance(value, (list, tuple)):
            value = [item for item in value if item != ""]
        if not self.required and not value:
            return []
        try:
            return super().clean(value)
        except forms.ValidationError as error:
            if error.code != "invalid_choice":
                raise
            raise forms.ValidationError(
                "%(value)s is not a known value. Allowed values: %(allowed)s.",
                code="invalid_choice",
                params={"value": error.params["value"], "allowed": self.allowed_values()},
            ) from error

    def allowed_values(self) -> str:
        """The allowed slugs, but not all 100,000 case-study slugs of a large library."""
        values = list(
            self.queryset.order_by(self.to_field_name).values_list(self.to_field_name, flat=True)[
                : MAX_ALLOWED_SHOWN + 1
            ]
        )
        return ", ".join(values[:MAX_ALLOWED_SHOWN]) + (", …" if len(values) > MAX_ALLOWED_SHOWN else "")


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


class WholeNumberFilter(filters.NumberFilter):
    """A whole number (e.g. pounds): '0.5' is a 400, as the API schema says."""

    field_class = forms.IntegerField


# What a true/false parameter accepts, exactly (the API schema lists the same, and empty: no filter).
BOOLEAN_VALUES = {"true": True, "false": False, "1": True, "0": False}


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is an error rather than silently ignored."""

    widget = forms.TextInput
    default_error_messages = {"invalid": "Enter true or false."}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        try:
            return BOOLEAN_VALUES[value]
        except (KeyError, TypeError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)  # not BooleanWidget, which maps junk to "no filter"
        super().__init__(*args, **kwargs)


class NullsLastOrderingFilter(filters.OrderingFilter):
    """Ordering where rows without a value (e.g. no saving figure) always come last.

    ``expand`` maps a field to the fields it sorts by, in turn (``{"headline": ("achieved",
    "expected")}``: every row with an achieved value first, then the others by their expected one).
    """

    def __init__(self, *args: Any, expand: dict[str, tuple[str, ...]] | None = None, **kwargs: Any) -> None:
        self.expand = expand or {}
        super().__init__(*args, **kwargs)

    def get_ordering_value(self, param: str) -> Any:
        descending = param.startswith("-")
        field = self.param_map[param[1:] if descending else param]
        expression = F(field)
        return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        if value in ([], (), {}, "", None):
            return qs
        return qs.order_by(*[part for param in value for part in self._ordering(param)], "pk")

    def _ordering(self, param: str) -> list[Any]:
        descending = param.startswith("-")
        field = self.param_map[param[1:] if descending else param]
        fields = self.expand.get(field, (field,))
        return [F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True) for name in fields]


class FixedFiltersFilterSet(filters.FilterSet):
    """A FilterSet whose filters are the same for every instance (declared on the class, never
    changed per request), so that its form class is built once per FilterSet class.

    django-filter's ``get_form_class()`` (its documented hook for customising the form class) builds
    a new form class, with a new form field per filter, for every FilterSet instance: on a list page
    that was the largest cost of an unfiltered request's filtering. Each form instance still deep-copies
    the class's fields (Django's ``BaseForm``), so no request's values or errors reach another."""

    def get_form_class(self) -> type[forms.Form]:
        form_class = FORM_CLASSES.get(type(self))
        if form_class is None:
            form_class = FORM_CLASSES[type(self)] = super().get_form_class()
        return form_class

    def narrows(self) -> bool:
        """Whether any filter narrows the results: one whose cleaned value is not empty (django-filter
        skips a filter whose value is in ``EMPTY_VALUES``). Ordering sorts, it does not narrow; an
        invalid form is treated as narrowing (its list answers a 400 anyway)."""
        if not self.is_bound:
            return False
        if not self.is_valid():
            return True
        return bool(self.narrowing())

    def narrowing(self) -> dict[str, Any]:
        """The cleaned values of the filters that narrow the results (see :meth:`narrows`), by name;
        empty for an unbound or invalid form."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value not in EMPTY_VALUES and not isinstance(self.filters[name], filters.OrderingFilter)
        }


FORM_CLASSES: dict[type[FixedFiltersFilterSet], type[forms.Form]] = {}


class FilterSetOnViewBackend(filters.DjangoFilterBackend):
    """django-filter's DRF backend, keeping the FilterSet it used on the view (``view.filterset``,
    as django-filter's own ``FilterView`` does), so that the view can ask it what it did
    (:meth:`FixedFiltersFilterSet.narrows`).

    A request that gives none of the FilterSet's parameters (a page of the whole list, the
    harvesters' cursor pages) has nothing to filter or validate: its queryset is the list, and
    ``view.filterset`` is None. Building a FilterSet copies every filter and form field, a large
    part of such a request's time; with no parameter each of them would leave the queryset as it is."""

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not set(request.query_params) & set(filterset_class.base_filters):
            view.filterset = None
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset(self, request: Any, queryset: QuerySet, view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        view.filterset = filterset
        return filterset
