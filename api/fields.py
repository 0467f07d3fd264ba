"""Serializer fields shared by the apps' serializers: URLs, related slugs, optional values, and values
derived from a row that the API's SQL rows can build too (api/serializer_rows.py)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from operator import attrgetter
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse as django_reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

# Slugs are ASCII (SlugField): anything else in a detail URL is a 404 from the URL resolver,
# before it can reach the database (PostgreSQL rejects NUL characters with an error).
SLUG_PATTERN = "[-a-zA-Z0-9_]+"


@extend_schema_field(OpenApiTypes.URI)
class WebPageURLField(serializers.Field):
    """The absolute URL of the object's web page (``get_absolute_url``); no query."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        path = value.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field(OpenApiTypes.URI)
class APIURLField(serializers.Field):
    """The absolute API URL of an object, by slug (``slug_path``: where the slug is, e.g.
    ``council.slug`` on a link row); unlike DRF's hyperlinked field it never carries the request's
    ``?format=`` along (a CSV row links to the JSON record)."""

    def __init__(self, view_name: str, *, slug_path: str = "slug", **kwargs: Any) -> None:
        self.view_name = view_name
        self.slug_path = slug_path
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        path = django_reverse(self.view_name, kwargs={"slug": attrgetter(self.slug_path)(value)})
        return _absolute(self.context.get("request"), path)


@extend_schema_field(OpenApiTypes.URI)
class CaseStudiesURLField(serializers.Field):
    """The absolute API URL of the case studies linked to the object: the case-study list filtered
    by ``parameter`` (``/api/v1/case-studies/?council=suffolk``), never with ``?format=``."""

    def __init__(self, parameter: str, **kwargs: Any) -> None:
        self.parameter = parameter
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return _absolute(self.context.get("request"), case_studies_path(self.parameter, value.slug))


@extend_schema_field(serializers.ListField(child=serializers.SlugField()))
class RelatedSlugsField(serializers.Field):
    """The slugs of the rows a link table leads to (``model_links`` → ``model.slug``), in the link
    model's default order; ``where`` keeps only some links (``{"is_primary": True}``)."""

    def __init__(self, *, slug_path: str, where: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.slug_path = slug_path
        self.where = where or {}
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def slugs(self, links: Any) -> list[str]:
        wanted = (link for link in links.all() if all(getattr(link, k) == v for k, v in self.where.items()))
        return [attrgetter(self.slug_path)(link) for link in wanted]

    def to_representation(self, value: Any) -> Any:
        return self.slugs(value)


@extend_schema_field(serializers.SlugField(allow_null=True))
class RelatedSlugField(RelatedSlugsField):
    """The first of :class:`RelatedSlugsField`'s slugs, or null."""

    def to_representation(self, value: Any) -> Any:
        return next(iter(self.slugs(value)), None)


def web_page_url(request: Request | None) -> Callable[[Any], str]:
    """A CSV column: the absolute URL of each row's web page."""

    def column(obj: Any) -> str:
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path

    return column


def api_url(request: Request | None, view_name: str) -> Callable[[Any], str]:
    """A CSV column: the absolute API URL of each row (as :class:`APIURLField`)."""
    return lambda obj: _absolute(request, django_reverse(view_name, kwargs={"slug": obj.slug}))


def case_studies_url(request: Request | None, parameter: str) -> Callable[[Any], str]:
    """A CSV column: each row's case studies in the API (as :class:`CaseStudiesURLField`)."""
    return lambda obj: _absolute(request, case_studies_path(parameter, obj.slug))


def case_studies_path(parameter: str, slug: str) -> str:
    """The case-study list filtered by one parameter: ``/api/v1/case-studies/?council=suffolk``."""
    return f"{django_reverse('api:casestudy-list')}?{urlencode({parameter: slug})}"


def _absolute(request: Request | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class OptionalURLField(serializers.CharField):
    """A URL that may not be known: null rather than an empty string (which is not a URI)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: str) -> str | None:
        return value or None


@extend_schema_field({"type": "string", "format": "email", "nullable": True})
class OptionalEmailField(OptionalURLField):
    """An email address that may not be known: null rather than an empty string (not an address)."""


# --- Values a serializer derives from the row: each field says what it derives, in one declaration,
# and knows how to give it from an object (here) and as a SQL expression (api/serializer_rows.py).


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """A number as JSON has it: whole numbers stay whole (pounds), decimals become floats
    (percentages, outcome values); the schema says ``number`` (nullable with ``allow_null``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> int | float:
        return float(value) if isinstance(value, Decimal) else value


class ColumnByField(NumberField):
    """A number kept in one of several columns, the column chosen by another column's value:
    ``ColumnByField(by="measure", columns={"money": "amount_low", "percent": "percent_low"})``."""

    def __init__(self, *, by: str, columns: dict[str, str], **kwargs: Any) -> None:
        self.by = by
        self.columns = dict(columns)
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> int | float | None:
        column = self.columns.get(getattr(value, self.by))
        number = getattr(value, column) if column else None
        return None if number is None else super().to_representation(number)


class MappedValueField(serializers.ChoiceField):
    """A column's value said in the API's words: ``mapping`` gives the word for some values, every
    other value is ``default`` (``classified_by`` "library" → "editorial", anything else "source")."""

    def __init__(self, *, mapping: dict[Any, str], default: str, **kwargs: Any) -> None:
        self.mapping = dict(mapping)
        self.default_word = default
        kwargs["read_only"] = True
        super().__init__(choices=list(dict.fromkeys([default, *self.mapping.values()])), **kwargs)

    def to_representation(self, value: Any) -> str:
        return self.mapping.get(value, self.default_word)


@extend_schema_field(OpenApiTypes.BOOL)
class IsSetField(serializers.Field):
    """Whether the value at ``path`` (dotted, through foreign keys that may be null) is set:
    ``IsSetField(path="council.abolished_on")`` is false without a council."""

    def __init__(self, *, path: str, **kwargs: Any) -> None:
        self.path = path
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> bool:
        for name in self.path.split("."):
            value = getattr(value, name, None)
            if value is None:
                return False
        return True


@extend_schema_field(serializers.SlugField(allow_null=True))
class OnlyRelatedSlugField(serializers.Field):
    """The slug of the one row a many-valued relation leads to, or null when it leads to none or
    to several (``source="applies_to"``: the figure's only council)."""

    def __init__(self, *, slug_field: str = "slug", **kwargs: Any) -> None:
        self.slug_field = slug_field
        kwargs.setdefault("default", None)
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:
        rows = list(value.all())
        return getattr(rows[0], self.slug_field) if len(rows) == 1 else None
