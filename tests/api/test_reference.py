"""/api/v1/docs/: a server-rendered API reference generated from the OpenAPI schema, with the
interactive console (Swagger UI) linked from it (api/reference.py)."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from api.reference import build_reference, type_in_words

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_reference_lists_every_endpoint_of_the_schema(client, schema) -> None:
    html = client.get("/api/v1/docs/").content.decode()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert f"<code>{method.upper()} {path}</code>" in html
            assert f'id="{operation["operationId"]}"' in html


def test_the_reference_lists_every_parameter_with_its_allowed_values(client) -> None:
    html = client.get("/api/v1/docs/").content.decode()
    assert "Parameters of GET /api/v1/case-studies/" in html
    assert "<code>council_type</code>" in html
    assert "<code>london_borough</code> (London borough)" in html  # the value and its label
    assert "Slug of a transformation model; repeat for several (OR)." in html


def test_the_reference_lists_every_record_and_its_fields(client, schema) -> None:
    html = client.get("/api/v1/docs/").content.decode()
    assert 'id="record-CaseStudy"' in html and "Fields of CaseStudy" in html
    assert "Whole pounds per year: the largest achieved per-year saving of the case&#x27;s own councils" in html
    assert 'list of <a class="govuk-link" href="#record-CaseStudyCouncil">CaseStudyCouncil</a>' in html
    paginated = [name for name in schema["components"]["schemas"] if name.startswith("Paginated")]
    assert paginated and not any(f'id="record-{name}"' in html for name in paginated)


def test_the_reference_links_the_console_and_the_schema(client) -> None:
    html = client.get("/api/v1/docs/").content.decode()
    assert 'href="/api/v1/docs/console/"' in html
    assert 'href="/api/v1/schema/"' in html


def test_each_parameter_is_listed_once(schema) -> None:
    for group in build_reference(schema).groups:
        for operation in group.operations:
            names = [(parameter.name) for parameter in operation.parameters]
            assert len(names) == len(set(names)), operation.path


@pytest.mark.parametrize(
    ("fragment", "words"),
    [
        ({"type": "integer", "nullable": True}, "whole number, or null"),
        ({"type": "array", "items": {"type": "string"}}, "list of text"),
        ({"type": "string", "format": "uri"}, "text (uri)"),
        ({"allOf": [{"$ref": "#/components/schemas/StageEnum"}]}, "text"),
        ({"$ref": "#/components/schemas/CaseStudy"}, "CaseStudy"),
    ],
)
def test_types_are_put_in_words(schema, fragment, words) -> None:
    assert type_in_words(fragment, schema["components"]["schemas"]) == words
