"""Shared plumbing of the public API: pagination, CSV streaming, throttling, shared fields.

Viewsets live in each app's ``api.py``; what every one of them needs lives here so that
the rules (page sizes, CSV shape, rate limits) are the same everywhere. The schema helpers
and the root view are in ``config/api_schema.py``: DRF's settings import this module while
DRF's views are still loading, so it must not import views.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from operator import attrgetter
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse as django_reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import pagination, renderers, serializers, throttling
from rest_framework.exceptions import NotAcceptable, NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from config.client_ip import client_ip
from config.keyset import objects_in_batches, server_side_cursors
from config.library_cache import CachedCountPaginator
from config.query_parameters import AcceptedParameters

MAX_PAGE_SIZE = 100
PAGE_SIZE_PARAMETER = "page_size"
# Slugs are ASCII (SlugField): anything else in a detail URL is a 404 from the URL resolver,
# before it can reach the database (PostgreSQL rejects NUL characters with an error).
SLUG_PATTERN = "[-a-zA-Z0-9_]+"
CSV_CHUNK_SIZE = 500
LIST_SEPARATOR = "; "

# --- Pagination -----------------------------------------------------------------------------


def requested_page_size(request: Request, default: int) -> int:
    """``page_size`` from the query string: a whole number from 1 to ``MAX_PAGE_SIZE``, else a 400."""
    raw = request.query_params.get(PAGE_SIZE_PARAMETER)
    if raw is None:
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError({PAGE_SIZE_PARAMETER: [f"Enter a whole number from 1 to {MAX_PAGE_SIZE}."]})
    return size


class KeysetPagination(pagination.CursorPagination):
    """Cursor pages in id order, for harvesting: each page is ``id > last id of the previous page``,
    so a deep page costs what the first does, and rows added or removed while a harvest runs never
    shift the pages (new rows have higher ids and come last)."""

    ordering = ("pk",)
    invalid_cursor_message = (
        "Invalid cursor. Follow the next or previous link of a page, or send an empty cursor (cursor=) to start."
    )

    def get_page_size(self, request: Request) -> int:
        return requested_page_size(request, self.page_size)

    def decode_cursor(self, request: Request) -> pagination.Cursor | None:
        try:
            cursor = super().decode_cursor(request)
        except NotFound as error:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from error
        if cursor is not None and cursor.position is not None and not cursor.position.isdigit():
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
        return cursor


class LibraryPagination(pagination.PageNumberPagination):
    """Two ways through a list, both with ``page_size`` (1–100):

    * ``?page=N``: numbered pages with a total ``count``, for people. A page past the last is a 404.
    * ``?cursor=``: :class:`KeysetPagination` pages, for harvesting: no ``count``, a fixed order
      (by id), and ``next``/``previous`` links to follow. Start with an empty ``cursor=``.

    Either way the ``next`` and ``previous`` links are also sent as an RFC 8288 ``Link`` header.
    """

    django_paginator_class = CachedCountPaginator
    page_size_query_param = PAGE_SIZE_PARAMETER
    cursor_query_param = KeysetPagination.cursor_query_param
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = "Invalid page: {message}."

    def query_parameters(self) -> list[str]:
        """The query parameters a paged list accepts because it is paged."""
        return [self.page_query_param, self.page_size_query_param, self.cursor_query_param]

    def get_page_size(self, request: Request) -> int:
        return requested_page_size(request, self.page_size)

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        raw = request.query_params.get(self.page_query_param)
        return "0" if raw == "" else super().get_page_number(request, paginator)  # empty: invalid, a 404

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list[Any] | None:
        self.keyset: KeysetPagination | None = None
        if self.cursor_query_param not in request.query_params:
            return super().paginate_queryset(queryset, request, view)
        self.validate_cursor_request(request)
        self.keyset = KeysetPagination()
        return self.keyset.paginate_queryset(queryset, request, view)

    def validate_cursor_request(self, request: Request) -> None:
        """A cursor fixes the order and replaces page numbers: asking for either as well is a 400."""
        clashes = {
            self.page_query_param: "Use either page or cursor, not both.",
            "ordering": "Cursor pages are always in id order; leave ordering out, or use page instead of cursor.",
        }
        errors = {name: [message] for name, message in clashes.items() if name in request.query_params}
        if errors:
            raise ValidationError(errors)

    def get_paginated_response(self, data: Any) -> Response:
        if self.keyset is not None:
            response = self.keyset.get_paginated_response(data)
        else:
            response = super().get_paginated_response(data)
        links = [
            f'<{url}>; rel="{relation}"'
            for relation, url in (("next", response.data["next"]), ("prev", response.data["previous"]))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paged = super().get_paginated_response_schema(schema)
        paged["required"] = ["results"]
        paged["properties"]["count"]["description"] = "How many results in all (numbered pages only)."
        paged["properties"]["next"]["description"] = "The next page (also in the Link header), or null."
        paged["properties"]["previous"]["description"] = "The previous page (also in the Link header), or null."
        return paged

    def validate_parameters(self, request: Request) -> None:
        """Check page and page_size without paginating (the CSV export is not paginated)."""
        self.get_page_size(request)
        if self.cursor_query_param in request.query_params:
            self.validate_cursor_request(request)
            KeysetPagination().decode_cursor(request)
            return
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw == "last":
            return
        try:
            number = int(raw)
        except ValueError:
            number = 0
        if number < 1:
            raise NotFound(self.invalid_page_message.format(message="That page number is not a whole number from 1"))

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1. A page past the last one answers 404. Not with cursor.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Harvest in id order, page by page: send it empty to start, then follow each page's next "
                    "link. Cursor pages have no count, and ignore rows added or removed behind them. "
                    "Not with page or ordering."
                ),
                "schema": {"type": "string"},
            },
        ]


# --- CSV ----------------------------------------------------------------------------------------

CSVColumns = dict[str, Callable[[Any], Any]]


def joined(values: Iterable[Any]) -> str:
    """Several related items in one CSV cell: ``sharing; holistic``."""
    return LIST_SEPARATOR.join(str(value) for value in values if value not in (None, ""))


class CSVRenderer(renderers.BaseRenderer):
    """Declares ``text/csv`` for content negotiation; the rows are streamed by :class:`CSVListMixin`."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        # Only reached for a non-streamed body, e.g. an empty response; errors are rendered as JSON.
        return b"" if data is None else str(data).encode(self.charset)


