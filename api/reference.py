"""The API reference: a server-rendered GOV.UK page generated from the OpenAPI schema.

Swagger UI cannot pass an accessibility audit (it nests buttons in buttons, and its colours and
touch targets fall short of WCAG 2.2 AA), so ``/api/v1/docs/`` is this page: every endpoint with
its parameters and answers, and every record with its fields, all read from the same schema that
``/api/v1/schema/`` serves (drf-spectacular), so nothing is written twice. The interactive console
(Swagger UI) is linked from it, at ``/api/v1/docs/console/``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

REF_PREFIX = "#/components/schemas/"
# drf-spectacular lists a choice's labels in its description: "* `county` - County council".
CHOICE_LINE = re.compile(r"^\* `(?P<value>[^`]*)` - (?P<label>.+)$")


@dataclass
class Choice:
    value: str
    label: str


@dataclass
class Described:
    """A parameter or a field: its name, its type in words, and what it means."""

    name: str
    type: str
    description: str = ""
    required: bool = False
    choices: list[Choice] = field(default_factory=list)
    record: str = ""  # the record it holds, when it holds one (linked)

    @property
    def type_around_record(self) -> tuple[str, str]:
        """The words of :attr:`type` before and after the record's name (``list of``, ``, or null``)."""
        before, _, after = self.type.partition(self.record)
        return before, after


@dataclass
class Answer:
    status: str
    description: str
    media_types: list[str]


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[Described]
    answers: list[Answer]
    returns: str = ""  # the record a 200 JSON answer holds (a list's items), if any
    paginated: bool = False


@dataclass
class Group:
    name: str
    operations: list[Operation]


@dataclass
class Record:
    name: str
    description: str
    fields: list[Described]


@dataclass
class Reference:
    title: str
    version: str
    description: str
    groups: list[Group]
    records: list[Record]


def _ref_name(schema: dict[str, Any]) -> str:
    """The record a schema points to (directly or as ``allOf: [$ref]``), or ''."""
    if "$ref" in schema:
        return schema["$ref"].removeprefix(REF_PREFIX)
    parts = schema.get("allOf") or []
    return _ref_name(parts[0]) if len(parts) == 1 else ""


def _split_choices(description: str) -> tuple[str, list[Choice]]:
    text, choices = [], []
    for line in description.splitlines():
        found = CHOICE_LINE.match(line.strip())
        if found:
            choices.append(Choice(found["value"], found["label"]))
        else:
            text.append(line)
    return "\n".join(text).strip(), choices


def type_in_words(schema: dict[str, Any], components: dict[str, Any]) -> str:
    """``list of text``, ``whole number, or null``, ``CaseStudyCouncil`` …"""
    name = _ref_name(schema)
    if name:
        target = components.get(name, {})
        words = type_in_words(target, components) if "enum" in target else name
    elif "oneOf" in schema:
        words = " or ".join(type_in_words(option, components) for option in schema["oneOf"])
    elif schema.get("type") == "array":
        words = "list of " + type_in_words(schema.get("items", {}), components)
    elif schema.get("type") == "object" and "additionalProperties" in schema:
        words = "object"
    else:
        kind = schema.get("type", "any")
        words = {"string": "text", "integer": "whole number", "number": "number", "boolean": "true or false"}.get(
            kind, kind
        )
        if schema.get("format"):
            words += f" ({schema['format']})"
    if schema.get("nullable"):
        words += ", or null"
    return words


def _choices_of(schema: dict[str, Any], components: dict[str, Any]) -> list[str]:
    """The allowed values of a schema (through a reference or a list), or []."""
    if _ref_name(schema):
        return _choices_of(components.get(_ref_name(schema), {}), components)
    if schema.get("type") == "array":
        return _choices_of(schema.get("items", {}), components)
    return [str(value) for value in schema.get("enum", []) if value not in ("", None)]


def _described(name: str, schema: dict[str, Any], description: str, required: bool, components: dict) -> Described:
    text, labelled = _split_choices(description or schema.get("description", ""))
    enum_description = components.get(_ref_name(schema), {}).get("description", "") if _ref_name(schema) else ""
    if not labelled and enum_description:
        labelled = _split_choices(enum_description)[1]
    labels = {choice.value: choice.label for choice in labelled}
    choices = [Choice(value, labels.get(value, "")) for value in _choices_of(schema, components)]
    item = schema.get("items", {}) if schema.get("type") == "array" else schema
    record = _ref_name(item)
    if record and "enum" in components.get(record, {}):
        record = ""
    return Described(
        name=name,
        type=type_in_words(schema, components),
        description=text,
        required=required,
        choices=choices,
        record=record,
    )


def _returns(answer: dict[str, Any], components: dict[str, Any]) -> tuple[str, bool]:
    """The record a 200 JSON answer holds, and whether it is a page of them."""
    schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
    name = _ref_name(schema)
    results = components.get(name, {}).get("properties", {}).get("results")
    if results and results.get("type") == "array":
        return _ref_name(results.get("items", {})), True
    return name, False


def build_reference(schema: dict[str, Any]) -> Reference:
    """The reference page's content, from an OpenAPI 3 schema (drf-spectacular's)."""
    components = schema.get("components", {}).get("schemas", {})
    groups: dict[str, list[Operation]] = {}
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            seen: set[tuple[str, str]] = set()
            parameters = []
            for parameter in operation.get("parameters", []):
                key = (parameter["name"], parameter["in"])
                if key in seen:
                    continue
                seen.add(key)
                parameters.append(
                    _described(
                        parameter["name"],
                        parameter.get("schema", {}),
                        parameter.get("description", ""),
                        parameter.get("required", False),
                        components,
                    )
                )
            answers = [
                Answer(
                    status=status,
                    description=answer.get("description", ""),
                    media_types=list(answer.get("content", {})),
                )
                for status, answer in operation.get("responses", {}).items()
            ]
            returns, paginated = _returns(operation.get("responses", {}).get("200", {}), components)
            tag = (operation.get("tags") or ["API root"])[0]
            groups.setdefault(tag, []).append(
                Operation(
                    method=method.upper(),
                    path=path,
                    anchor=operation.get("operationId", f"{method}-{path}"),
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parameters=parameters,
                    answers=answers,
                    returns=returns,
                    paginated=paginated,
                )
            )
    records = [
        Record(
            name=name,
            description=_split_choices(component.get("description", ""))[0],
            fields=[
                _described(field_name, field_schema, "", field_name in component.get("required", []), components)
                for field_name, field_schema in component.get("properties", {}).items()
            ],
        )
        for name, component in components.items()
        if component.get("type") == "object" and "results" not in component.get("properties", {})
    ]
    info = schema.get("info", {})
    return Reference(
        title=info.get("title", "API"),
        version=info.get("version", ""),
        description=info.get("description", ""),
        groups=[Group(name, operations) for name, operations in groups.items()],
        records=records,
    )


@functools.cache
def api_reference_content() -> Reference:
    """Built once per process: the schema changes only with a deploy."""
    from drf_spectacular.generators import SchemaGenerator  # not at import time: it loads every viewset

    return build_reference(SchemaGenerator().get_schema(request=None, public=True))


def api_reference(request: HttpRequest) -> HttpResponse:
    """``/api/v1/docs/``: the API reference page."""
    return render(request, "api/reference.html", {"reference": api_reference_content()})
