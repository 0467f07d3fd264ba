"""The OpenAPI schema is valid, and the API keeps the promises it makes (schemathesis)."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings(tmp_path) -> None:
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/case-studies/facets/" in (tmp_path / "schema.yaml").read_text()


def test_api_console_serves_swagger_from_this_site(api) -> None:
    response = api("docs/console/")
    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in response.content
    assert b"cdn" not in response.content.lower()


def _own_schema() -> dict:
    """The schema exactly as /api/v1/schema/ serves it (built without a request or the database)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


schema = schemathesis.openapi.from_dict(_own_schema()).include(method="GET")
schema.app = application


@pytest.fixture
def fuzzing(library, settings):
    """Seeded data, any host name (schemathesis calls the WSGI app as localhost), no rate limit.

    Like Django's test client, keep the end of a request from closing the test's database
    connection (it is inside the test transaction).
    """
    settings.ALLOWED_HOSTS = ["*"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_honours_its_schema(case, fuzzing) -> None:
    # Filter slugs (model, council, ...) cannot be enumerated in a static schema, so a random
    # string is "valid" to the schema but an unknown value to us: a documented 400, not a bug.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


def test_schema_run_covers_coverage_and_fuzzing_phases_with_invalid_data() -> None:
    """Issue 7 asks for both phases, with valid *and* invalid data; keep them switched on."""
    from schemathesis.generation.modes import GenerationMode

    operation = next(iter(schema.get_all_operations())).ok()
    phases = schema.config.phases_for(operation=operation)
    assert phases.examples.enabled and phases.coverage.enabled and phases.fuzzing.enabled
    assert set(schema.config.generation_for(operation=operation).modes) == {
        GenerationMode.POSITIVE,
        GenerationMode.NEGATIVE,
    }
