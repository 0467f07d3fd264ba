"""A serializer's rows built by PostgreSQL, derived from the serializer's own declared fields.

A list page of 20 case studies walked field by field through DRF, over model instances fetched
with prefetches, costs more than the statement that could build the same rows (docs/performance.md).
Rather than writing the row a second time in SQL, :func:`row_expressions` reads the serializer's
fields and turns each into the public Django expression that gives the same value: a column, an
annotation, a related slug, an ``ArraySubquery`` of related slugs or of ``JSONObject`` rows for a
nested serializer, and the object's URLs as SQL ``CONCAT``. A field it does not know is an error, so the
serializer stays the one definition of the row: tests compare both paths on every field.

A page's rows are one statement, asked for by id (:func:`page_rows`); a detail's, by its lookup
(:func:`chosen_row`). Its SQL is the same for every page (the ids are one array parameter), so it
is compiled once per process (:func:`row_statement`) with Django's public compiler API
(``Query.get_compiler()``, ``as_sql()``, its converters): the expressions come from the serializer
each time the cache is filled, never from a second definition.

PostgreSQL only (``ArraySubquery``): :class:`SerializerRowsMixin` uses the serializer itself on
other databases, where the library is small.
"""

from __future__ import annotations

import contextlib
import functools
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    Lookup,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, JSONObject, NullIf
from django.http import Http404, HttpRequest
from django.urls import reverse
from rest_framework import serializers
from rest_framework.response import Response

from api.csv_export import CSV_CHUNK_SIZE, CSVColumns, CSVRenderer, csv_columns_of
from api.fields import (
    APIURLField,
    ColumnByField,
    IsSetField,
    MappedValueField,
    OnlyRelatedSlugField,
    OptionalURLField,
    RelatedSlugField,
    RelatedSlugsField,
    WebPageURLField,
)
from api.keyset import id_batches, server_side_cursors

SLUG_MARKER = "slug-marker"

# Which rows (and annotations) a nested many-valued field of the top-level serializer reads, by its
# source: ``(("contacts", public_contacts),)``, where ``public_contacts()`` gives a QuerySet of the
# related model. The same callables give the web page's and the serializer's prefetches, so the
# rule (only public contacts, say) has one home. A relation not named here reads every row.
Relations = tuple[tuple[str, Callable[[], QuerySet]], ...]


class UnsupportedField(TypeError):
    """A serializer field that :func:`row_expressions` cannot build in SQL."""


def row_expressions(
    serializer: serializers.Serializer, queryset: QuerySet, request: HttpRequest | None, relations: Relations = ()
) -> dict[str, models.Expression]:
    """One expression per field of ``serializer`` (a ``ModelSerializer`` over ``queryset``'s model)."""
    root = request.build_absolute_uri("/") if request is not None else ""
    annotations = tuple(sorted(queryset.query.annotations))
    return dict(_row_expressions(type(serializer), queryset.model, annotations, root, relations))


@functools.lru_cache(maxsize=64)
def _row_expressions(
    serializer_class: type[serializers.Serializer],
    model: type[models.Model],
    annotations: tuple[str, ...],
    root: str,
    relations: Relations = (),
) -> tuple[tuple[str, models.Expression], ...]:
    # Derived once per serializer, model, site root and relations (a pure function of them):
    # building the expressions walks every field, which would otherwise be repeated on every page.
    # Django copies an expression when a query uses it, so sharing them between requests is safe.
    fields = serializer_class().fields.items()
    given = dict(relations)
    return tuple((name, _expression(field, model, set(annotations), root, given)) for name, field in fields)


def _path(source: str) -> str:
    return source.replace(".", "__")


