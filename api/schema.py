"""How the API describes itself: the OpenAPI schema class, filter bounds, the root listing."""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_media_type_object
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api.parameters import StrictQueryMixin

# --- Schema ------------------------------------------------------------------------------------

ERROR_SCHEMA = {
    "type": "object",
    "description": ('What went wrong: {"detail": "message"}, or for bad parameters {"parameter": ["message", ...]}.'),
    "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
    },
}


class APIAutoSchema(AutoSchema):
    """Documents what every operation can answer: CSV on lists, and the JSON error bodies.

    Works on the finished operation (``get_operation``, drf-spectacular's public hook), so no
    private step of the schema generator is overridden."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        ok = responses.get("200", {})
        if "text/csv" in ok.get("content", {}):
            ok["content"]["text/csv"] = build_media_type_object(
                {"type": "string", "description": "One row per item, header first; the whole filtered list."}
            )
            operation.setdefault("parameters", []).append(FORMAT_PARAMETER)
        example_slug = getattr(self.view, "example_slug", None)
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["name"] == "slug" and example_slug:
                parameter["example"] = example_slug
        for code, description in ERROR_RESPONSES.items():
            responses.setdefault(
                code,
                {"content": {"application/json": build_media_type_object(ERROR_SCHEMA)}, "description": description},
            )
        return operation


ERROR_RESPONSES = {
    "400": "A parameter is invalid; the body names it and says what is allowed.",
    "404": "No such item, or a page past the last one.",
    "406": "A format this endpoint does not offer; the body lists those it does.",
    "429": "Too many requests; retry after the number of seconds in Retry-After.",
}
FORMAT_PARAMETER = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": "csv for a CSV export of the whole filtered list (also: Accept: text/csv).",
    "schema": {"type": "string", "enum": ["json", "csv"]},
}


# A slug filter's value: a slug, or empty for no filter.
SLUG_VALUE_PATTERN = "^[-a-zA-Z0-9_]*$"


class BoundedDjangoFilterExtension(DjangoFilterExtension):
    """django-filter parameters in the schema, with the bounds the filters enforce."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        from django_filters import filters

        from api.filters import BOOLEAN_VALUES, SlugChoiceFilter, WholeNumberFilter

        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        if isinstance(filter_field, filters.BooleanFilter):
            for parameter in parameters:
                # Exactly what StrictBooleanField accepts; empty is no filter (a form's "Any").
                parameter["schema"] = {"type": "string", "enum": [*BOOLEAN_VALUES, ""]}
        if isinstance(filter_field, WholeNumberFilter):
            for parameter in parameters:
                parameter["schema"]["type"] = "integer"  # "1.5" is a 400
                parameter["schema"].pop("format", None)
        if isinstance(filter_field, SlugChoiceFilter):
            for parameter in parameters:
                schema = parameter["schema"]
                target = schema.get("items", schema) if schema.get("type") == "array" else schema
                target["pattern"] = SLUG_VALUE_PATTERN
        bounds = {"min_value": "minimum", "max_value": "maximum", "max_length": "maxLength"}
        for parameter in parameters:
            schema = parameter["schema"]
            target = schema.get("items", schema) if schema.get("type") == "array" else schema
            for extra, keyword in bounds.items():
                if filter_field.extra.get(extra) is not None:
                    target[keyword] = filter_field.extra[extra]
        return parameters


# --- Root ------------------------------------------------------------------------------------


API_ENDPOINTS = (
    ("transformation-models", "api:transformationmodel-list"),
    ("councils", "api:council-list"),
    ("case-studies", "api:casestudy-list"),
    ("case-study-facets", "api:casestudy-facets"),
    ("figures", "api:figure-list"),
    ("figure-summary", "api:figure-summary"),
    ("surveys", "api:survey-list"),
    ("programmes", "api:programme-list"),
    ("partnerships", "api:partnership-list"),
    ("themes", "api:theme-list"),
    ("service-areas", "api:servicearea-list"),
    ("releases", "api:release-list"),
    ("schema", "api:schema"),
    ("docs", "api:docs"),
    ("console", "api:console"),
)


ATTRIBUTION_SCHEMA = {
    "type": "array",
    "description": "Data sets this API republishes, with the credit and licence each asks for.",
    "items": {
        "type": "object",
        "properties": {
            name: {"type": "string", **({"format": "uri"} if name.endswith("url") else {})}
            for name in ("title", "publisher", "release", "url", "licence", "licence_url", "used_for", "credit")
        },
    },
}


class APIRootView(StrictQueryMixin, APIView):
    """Every endpoint of the API, version 1, and the credit for the data sets it republishes."""

    # Set by the URL root (config/ imports no app): a list of ``{"title", "publisher", ..., "credit"}``.
    attributions: tuple[dict[str, str], ...] = ()

    @extend_schema(
        responses={
            200: {
                "type": "object",
                "properties": {"attribution": ATTRIBUTION_SCHEMA},
                "additionalProperties": {"type": "string", "format": "uri"},
            }
        },
        summary="List every endpoint",
    )
    def get(self, request: Request) -> Response:
        endpoints = {name: reverse(url_name, request=request) for name, url_name in API_ENDPOINTS}
        return Response({**endpoints, "attribution": list(self.attributions)})


class APINotFoundView(APIView):
    """Any other path under /api/v1/: a JSON 404, like every other API error."""

    schema = None

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise NotFound("No such endpoint. The list of endpoints is at /api/v1/.")
