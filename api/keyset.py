"""A queryset's rows in batches without a server-side cursor: keyset pagination.

``QuerySet.iterator()`` streams a long result through a server-side cursor, which PgBouncer in
transaction pooling cannot carry from one statement to the next; with
``DATABASE_DISABLE_SERVER_SIDE_CURSORS`` Django uses a plain cursor instead, and psycopg then
receives the whole result at once (docs/deployment.md, "PgBouncer"). :func:`id_batches` asks
instead for the primary keys of the next ``size`` rows *after the last row it saw*, in the
queryset's own order completed by the primary key (so every row has exactly one place): each
statement returns at most ``size`` rows however long the export, and none outlives itself.

The rows of each batch are then fetched by primary key, with whatever the caller's queryset
selects, annotates and prefetches.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db import connections
from django.db.models import Expression, F, FloatField, OrderBy, Q, QuerySet
from django.db.models.functions import Cast

KEY = "keyset_"


def server_side_cursors(queryset: QuerySet) -> bool:
    """Whether ``QuerySet.iterator()`` streams here (the test Django itself makes)."""
    return not connections[queryset.db].settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")


@dataclass(frozen=True)
class SortKey:
    """One term of the order: an annotation ``alias`` of ``expression``, and where its NULLs go."""

    alias: str
    expression: Any
    descending: bool
    nulls_first: bool

    def order_by(self) -> OrderBy:
        nulls = {"nulls_first": True} if self.nulls_first else {"nulls_last": True}
        return OrderBy(F(self.alias), descending=self.descending, **nulls)

    def beyond(self, value: Any) -> Q | None:
        """Rows whose key sorts after ``value`` (None: none can)."""
        if value is None:
            return Q(**{f"{self.alias}__isnull": False}) if self.nulls_first else None
        after = Q(**{f"{self.alias}__{'lt' if self.descending else 'gt'}": value})
        return after if self.nulls_first else after | Q(**{f"{self.alias}__isnull": True})

    def equal(self, value: Any) -> Q:
        return Q(**{f"{self.alias}__isnull": True}) if value is None else Q(**{self.alias: value})


def sort_keys(queryset: QuerySet) -> list[SortKey]:
    """The queryset's order (or its model's default) as sort keys, ending with the primary key."""
    query = queryset.query
    ordering = list(query.order_by) or (list(queryset.model._meta.ordering) if query.default_ordering else [])
    # NULLs sort where this database puts them unless the term says (PostgreSQL: as the largest).
    nulls_largest = connections[queryset.db].features.nulls_order_largest
    keys = []
    for number, term in enumerate(ordering):
        expression, descending, nulls_first = _term(queryset, term)
        if nulls_first is None:
            nulls_first = descending == nulls_largest
        keys.append(SortKey(f"{KEY}{number}", expression, descending, nulls_first))
        if _is_primary_key(queryset, expression):
            return keys  # unique: nothing after it can change the order
    return [*keys, SortKey(f"{KEY}{len(keys)}", F("pk"), descending=False, nulls_first=False)]


def _term(queryset: QuerySet, term: Any) -> tuple[Any, bool, bool | None]:
    if isinstance(term, str):
        if term == "?":
            raise ValueError("A random order cannot be read in keyset batches.")
        name = term.removeprefix("-")
        _refuse_relation(queryset, name)
        return F(name), term.startswith("-"), None
    if isinstance(term, OrderBy):
        nulls_first = True if term.nulls_first else False if term.nulls_last else None
        return term.expression, term.descending, nulls_first
    if isinstance(term, F | Expression):
        return term, False, None
    raise ValueError(f"Cannot read the order {term!r} in keyset batches.")


def _refuse_relation(queryset: QuerySet, name: str) -> None:
    """Ordering by a relation (``case_study``) orders by the related model's ordering, which its
    key column would not reproduce: name the column (``case_study_id``) or a field over it."""
    if name in queryset.query.annotations:
        return
    model = queryset.model
    for part in name.split("__"):
        if part == "pk":
            return
        field = model._meta.get_field(part)
        if not field.is_relation:
            return
        if part == getattr(field, "attname", None):
            return  # the key column itself
        model = field.related_model
    raise ValueError(f"Order by a column, not the relation {name!r} (e.g. {name}_id), to read it in keyset batches.")


def _is_primary_key(queryset: QuerySet, expression: Any) -> bool:
    meta = queryset.model._meta
    return isinstance(expression, F) and expression.name in ("pk", meta.pk.name, meta.pk.attname)


def _after(keys: list[SortKey], values: tuple[Any, ...]) -> Q:
    """Rows after the row whose sort keys are ``values``: the first key beyond it, or equal and
    the second beyond, and so on."""
    alternatives = []
    same = Q()
    for key, value in zip(keys, values, strict=True):
        beyond = key.beyond(value)
        if beyond is not None:
            alternatives.append(same & beyond)
        same &= key.equal(value)
    return reduce(operator.or_, alternatives)


def id_batches(queryset: QuerySet, size: int) -> Iterator[list[Any]]:
    """The primary keys of ``queryset``'s rows, in its order, ``size`` at a time; one statement
    per batch (``LIMIT size``), no cursor held between them."""
    keys = sort_keys(queryset)
    keyed = (
        queryset.prefetch_related(None)
        .annotate(**_key_expressions(queryset, keys))
        .order_by(*(key.order_by() for key in keys))
        .values_list(*(key.alias for key in keys))
    )
    last: tuple[Any, ...] | None = None
    while True:
        batch = list((keyed if last is None else keyed.filter(_after(keys, last)))[:size])
        if last is not None and any(row[-1] == last[-1] for row in batch):
            raise RuntimeError(f"Keyset batches of {queryset.model.__name__} did not move past the last row.")
        if batch:
            yield [row[-1] for row in batch]
        if len(batch) < size:
            return
        last = batch[-1]


def _key_expressions(queryset: QuerySet, keys: list[SortKey]) -> dict[str, Any]:
    """The annotation of each key. A float is read as ``double precision``: a ``real`` (such as
    PostgreSQL's ``ts_rank``) reaches Python rounded to its shortest decimal form, which compares
    unequal to itself when sent back, and the batches would not move on."""
    resolved = queryset.annotate(**{key.alias: key.expression for key in keys}).query.annotations
    return {
        key.alias: Cast(key.expression, FloatField())
        if isinstance(resolved[key.alias].output_field, FloatField)
        else key.expression
        for key in keys
    }


def objects_in_batches(queryset: QuerySet, size: int) -> Iterator[Any]:
    """``queryset``'s objects in its order, fetched (with its prefetches) ``size`` at a time."""
    for ids in id_batches(queryset, size):
        found = queryset.in_bulk(ids)
        yield from (found[pk] for pk in ids if pk in found)
