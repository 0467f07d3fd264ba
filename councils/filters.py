"""The council list's FilterSet, shared by the web page and the API."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from api.filters import (
    MAX_SEARCH_LENGTH,
    ChoiceListFilter,
    FixedFiltersFilterSet,
    SlugChoiceFilter,
    StrictBooleanFilter,
)

from .models import Council, CouncilType, Partnership, Region


class CouncilFilter(FixedFiltersFilterSet):
    """Filters for the council list (web and API)."""

    q = filters.CharFilter(method="filter_q", label="Name or GSS code", max_length=MAX_SEARCH_LENGTH)
    council_type = ChoiceListFilter(choices=CouncilType.choices, field_name="council_type", label="Council type")
    region = ChoiceListFilter(choices=Region.choices, field_name="region", label="Region")
    abolished = StrictBooleanFilter(
        field_name="abolished_on", lookup_expr="isnull", exclude=True, label="Abolished since"
    )
    in_documents = StrictBooleanFilter(field_name="in_documents", label="Named in the source documents")

    class Meta:
        model = Council
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)


class PartnershipFilter(FixedFiltersFilterSet):
    """Filters for the partnership list (web and API)."""

    q = filters.CharFilter(
        field_name="name",
        lookup_expr="icontains",
        label="Name",
        max_length=MAX_SEARCH_LENGTH,
        help_text="Words in the partnership's name.",
    )
    council = SlugChoiceFilter(
        queryset=Council.objects.all(),
        field_name="members",
        distinct=True,
        label="Member council",
        help_text="Slug of a member council; repeat for several (OR).",
    )

    class Meta:
        model = Partnership
        fields: list[str] = []