def _expression(
    field: serializers.Field,
    model: type[models.Model],
    annotations: set[str],
    root: str,
    relations: dict[str, Callable[[], QuerySet]] | None = None,
) -> Any:
    source = field.source
    relations = relations or {}
    if isinstance(field, WebPageURLField):
        return _url_around_slug(model(slug=SLUG_MARKER).get_absolute_url(), root)
    if isinstance(field, APIURLField):
        return _url_around_slug(reverse(field.view_name, kwargs={"slug": SLUG_MARKER}), root, field.slug_path)
    if isinstance(field, RelatedSlugsField):
        slugs = _related_rows(model, source).filter(**field.where).values(_path(field.slug_path))
        return Subquery(slugs[:1]) if isinstance(field, RelatedSlugField) else ArraySubquery(slugs)
    if isinstance(field, OnlyRelatedSlugField):
        rows = _related_rows(model, source).annotate(rows_in_all=Window(Count("pk")))
        return Subquery(rows.filter(rows_in_all=1).values(field.slug_field)[:1])
    if isinstance(field, serializers.ManyRelatedField) and isinstance(
        field.child_relation, serializers.SlugRelatedField
    ):
        return ArraySubquery(_related_rows(model, source).values(field.child_relation.slug_field))
    if isinstance(field, serializers.SlugRelatedField):
        return F(f"{_path(source)}__{field.slug_field}")
    if isinstance(field, serializers.ListSerializer) and isinstance(field.child, serializers.ModelSerializer):
        rows = _related_rows(model, source, relations.get(source))
        read = set(rows.query.annotations)
        nested = {name: _expression(child, rows.model, read, root) for name, child in field.child.fields.items()}
        return ArraySubquery(rows.values(row=JSONObject(**nested)))
    if isinstance(field, serializers.ModelSerializer):  # one related object, or null
        related = _related_object(model, source)
        nested = {name: _expression(child, related.model, set(), root) for name, child in field.fields.items()}
        return Subquery(related.values(row=JSONObject(**nested))[:1])
    if isinstance(field, ColumnByField):
        chosen = [When(**{field.by: value}, then=F(column)) for value, column in field.columns.items()]
        return Case(*chosen, default=Value(None), output_field=models.DecimalField())
    if isinstance(field, MappedValueField):
        words = [When(**{_path(source): value}, then=Value(word)) for value, word in field.mapping.items()]
        return Case(*words, default=Value(field.default_word), output_field=models.CharField())
    if isinstance(field, IsSetField):
        return ExpressionWrapper(Q(**{f"{_path(field.path)}__isnull": False}), output_field=models.BooleanField())
    if isinstance(field, OptionalURLField) and _is_column(model, source):
        return NullIf(F(_path(source)), Value(""))
    if source in annotations or _is_column(model, source):
        return F(_path(source))
    raise UnsupportedField(f"{type(field).__name__} {field.field_name!r} (source {source!r}) cannot be built in SQL")


def _is_column(model: type[models.Model], source: str) -> bool:
    """A concrete column of ``model``, or of a model its foreign keys lead to (``council.slug``)."""
    *relations, name = source.split(".")
    try:
        for relation in relations:
            field = model._meta.get_field(relation)
            if not (field.many_to_one or field.one_to_one):
                return False
            model = field.related_model
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.concrete and not field.is_relation


def _related_rows(model: type[models.Model], source: str, rows_of: Callable[[], QuerySet] | None = None) -> QuerySet:
    """The rows the many-valued relation ``source`` of the outer object leads to (``contacts``; or
    through its foreign keys, ``council.successors``), in their model's default order: those of
    ``rows_of()`` (a QuerySet of the related model, with its filters and annotations), else all."""
    *keys, relation = source.split(".")
    for key in keys:
        foreign_key = model._meta.get_field(key)
        if not (foreign_key.many_to_one or foreign_key.one_to_one) or not foreign_key.concrete:
            raise UnsupportedField(f"{source!r}: {key!r} is not a foreign key of {model.__name__}")
        model = foreign_key.related_model
    outer = OuterRef("__".join(keys)) if keys else OuterRef("pk")
    field = model._meta.get_field(relation)
    if field.many_to_many and not field.auto_created:  # declared here: filter by its reverse name
        lookup = field.related_query_name()
    elif field.many_to_many or field.one_to_many:  # the reverse side of another model's key
        lookup = field.field.name
    else:
        raise UnsupportedField(f"{relation!r} is not a many-valued relation of {model.__name__}")
    base = rows_of() if rows_of is not None else field.related_model._default_manager.all()
    rows = base.filter(**{lookup: outer})
    # The rows of one outer object: ordering keys through the link back to it (CaseStudyModel's
    # "case_study" first, which means its title) are the same for every row, and would cost a join.
    ordering = [key for key in rows.model._meta.ordering if key.lstrip("-").split("__")[0] != lookup]
    return rows.order_by(*ordering)


def _related_object(model: type[models.Model], relation: str) -> QuerySet:
    """The row a foreign key of the outer object leads to (none when the key is null)."""
    field = model._meta.get_field(relation)
    if not (field.many_to_one or field.one_to_one) or not field.concrete:
        raise UnsupportedField(f"{relation!r} is not a foreign key of {model.__name__}")
    return field.related_model._default_manager.filter(pk=OuterRef(field.attname))


