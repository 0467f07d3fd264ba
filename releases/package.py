"""Write a release's files: one CSV per table, the same tables in one SQLite file, and a
Frictionless Data Package (``datapackage.json``) describing them.

Everything the package says of a column comes from the serializer field behind it
(``api.csv_export.csv_column_fields``): its Table Schema type from the field's class (or the schema
type it declares for the API, ``extend_schema_field``), its description (the codebook) from the
field's help text, else the model field's help text or verbose name.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from drf_spectacular.drainage import get_override
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers
from tqdm import tqdm

from api.csv_export import CSVColumn, csv_column_fields, csv_columns_of, csv_rows
from casestudies.models import Source
from councils.register import REGISTER, REGISTER_LICENCE_NAME

from .tables import TABLES, Table

PACKAGE_NAME = "datapackage.json"
SQLITE_NAME = "library.sqlite"
MEDIA_TYPES = {".json": "application/json", ".csv": "text/csv", ".sqlite": "application/vnd.sqlite3"}
COLUMN_DIGEST_LENGTH = 16  # hex digits of SHA-256 per column: enough to tell two values apart
BATCH_SIZE = 500

# Table Schema types by serializer field class (the first that matches); anything else is a string.
TYPES_BY_FIELD: tuple[tuple[type[serializers.Field], str], ...] = (
    (serializers.BooleanField, "boolean"),
    (serializers.IntegerField, "integer"),
    (serializers.FloatField, "number"),
    (serializers.DecimalField, "number"),
    (serializers.DateTimeField, "datetime"),
    (serializers.DateField, "date"),
)
TYPES_BY_OPENAPI = {
    OpenApiTypes.NUMBER: "number",
    OpenApiTypes.FLOAT: "number",
    OpenApiTypes.DOUBLE: "number",
    OpenApiTypes.DECIMAL: "number",
    OpenApiTypes.INT: "integer",
    OpenApiTypes.INT32: "integer",
    OpenApiTypes.INT64: "integer",
    OpenApiTypes.BOOL: "boolean",
    OpenApiTypes.DATE: "date",
    OpenApiTypes.DATETIME: "datetime",
}
SQLITE_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}


# --- Describing the tables ------------------------------------------------------------------


def _declared_type(declared: Any) -> str:
    """The Table Schema type of what a field declares for the API schema (``extend_schema_field``)."""
    if isinstance(declared, dict):
        return {"integer": "integer", "number": "number", "boolean": "boolean"}.get(declared.get("type"), "string")
    if isinstance(declared, serializers.Field):
        return field_type(declared)
    return TYPES_BY_OPENAPI.get(declared, "string")


def field_type(serializer_field: serializers.Field, *, many: bool = False) -> str:
    """The Table Schema type of a column holding ``serializer_field`` (``many``: joined from a list)."""
    if many or isinstance(serializer_field, serializers.ManyRelatedField | serializers.ListField):
        return "string"  # several values in one cell, "; "-joined
    declared = get_override(serializer_field, "field")
    if isinstance(serializer_field, serializers.SerializerMethodField) and serializer_field.parent is not None:
        declared = get_override(getattr(serializer_field.parent, serializer_field.method_name), "field")
    if declared is not None:
        return _declared_type(declared)
    for field_class, table_type in TYPES_BY_FIELD:
        if isinstance(serializer_field, field_class):
            return table_type
    return "string"


def _model_field(serializer_field: serializers.Field) -> Any:
    model = getattr(getattr(serializer_field.parent, "Meta", None), "model", None)
    source = serializer_field.source
    if model is None or not source or source == "*" or "." in source:
        return None
    try:
        return model._meta.get_field(source)
    except Exception:  # a property or an annotation: no model field to describe it
        return None


def field_description(serializer_field: serializers.Field) -> str:
    """The codebook entry: the serializer's help text, else the model field's, else its verbose name."""
    model_field = _model_field(serializer_field)
    for text in (
        serializer_field.help_text,
        getattr(model_field, "help_text", ""),
        getattr(model_field, "verbose_name", ""),
        serializer_field.label,
    ):
        if text:
            text = str(text)
            return text[0].upper() + text[1:]
    return serializer_field.field_name.replace("_", " ").capitalize()


def column_descriptor(column: CSVColumn) -> dict[str, Any]:
    """The Table Schema field of one column."""
    descriptor: dict[str, Any] = {"name": column.name, "type": field_type(column.field, many=column.many)}
    description = field_description(column.field)
    if column.parent:
        parent = column.field.parent
        outer = parent.parent if isinstance(parent.parent, serializers.ListSerializer) else parent
        outer_text = (field_description(outer) if outer.field_name else column.parent).rstrip(".")
        joined = ' ("; "-separated, one per item)' if column.many else ""
        description = f"{outer_text}: {description[0].lower()}{description[1:].rstrip('.')}{joined}."
    elif descriptor["type"] == "string" and isinstance(column.field, serializers.ManyRelatedField):
        description = f'{description.rstrip(".")} ("; "-separated).'
    descriptor["description"] = description
    choices = getattr(column.field, "choices", None)
    if choices and not column.many and isinstance(column.field, serializers.ChoiceField):
        descriptor["constraints"] = {"enum": [str(value) for value in choices if value != ""]}
    return descriptor


def table_schema(table: Table) -> dict[str, Any]:
    """The Table Schema of one table: its columns, key and references."""
    columns = csv_column_fields(table.serializer_class(context={"request": None}))
    schema: dict[str, Any] = {
        "fields": [column_descriptor(column) for column in columns],
        "missingValues": [""],
        "primaryKey": list(table.key),
    }
    if table.references:
        schema["foreignKeys"] = [
            {"fields": column, "reference": {"resource": target, "fields": "slug"}}
            for column, target in table.references
        ]
    return schema


# --- Reading the rows -----------------------------------------------------------------------


def table_rows(table: Table, *, progress: bool = False) -> Iterator[dict[str, Any]]:
    """The table's rows, one ``{column: value}`` per published record, in key order."""
    serializer = table.serializer_class(context={"request": None})
    columns = csv_columns_of(serializer)
    queryset = table.queryset()
    with tqdm(
        total=queryset.count(), desc=table.name, unit="row", file=sys.stderr, disable=not progress, leave=False
    ) as bar:
        for obj in queryset.iterator(chunk_size=BATCH_SIZE):
            represented = serializer.to_representation(obj)
            yield {name: getter(represented) for name, getter in columns.items()}
            bar.update()


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, default=str, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@dataclass
class Manifest:
    """Per table, record key -> (digest of the row, {column: short digest of its value})."""

    records: dict[str, dict[str, tuple[str, dict[str, str]]]] = field(default_factory=dict)

    def add(self, table: Table, row: dict[str, Any]) -> None:
        columns = {name: _digest(value)[:COLUMN_DIGEST_LENGTH] for name, value in row.items()}
        self.records.setdefault(table.name, {})[table.record_key(row)] = (_digest(row), columns)

    def counts(self) -> dict[str, int]:
        return {table.name: len(self.records.get(table.name, {})) for table in TABLES}


