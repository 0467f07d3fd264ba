"""CSV exports of the API's lists: columns derived from a serializer, rows streamed."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from rest_framework import renderers, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.keyset import objects_in_batches, server_side_cursors
from api.parameters import AcceptedParameters, StrictQueryMixin

CSV_CHUNK_SIZE = 500
LIST_SEPARATOR = "; "


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
        one list of them: the 400 and the response cache (api/parameters.py) read it."""
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
        behind PgBouncer), in keyset batches (api/keyset.py). The same rows in the same order."""
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