def _url_around_slug(path: str, root: str, slug_path: str = "slug") -> models.Expression:
    absolute = root.rstrip("/") + path if root else path
    before, after = absolute.rsplit(SLUG_MARKER, 1)
    # SQL's own CONCAT in one call, rather than Django's Concat (nested pairs, each part cast and
    # coalesced): a page's row has a URL per linked object, and each is compiled on every request.
    # The parts are typed (::text): bound on the server as parameters (the streamed CSV), a value
    # passed to CONCAT must say what it is.
    before_text, after_text = (Cast(Value(part), models.TextField()) for part in (before, after))
    return Func(before_text, F(_path(slug_path)), after_text, function="CONCAT", output_field=models.CharField())


def built_in_sql(queryset: QuerySet) -> bool:
    """Whether this database can build the rows (``ArraySubquery`` is PostgreSQL's)."""
    return connections[queryset.db].vendor == "postgresql"


def page_rows(
    serializer: serializers.Serializer,
    page_ids: Iterable[int],
    row_queryset: Callable[[], QuerySet],
    request: Any,
    relations: Relations = (),
) -> list[dict[str, Any]]:
    """The rows of ``page_ids`` (in that order), built by the database from the serializer's fields.

    ``row_queryset()`` gives the model's QuerySet with the annotations the fields read (its filters
    do not matter: the ids were chosen already); it is called only when the statement is compiled,
    once per process (:func:`row_statement`). Asked for by id, so that no row beyond the page has
    its expressions computed (an ``OFFSET`` would compute them for every row it skips). ``relations``:
    which rows its nested lists read (:data:`Relations`)."""
    ids = list(page_ids)
    if not ids:
        return []
    source = _row_source(serializer, row_queryset, request, relations)
    found = row_statement(source, one=len(ids) == 1).run(ids)
    rows = {row.pop(PK): row for row in found}
    return [rows[pk] for pk in ids if pk in rows]


def chosen_row(
    serializer: serializers.Serializer,
    chosen: QuerySet,
    row_queryset: Callable[[], QuerySet],
    request: Any,
    relations: Relations = (),
) -> dict[str, Any] | None:
    """The row of the one object ``chosen`` selects (a QuerySet of one ``pk`` column, at most one
    row: a detail's lookup), or None. One statement: the lookup is the row statement's subquery in
    place of the id, so a detail is one round trip. The row statement is the one a single id gets
    (compiled once per process); only the lookup is compiled for each request."""
    found = row_statement(_row_source(serializer, row_queryset, request, relations), one=True).run_chosen(chosen)
    if not found:
        return None
    (row,) = found
    row.pop(PK)
    return row


def _row_source(
    serializer: serializers.Serializer, row_queryset: Callable[[], QuerySet], request: Any, relations: Relations
) -> RowSource:
    serializer_class = type(serializer)
    model = serializer_class.Meta.model
    root = request.build_absolute_uri("/") if request is not None else ""
    return RowSource(serializer_class, row_queryset, root, model._default_manager.all().db, relations)


@dataclass(frozen=True)
class RowSource:
    """What a page's row statement is built from. Two sources are the same statement when their
    serializer, site root and database are: the row queryset's annotations are code (such as
    ``for_listing()``), the same for every request to a serializer's list."""

    serializer_class: type[serializers.Serializer]
    row_queryset: Callable[[], QuerySet] = field(compare=False, hash=False)
    root: str
    alias: str
    relations: Relations = ()


class AnyOf(Lookup):
    """``column = ANY(%s)`` with the values as one array parameter: the statement's SQL is then the
    same for every page, whatever its ids or their number (``IN (%s, %s, …)`` is not)."""

    lookup_name = "any_of"
    prepare_rhs = False
    template = "{} = ANY(%s)"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return self.template.format(lhs), [*lhs_params, self.rhs]


class OneOf(AnyOf):
    """``column = %s``: one value (or, for a detail, the lookup's subquery in its place). A
    detail's row statement asks for one id so; PostgreSQL's generic plan of it then expects one
    row, as a plan for the id would, and is the one kept (prepared statements: :func:`row_cursor`)."""

    lookup_name = "one_of"
    template = "{} = %s"