class _Echo:
    """A file-like object whose ``write`` hands back what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_rows(objects: Iterable[Any], columns: CSVColumns) -> Iterator[str]:
    """Yield the header, then one CSV line per object."""
    writer = csv.writer(_Echo())
    yield writer.writerow(list(columns))
    for obj in objects:
        yield writer.writerow([_cell(getter(obj)) for getter in columns.values()])


# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        # Curated text is not trusted to be inert: a leading apostrophe makes it plain text.
        return "'" + value
    return value


class StrictQueryMixin:
    """An endpoint that accepts exactly its documented query parameters and formats: anything else
    is a 400 naming the parameter (and listing the accepted ones), a format it does not offer a 406
    listing the offered ones. For any DRF view; the viewsets get it through :class:`CSVListMixin`."""

    # Parameters an action accepts beyond its filters, paging and format (e.g. {"summary": ["group_by"]}).
    action_parameters: dict[str | None, list[str]] = {}

    def accepted_parameters(self) -> AcceptedParameters:
        """Every query parameter this request accepts: ``format`` and the action's own."""
        action = getattr(self, "action", None)
        return AcceptedParameters.of(single={api_settings.URL_FORMAT_OVERRIDE, *self.action_parameters.get(action, [])})

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """A parameter the endpoint does not know is a 400 that names it and lists those it does:
        a typo (``regoin=london``) must not silently return everything."""
        super().initial(request, *args, **kwargs)
        if getattr(self, request.method.lower(), None) is None:
            return  # a method the endpoint does not have: its 405 says more than a parameter error
        accepted = self.accepted_parameters()
        unknown = accepted.unknown(request.query_params)
        if unknown:
            listed = ", ".join(accepted.names)
            raise ValidationError({name: [f"Unknown parameter. Accepted parameters: {listed}."] for name in unknown})

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        """A ``format`` this endpoint does not offer is a 406 that lists the formats it does offer
        (DRF would answer a bare 404)."""
        asked = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        if asked is None or force:
            return super().perform_content_negotiation(request, force)
        offered = [renderer.format for renderer in self.get_renderers()]
        if asked not in offered:
            raise NotAcceptable(
                f"format={asked} is not offered here. Use one of: {', '.join(offered)} (or leave format out)."
            )
        return super().perform_content_negotiation(request, force)


