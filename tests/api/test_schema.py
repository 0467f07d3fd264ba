"""The OpenAPI schema is valid, and the API keeps the promises it makes (schemathesis)."""

from __future__ import annotations

import functools
import json

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from casestudies.models import SUMMARY_GROUPS
from config.wsgi import application
from tests.factories import make_varied_library

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
    """The schema exactly as /api/v1/schema/ serves it (built without a request or the database),
    a fresh copy each time."""
    return json.loads(_own_schema_json())


@functools.cache
def _own_schema_json() -> bytes:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))


schema = schemathesis.openapi.from_dict(_own_schema()).include(method="GET")
schema.app = application


@pytest.fixture
def varied_library(db) -> dict[str, list[str]]:
    """Nulls, empty lists and every enum value (tests/factories.py, ``make_varied_library``)."""
    return make_varied_library()


@pytest.fixture
def fuzzing(varied_library, settings):
    """Varied data, any host name (schemathesis calls the WSGI app as localhost), no rate limit.

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


def _schema_test_of(path: str):
    """schemathesis' examples, coverage and fuzzing phases for the GET operation on ``path``."""

    operation = schemathesis.openapi.from_dict(_own_schema()).include(method="GET", path=path)
    operation.app = application

    @operation.parametrize()
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    def test(case, fuzzing) -> None:
        # Filter slugs (model, council, ...) cannot be enumerated in a static schema, so a random
        # string is "valid" to the schema but an unknown value to us: a documented 400, not a bug.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    return test


# One test function per operation, each with a name of its own: schemathesis gives every operation
# of one parametrized function the same test id, and pytest-xdist (make test runs the suite on
# several workers) would then run only one of them.
for _path in _own_schema()["paths"]:
    globals()["test_api_honours_its_schema_" + _path.strip("/").replace("/", "_").replace("{", "").replace("}", "")] = (
        _schema_test_of(_path)
    )


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


OWN_PATHS = _own_schema()["paths"]


def _operations() -> list[tuple[str, str]]:
    """(path template, resource) of every GET operation of the schema."""
    return [(path, path.removeprefix("/api/v1/").split("/")[0]) for path in OWN_PATHS if "get" in OWN_PATHS[path]]


def _pages(path: str) -> bool:
    return any(parameter["name"] == "page_size" for parameter in OWN_PATHS[path]["get"].get("parameters", []))


def _offers_csv(path: str) -> bool:
    return "text/csv" in OWN_PATHS[path]["get"]["responses"]["200"].get("content", {})


@pytest.fixture
def a_release(varied_library, settings, tmp_path):
    """A published release of the varied library (for /api/v1/releases/{number}/ and changes/)."""
    from releases.services import release_publish

    settings.RELEASES_ROOT = tmp_path / "releases"
    return release_publish(notes="For the schema checks")


def test_every_detail_operation_is_checked_below() -> None:
    """A new endpoint with a {slug} joins the conformance test through make_varied_library's slugs."""
    details = {resource for path, resource in _operations() if "{slug}" in path}
    assert details == {
        "transformation-models",
        "councils",
        "partnerships",
        "programmes",
        "service-areas",
        "case-studies",
        "surveys",
        "themes",
    }


@pytest.mark.parametrize(("path", "resource"), _operations())
def test_every_record_answers_what_the_schema_says(fuzzing, varied_library, a_release, path, resource) -> None:
    """Every list (all filters off, JSON and CSV where offered) and every record of the varied library
    conforms to the schema: types, nullability, enums, required fields (schemathesis' response checks)."""
    operation = schema[path]["GET"]
    if "{slug}" in path:
        cases = [operation.Case(path_parameters={"slug": slug}) for slug in varied_library[resource]]
    elif "{number}" in path:
        cases = [operation.Case(path_parameters={"number": a_release.number})]
    elif path == "/api/v1/releases/changes/":
        slug = varied_library["case-studies"][0]
        cases = [operation.Case(query={"since": a_release.number, "table": "case-studies", "record": slug})]
    elif path.endswith("/summary/"):
        cases = [operation.Case(query={"group_by": group}) for group in SUMMARY_GROUPS]
    elif _pages(path):
        cases = [operation.Case(query={"page_size": 100})]
        if _offers_csv(path):
            cases.append(operation.Case(query={"format": "csv"}))
    else:
        cases = [operation.Case()]
    for case in cases:
        response = case.call_and_validate()
        assert response.status_code == 200, (case.path_parameters, case.query, response.text[:500])


@pytest.mark.parametrize("component", ["Figure", "CaseFigure"])
def test_schema_says_a_figures_low_may_be_null(component) -> None:
    low = _own_schema()["components"]["schemas"][component]["properties"]["low"]
    assert (low["type"], low.get("nullable")) == ("number", True)


@pytest.mark.parametrize(("path", "resource"), _operations())
def test_every_operation_describes_every_answer(path, resource) -> None:
    responses = OWN_PATHS[path]["get"]["responses"]
    assert {"200", "400", "404", "406", "429"} <= set(responses)
    for code in ("400", "404", "406", "429"):
        assert "application/json" in responses[code]["content"]


def test_schema_declares_every_choice_as_an_enum() -> None:
    """Each choice field of the models in the API appears as an enum with every value."""
    from casestudies.models import CaseStudy, Figure, FigureKind, FigurePeriod, Outcome
    from councils.models import CouncilType, Region
    from surveys.models import FindingCategory

    enums = [tuple(schema.get("enum", ())) for schema in _own_schema()["components"]["schemas"].values()]
    for choices in (
        CouncilType,
        Region,
        FigureKind,
        FigurePeriod,
        Figure.Measure,
        Figure.Status,
        Outcome.Status,
        CaseStudy.Stage,
        FindingCategory,
    ):
        assert tuple(choices.values) in enums, choices


def test_every_detail_example_is_a_record_of_the_curated_library() -> None:
    """The schema's example slugs (``example_slug`` on the viewsets) name records in fixtures/."""
    from pathlib import Path

    from django.conf import settings as django_settings

    curated = {
        (row["model"], row["fields"]["slug"])
        for path in sorted(Path(django_settings.BASE_DIR, "fixtures").glob("*.json"))
        for row in json.loads(path.read_text())
        if "slug" in row.get("fields", {})
    }
    models = {
        "transformation-models": "transform_models.transformationmodel",
        "themes": "transform_models.theme",
        "councils": "councils.council",
        "partnerships": "councils.partnership",
        "case-studies": "casestudies.casestudy",
        "programmes": "casestudies.programme",
        "service-areas": "casestudies.servicearea",
        "surveys": "surveys.survey",
    }
    for path, resource in _operations():
        if "{slug}" in path:
            (parameter,) = [p for p in OWN_PATHS[path]["get"]["parameters"] if p["name"] == "slug"]
            assert (models[resource], parameter["example"]) in curated, path


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/figures/", "min_annual"),
        ("/api/v1/figures/", "max_annual"),
        ("/api/v1/figures/summary/", "min_annualised"),
        ("/api/v1/case-studies/", "min_annual_saving"),
    ],
)
def test_whole_number_parameters_are_integers_in_the_schema(path, name) -> None:
    (parameter,) = [p for p in OWN_PATHS[path]["get"]["parameters"] if p["name"] == name]
    assert parameter["schema"]["type"] == "integer"  # the server refuses 1.5