@dataclass(frozen=True)
class RowStatement:
    """A page's row statement, compiled: its SQL around the one parameter, the ids (``one``: a
    single id), as the text ``before`` and ``after`` it, and the converters Django applies to what it
    selects (JSON text to objects, say)."""

    query: Any
    alias: str
    before: str
    after: str
    names: tuple[str, ...]
    converters: dict[int, Any]
    one: bool = False

    @property
    def sql(self) -> str:
        return f"{self.before}%s{self.after}"

    def run(self, ids: list[int]) -> list[dict[str, Any]]:
        return self._fetch(self.sql, [ids[0] if self.one else ids])

    def run_chosen(self, chosen: QuerySet) -> list[dict[str, Any]]:
        """The rows of the id ``chosen`` selects (a single-id statement): the lookup's SQL, compiled
        by Django for ``chosen``'s database, stands where the id would."""
        lookup_sql, lookup_params = chosen.query.get_compiler(using=chosen.db).as_sql()
        return self._fetch(f"{self.before}({lookup_sql}){self.after}", list(lookup_params))

    def _fetch(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        compiler = self.query.get_compiler(using=self.alias)
        with row_cursor(compiler.connection) as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        rows = compiler.apply_converters(fetched, self.converters) if self.converters else fetched
        return [
            {(PK if alias == "pk" else _field_name(alias)): value for alias, value in zip(self.names, row, strict=True)}
            for row in rows
        ]


@contextlib.contextmanager
def row_cursor(connection: Any) -> Iterator[Any]:
    """A cursor of ``connection`` (a Django database connection) for row statements.

    With ``settings.DATABASE_PREPARED_ROW_STATEMENTS`` (the default; parameters then bound on the
    server, config/settings.py) its statements are prepared: psycopg's ``prepare_threshold`` is 0
    while the cursor is used (public psycopg API), so PostgreSQL parses and plans a row statement
    once per connection rather than on every page, which for the detail's statement cost more than
    running it. Its plan (the rows by primary key, the same subqueries) does not depend on the ids
    it is given, and PostgreSQL keeps one generic plan after five runs. Every other statement is
    planned for its own values, which a filtered count needs. The cursor is Django's
    (``connection.cursor()``): logged, counted and wrapped like any other."""
    if not settings.DATABASE_PREPARED_ROW_STATEMENTS:
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    psycopg_connection = connection.connection
    threshold = psycopg_connection.prepare_threshold
    psycopg_connection.prepare_threshold = 0
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        psycopg_connection.prepare_threshold = threshold


@functools.lru_cache(maxsize=64)
def row_statement(source: RowSource, one: bool = False) -> RowStatement:
    """The row statement of ``source``, compiled once per process: resolving and compiling a row's
    nested subqueries costs more than running them, and their SQL never changes between pages
    (only the ids, one array parameter, do). ``one``: the statement for one id (a detail)."""
    marker: list[int] = []
    queryset = source.row_queryset()
    # Only the annotations a field reads: another (a search rank, say) could bring its joins along.
    sources = {field.source for field in source.serializer_class().fields.values()}
    annotations = tuple(sorted(sources & set(queryset.query.annotations)))
    base = queryset.model._default_manager.annotate(**{name: queryset.query.annotations[name] for name in annotations})
    expressions = _aliased(
        _row_expressions(source.serializer_class, queryset.model, annotations, source.root, source.relations)
    )
    by_id = OneOf(F("pk"), marker) if one else AnyOf(F("pk"), marker)
    query = base.filter(by_id).order_by().values("pk", **expressions).query
    compiler = query.get_compiler(using=source.alias)
    sql, params = compiler.as_sql()
    (ids_at,) = (position for position, param in enumerate(params) if param is marker)
    names = tuple(alias for _, _, alias in compiler.select)
    converters = compiler.get_converters([expression for expression, _, _ in compiler.select])
    before, after = constants_written_in(compiler.connection, sql, params, ids_at)
    return RowStatement(query, source.alias, before, after, names, converters, one)


def constants_written_in(connection: Any, sql: str, params: list[Any], ids_at: int) -> tuple[str, str]:
    """``sql`` with every parameter but the ids (``params[ids_at]``) written in as a literal, by
    Django's own ``compose_sql`` (psycopg's quoting): the text before and after the ids' place. A
    row statement's other parameters are constants (the JSON keys, the URLs' parts, a figure kind),
    the same on every page; left as parameters, psycopg would find the ~130 placeholders of the
    detail's 9 kB statement on every run (it remembers only statements under 4 kB with at most 50
    parameters)."""
    connection.ensure_connection()
    sentinel = f"row-ids-{uuid.uuid4().hex}"
    values = [sentinel if position == ids_at else value for position, value in enumerate(params)]
    written = connection.ops.compose_sql(sql, values)
    before, after = written.split(connection.ops.compose_sql("%s", [sentinel]))
    # What is left is run with parameters: a percent sign written in is doubled, as psycopg reads it.
    return before.replace("%", "%%"), after.replace("%", "%%")


PK = "row pk"
PREFIX = "row_"


def _aliased(expressions: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """The row expressions under prefixed aliases: a name such as ``councils`` or ``slug`` is also a
    field of the model, which ``values()`` refuses as an alias. :func:`_field_name` takes it off."""
    return {PREFIX + name: expression for name, expression in expressions}


def _field_name(alias: str) -> str:
    return alias.removeprefix(PREFIX)


def _streamed_values(
    queryset: QuerySet, serializer: serializers.Serializer, request: Any, chunk_size: int = CSV_CHUNK_SIZE
) -> Iterable[dict[str, Any]]:
    """``queryset.values()`` of the row expressions, keyed by the serializer's names, streamed (a
    server-side cursor, in chunks of ``chunk_size``): the CSV export of a whole filtered list."""
    rows = queryset.values(**_aliased(row_expressions(serializer, queryset, request).items()))
    for row in rows.iterator(chunk_size=chunk_size):
        yield {_field_name(alias): value for alias, value in row.items()}


class SerializerRowsMixin:
    """List rows (JSON pages and the CSV export) from the viewset's serializer: on PostgreSQL built
    by the database from the serializer's fields (:func:`row_expressions`), elsewhere by the
    serializer walking the objects. The same rows either way (tested); CSV columns as
    :func:`api.csv_export.csv_columns_of` derives them from the same fields.

    A JSON page built by the database is two questions: which ids (``get_queryset()``, filtered
    and paged) and their rows (:func:`page_rows`, with the annotations of
    ``get_row_queryset()``). A viewset whose rows need annotations that its filters and order do
    not can leave them out of ``get_queryset()`` when :meth:`rows_by_id` is true: resolving them
    would be wasted on a statement that only selects ids."""

    def rows_by_id(self) -> bool:
        """Whether this request's rows are built by the database (on PostgreSQL: JSON pages, by id,
        and details, by their lookup)."""
        renderer = getattr(self.request, "accepted_renderer", None)
        model = self.get_serializer_class().Meta.model
        return (
            self.action in ("list", "retrieve")
            and not isinstance(renderer, CSVRenderer)
            and built_in_sql(model._default_manager.all())
        )

    def get_row_relations(self) -> Relations:
        """Which rows the nested lists of this request's serializer read (:data:`Relations`); by
        default all the related rows."""
        return ()

    def get_row_queryset(self) -> QuerySet:
        """What a page's rows take their annotations from (by default the list's own queryset).
        Asked for only when the row statement is compiled, once per process (:func:`page_rows`)."""
        return self.get_queryset()

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.rows_by_id():
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset.values("pk"))
        page_ids = [row["pk"] for row in page]
        rows = page_rows(self.get_serializer(), page_ids, self.get_row_queryset, request, self.get_row_relations())
        return self.get_paginated_response(rows)

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # One object's row, built by the database like a page's, in one statement: the lookup (the
        # filtered queryset, as DRF's get_object() asks it) chooses the id inside the row statement.
        # (No docstring: the schema takes the endpoint's description from the viewset's.) DRF's
        # object permissions are not checked: the API's resources are public (AllowAny).
        if not self.rows_by_id():
            return super().retrieve(request, *args, **kwargs)
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        chosen = self.filter_queryset(self.get_queryset()).filter(**lookup).order_by().values("pk")[:1]
        row = chosen_row(self.get_serializer(), chosen, self.get_row_queryset, request, self.get_row_relations())
        if row is None:
            raise Http404
        return Response(row)

    def get_csv_columns(self) -> CSVColumns:
        return csv_columns_of(self.get_serializer())

    def get_csv_objects(self, queryset: QuerySet) -> Iterable[Any]:
        """The serializer's rows, built in SQL on PostgreSQL: streamed through a server-side cursor,
        or without one in keyset batches of ``csv_chunk_size`` (api/keyset.py)."""
        if not built_in_sql(queryset):
            return self.serialized_csv_objects(queryset)
        serializer = self.get_serializer()
        if server_side_cursors(queryset):
            return _streamed_values(queryset, serializer, self.request, chunk_size=self.csv_chunk_size)
        return (
            row
            for ids in id_batches(queryset, self.csv_chunk_size)
            for row in page_rows(serializer, ids, self.get_row_queryset, self.request, self.get_row_relations())
        )