class CSVListMixin(StrictQueryMixin):
    """List endpoints answer ``?format=csv`` / ``Accept: text/csv`` with a streamed CSV export.

    The export is the whole filtered list (no pagination), one row per item, with the columns of
    ``get_csv_columns()`` in that order. Errors are always JSON.
    """

    csv_filename: str = "export"
    csv_chunk_size: int = CSV_CHUNK_SIZE
    # Actions that name one record and read no filters: a detail, and detail actions of that kind.
    unfiltered_actions: tuple[str, ...] = ("retrieve",)

    def accepted_parameters(self) -> AcceptedParameters:
        """Every query parameter this request's action accepts: its FilterSet's filters (lists and
        actions that filter), page, page_size and cursor where it pages, ``format``, and its own. The
        one list of them: the 400 and the response cache (config/query_parameters.py) read it."""
        single = set(super().accepted_parameters().single)
        filterset_class = None
        if getattr(self, "action", None) not in self.unfiltered_actions:
            filterset_class = getattr(self, "filterset_class", None)
            if self.paginator is not None:
                single.update(self.paginator.query_parameters())
        return AcceptedParameters.of(filterset_class, single=single)

    def get_csv_columns(self) -> CSVColumns:
        """Column name -> function of one object; the order is the CSV's column order."""
        raise NotImplementedError

    def get_csv_objects(self, queryset: QuerySet) -> Iterable[Any]:
        """What the CSV columns read, one per row: the queryset's objects, fetched (with their
        prefetches) ``csv_chunk_size`` at a time so that memory stays flat however long the export:
        through a server-side cursor, or, where there is none (``DATABASE_DISABLE_SERVER_SIDE_CURSORS``,
        behind PgBouncer), in keyset batches (config/keyset.py). The same rows in the same order."""
        if server_side_cursors(queryset):
            return queryset.iterator(chunk_size=self.csv_chunk_size)
        return objects_in_batches(queryset, self.csv_chunk_size)

    def serialized_csv_objects(self, queryset: QuerySet) -> Iterable[dict[str, Any]]:
        """The objects of :meth:`get_csv_objects` as the viewset's serializer represents them (the
        JSON rows), for CSV columns derived from that serializer (:func:`csv_columns_of`)."""
        serializer = self.get_serializer()
        return (serializer.to_representation(item) for item in CSVListMixin.get_csv_objects(self, queryset))

    def get_renderers(self) -> list[renderers.BaseRenderer]:
        found = super().get_renderers()
        # An unmapped method (action None) must still negotiate, so that it can answer 405.
        if getattr(self, "action", None) in ("list", None):
            found.append(CSVRenderer())
        return found

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Filters narrow lists; a detail URL names its item whatever the query string says.
        if getattr(self, "action", None) in self.unfiltered_actions:
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if isinstance(request.accepted_renderer, CSVRenderer):
            queryset = self.filter_queryset(self.get_queryset())
            # The rows stream after the view (and PrimaryPinningMiddleware) have returned: choose
            # the database now, inside the request, and read every batch from it.
            queryset = queryset.using(queryset.db)
            if self.paginator is not None:
                self.paginator.validate_parameters(request)
            objects = iter(self.get_csv_objects(queryset))
            # Run the query before the 200 goes out: a database that cannot answer is then the
            # API's 503 (config/database_outage.py), not an export cut off after its header.
            first = list(islice(objects, 1))
            response = StreamingHttpResponse(
                csv_rows(chain(first, objects), self.get_csv_columns()), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}.csv"'
            return response
        return super().list(request, *args, **kwargs)

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        if isinstance(getattr(self.request, "accepted_renderer", None), CSVRenderer):
            self.request.accepted_renderer = renderers.JSONRenderer()
            self.request.accepted_media_type = "application/json"
        return response


def csv_columns_of(serializer: serializers.Serializer) -> CSVColumns:
    """The CSV columns of ``serializer``'s representation: a field is a column; a nested object or
    list of objects is one column per field of it, the first named after the field itself (the
    slugs: ``councils``), the others ``<field>_<name>`` (``councils_name``), lists "; "-joined."""
    return {
        column.name: _nested_column(column.parent, column.field.field_name) if column.parent else _column(column.name)
        for column in csv_column_fields(serializer)
    }


@dataclass(frozen=True)
class CSVColumn:
    """One column of :func:`csv_columns_of`: its name, the serializer field whose value it holds,
    the nested field it is inside (``parent``, or empty), and whether that nests a list."""

    name: str
    field: serializers.Field
    parent: str = ""
    many: bool = False


def csv_column_fields(serializer: serializers.Serializer) -> list[CSVColumn]:
    """The columns of :func:`csv_columns_of`, in order, with the field behind each (for describing
    them: a data release's Table Schema reads their types and help texts)."""
    columns: list[CSVColumn] = []
    for name, field in serializer.fields.items():
        child = getattr(field, "child", None)
        many = isinstance(field, serializers.ListSerializer)
        nested = child if many else field
        if isinstance(nested, serializers.Serializer):
            for number, (child_name, child_field) in enumerate(nested.fields.items()):
                column = name if number == 0 else f"{name}_{child_name}"
                columns.append(CSVColumn(column, child_field, parent=name, many=many))
        else:
            columns.append(CSVColumn(name, field))
    return columns


def _column(name: str) -> Callable[[dict[str, Any]], Any]:
    def cell(row: dict[str, Any]) -> Any:
        value = row[name]
        return joined(value) if isinstance(value, list) else value

    return cell


def _nested_column(name: str, child_name: str) -> Callable[[dict[str, Any]], Any]:
    def cell(row: dict[str, Any]) -> Any:
        value = row[name]
        if value is None:  # a reference that is not there (no partnership)
            return None
        if isinstance(value, dict):
            return value[child_name]
        return joined(item[child_name] for item in value)

    return cell


# --- Throttling --------------------------------------------------------------------------------


class AnonRateThrottle(throttling.AnonRateThrottle):
    """Anonymous rate limit from ``API_THROTTLE_ANON`` (read per request, so tests can change it)."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request: Request) -> str:
        return client_ip(request)

    def allow_request(self, request: Request, view: Any) -> bool:
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


# --- Fields ------------------------------------------------------------------------------------


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