# --- Writing the files ----------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenFile:
    name: str
    media_type: str
    size: int
    sha256: str


def file_facts(path: Path) -> WrittenFile:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return WrittenFile(path.name, MEDIA_TYPES[path.suffix], path.stat().st_size, digest.hexdigest())


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return value


def _create_sqlite_table(database: sqlite3.Connection, table: Table, schema: dict[str, Any]) -> str:
    def quoted(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    columns = [f"{quoted(f['name'])} {SQLITE_TYPES.get(f['type'], 'TEXT')}" for f in schema["fields"]]
    key = ", ".join(quoted(name) for name in table.key)
    database.execute(f"CREATE TABLE {quoted(table.sql_name)} ({', '.join(columns)}, PRIMARY KEY ({key}))")
    placeholders = ", ".join("?" for _ in schema["fields"])
    return f"INSERT INTO {quoted(table.sql_name)} VALUES ({placeholders})"


def write_tables(directory: Path, *, progress: bool = False) -> tuple[Manifest, dict[str, dict[str, Any]]]:
    """Write every table's CSV and the SQLite file into ``directory``; return the manifest and each
    table's Table Schema."""
    manifest = Manifest()
    schemas: dict[str, dict[str, Any]] = {}
    database = sqlite3.connect(directory / SQLITE_NAME)
    try:
        for table in tqdm(TABLES, desc="Tables", unit="table", file=sys.stderr, disable=not progress):
            schema = schemas[table.name] = table_schema(table)
            insert = _create_sqlite_table(database, table, schema)
            columns = {name: _cell_of(name) for name in (f["name"] for f in schema["fields"])}
            current: list[dict[str, Any]] = []
            lines = csv_rows(_recorded(table_rows(table, progress=progress), table, manifest, current), columns)
            with (directory / f"{table.name}.csv").open("w", encoding="utf-8", newline="") as handle:
                # The API's CSV writer: header first, lists "; "-joined, formula-like text made inert.
                handle.write(next(lines))
                for line in lines:  # csv_rows writes each row as soon as it has read it: current[0]
                    handle.write(line)
                    database.execute(insert, [_sqlite_value(value) for value in current[0].values()])
        database.commit()
    finally:
        database.close()
    return manifest, schemas


def _cell_of(name: str) -> Any:
    return lambda row: row[name]


def _recorded(
    rows: Iterable[dict[str, Any]], table: Table, manifest: Manifest, current: list[dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """The rows, each added to the manifest and kept in ``current`` while it is written."""
    for row in rows:
        manifest.add(table, row)
        current[:] = [row]
        yield row


# --- The Data Package -------------------------------------------------------------------------


def _register_licence() -> dict[str, str]:
    return {"name": REGISTER_LICENCE_NAME, "path": REGISTER.licence_url, "title": REGISTER.licence}


def _register_source() -> dict[str, str]:
    return {"title": REGISTER.credit, "path": REGISTER.url}


def package_sources() -> list[dict[str, str]]:
    """Where the data comes from: mySociety's register (its licence asks for the credit) and the
    library's source documents, as the sources table lists them."""
    documents = Source.objects.public().filter(kind=Source.Kind.SOURCE_DOCUMENT).order_by("slug")
    found = [
        {"title": ", ".join(part for part in (document.title, document.publisher, str(document.year or "")) if part)}
        | ({"path": document.url} if document.url else {})
        for document in documents
    ]
    return [_register_source(), *found]


def package_descriptor(
    *,
    number: int,
    created: str,
    citation: str,
    notes: str,
    schemas: dict[str, dict[str, Any]],
    files: dict[str, WrittenFile],
) -> dict[str, Any]:
    """``datapackage.json``: the release's tables with their Table Schemas, checksums and sources."""
    resources = []
    for table in TABLES:
        written = files[f"{table.name}.csv"]
        resource: dict[str, Any] = {
            "name": table.name,
            "path": written.name,
            "profile": "tabular-data-resource",
            "title": table.title,
            "description": table.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": written.size,
            "hash": f"sha256:{written.sha256}",
            "schema": schemas[table.name],
        }
        if table.name == "councils":
            resource["licenses"] = [_register_licence()]
            resource["sources"] = [_register_source()]
        resources.append(resource)
    sqlite = files[SQLITE_NAME]
    description = (
        f"Everything the Council Transformation Library had published when release {number} was made: "
        f"one CSV per table, described here, and the same tables in {SQLITE_NAME} "
        f"(SHA-256 {sqlite.sha256}). Cite it as: {citation}."
    )
    return {
        "profile": "tabular-data-package",
        "name": "council-transformation-library",
        "title": f"Council Transformation Library, release {number}",
        "version": str(number),
        "created": created,
        "description": f"{description} {notes}".strip(),
        "keywords": ["local government", "transformation", "councils", "case studies", "UK"],
        "sources": package_sources(),
        "resources": resources,
    }
