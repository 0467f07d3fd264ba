"""Shared pytest fixtures: personas, speed knobs and common data."""

from __future__ import annotations

import collections
import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from casestudies.models import CaseStudy, Figure
from councils.models import Council
from tests.factories import (
    CaseStudyFactory,
    ContactFactory,
    CouncilFactory,
    FigureFactory,
    FindingFactory,
    ModelPointFactory,
    OutcomeFactory,
    PartnershipFactory,
    ProgrammeFactory,
    ServiceAreaFactory,
    SourceFactory,
    SurveyFactory,
    ThemeFactory,
    TransformationModelFactory,
    UserFactory,
    make_case_studies,
)
from tests.helpers.curators import verified_client


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server() -> Iterator[None]:
    """The live server (browser tests) builds its middleware once, before any function-scoped
    settings override applies, so its HTTPS redirect must be off for the whole session."""
    from django.conf import settings

    original = settings.SECURE_SSL_REDIRECT
    settings.SECURE_SSL_REDIRECT = False
    yield
    settings.SECURE_SSL_REDIRECT = original


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Test-only: no statement timeout on the test connections. The suite's own work (flushing the
    database after a transactional test, building large benchmark libraries) is not a public
    request, and a loaded CI machine must not fail it at 5 s. The timeout itself is tested on
    connections of its own (tests/config/test_database_outage.py)."""
    from django.conf import settings

    for database in settings.DATABASES.values():
        options = database.get("OPTIONS", {})
        if "statement_timeout" in options.get("options", ""):
            options["options"] += " -c statement_timeout=0"  # the last -c of a setting wins


@pytest.fixture(autouse=True)
def _fast_test_settings(settings) -> None:
    """Test-only speed knobs: fast hashing, local cache, plain static storage.

    The suite runs with debugging off, so the HTTPS redirect is on by default; the test client
    speaks plain HTTP, so it is turned off here (tests/config/test_secure_defaults.py checks the
    production defaults).
    """
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: cached counts, facets and responses of one test's
    data (rolled back at its end) must not answer another test's requests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anon_client() -> Client:
    return Client()


@pytest.fixture
def curator(db):
    return UserFactory(username="curator", is_staff=True, is_superuser=True)


@pytest.fixture
def curator_client(curator) -> Client:
    """The curator, signed in with password and second factor (tests/helpers/curators.py)."""
    return verified_client(curator)


@pytest.fixture
def second_curator_client() -> Client:
    """Another curator (Sam Jones), signed in: the one who saves first in the locking tests."""
    return verified_client(
        UserFactory(username="sam", first_name="Sam", last_name="Jones", is_staff=True, is_superuser=True)
    )


# --- API data -------------------------------------------------------------------------------------


@pytest.fixture
def api(anon_client: Client):
    """GET an API path and return the response (JSON decoded by ``.json()``)."""

    def get(path: str, data: dict[str, Any] | None = None, **extra: Any):
        return anon_client.get(f"/api/v1/{path}", data or {}, **extra)

    return get


@pytest.fixture
def library(db) -> dict[str, Any]:
    """A small library: two models, three councils, four published case studies and a draft."""
    sharing = TransformationModelFactory(slug="sharing", name="Sharing", display_order=5)
    holistic = TransformationModelFactory(slug="holistic", name="Holistic", display_order=6)
    waste = ServiceAreaFactory(slug="waste", name="Waste")
    care = ServiceAreaFactory(slug="adult-social-care", name="Adult social care")
    suffolk = CouncilFactory(slug="suffolk", name="Suffolk", council_type=Council.Type.COUNTY, region="east_of_england")
    barnet = CouncilFactory(slug="barnet", name="Barnet", council_type=Council.Type.LONDON_BOROUGH, region="london")
    wychavon = CouncilFactory(
        slug="wychavon", name="Wychavon", council_type=Council.Type.DISTRICT, region="west_midlands"
    )
    both = CaseStudyFactory(
        slug="both-models",
        title="A shared and holistic council",
        models=[sharing, holistic],
        councils=[suffolk, wychavon],
        service_areas=[waste],
        start_year=2010,
    )
    shared = CaseStudyFactory(
        slug="shared", title="Shared services", models=[sharing], councils=[wychavon], start_year=2012
    )
    holistic_case = CaseStudyFactory(
        slug="holistic-barnet",
        title="Barnet one council",
        models=[holistic],
        councils=[barnet],
        service_areas=[care],
        start_year=2014,
    )
    proposal = CaseStudyFactory(
        slug="proposal", title="A proposal", models=[sharing], councils=[barnet], stage="proposal", start_year=2016
    )
    draft = CaseStudyFactory(slug="secret-draft", title="Draft", status="draft", models=[sharing], councils=[suffolk])
    FigureFactory(case_study=both, amount_low=1_000_000, amount_high=2_000_000, status="achieved")
    FigureFactory(case_study=shared, amount_low=500_000, amount_high=500_000, status="expected")
    FigureFactory(case_study=holistic_case, kind="income", amount_low=300_000, amount_high=300_000)
    FigureFactory(case_study=draft, amount_low=9_000_000, amount_high=9_000_000)
    ContactFactory(case_study=both, name="Alex Public")
    ContactFactory(case_study=both, name="Hidden Person", is_public=False)

    return {"sharing": sharing, "holistic": holistic, "both": both, "draft": draft, "proposal": proposal}


@pytest.fixture
def many(library) -> None:
    """Enough rows that a page of 2 and a page of 20 differ (the API query-count tests)."""
    area = ServiceAreaFactory(slug="libraries")
    for _ in range(25):
        case = CaseStudyFactory(
            councils=[CouncilFactory(), CouncilFactory()], models=[library["sharing"]], service_areas=[area]
        )
        FigureFactory(case_study=case)
        ContactFactory(case_study=case)
    for _ in range(3):
        ThemeFactory().transformation_models.add(library["sharing"])
        FindingFactory(survey=SurveyFactory())
        ProgrammeFactory()
        PartnershipFactory().members.set([CouncilFactory(), CouncilFactory()])


# --- Web page data --------------------------------------------------------------------------------


@pytest.fixture
def sharing(db):
    return TransformationModelFactory(slug="sharing", name="Sharing", definition="Councils share services.")


@pytest.fixture
def commissioning(db):
    return TransformationModelFactory(slug="commissioning", name="Commissioning", definition="Councils commission.")


@pytest.fixture
def library_of(sharing, commissioning):
    def build(count: int) -> list[CaseStudy]:
        return make_case_studies(count, [sharing, commissioning])

    return build


@pytest.fixture
def full_case_study(sharing):
    """A case study with everything its page shows, and a council abolished since."""
    successor = CouncilFactory(name="New Unitary Council", slug="new-unitary", council_type=Council.Type.UNITARY)
    old = CouncilFactory(
        name="Old District Council", slug="old-district", abolished_on=datetime.date(2019, 4, 1), successors=[successor]
    )
    source = SourceFactory(title="Local Authority Transformational Models", author="Localis", year=2016)
    case_study = CaseStudyFactory(
        title="Shared refuse service",
        slug="shared-refuse",
        councils=[old],
        models=[sharing],
        source=source,
        source_section="2.4.1",
    )
    FigureFactory(
        case_study=case_study,
        amount_low=2_000_000,
        amount_high=3_000_000,
        period=Figure.Period.PER_YEAR,
        status=Figure.Status.EXPECTED,
        quote="The council expects to save £2-3 million per year.",
    )
    FigureFactory(
        case_study=case_study,
        amount_low=None,
        amount_high=165_000_000,
        period=Figure.Period.TOTAL,
        period_years=10,
        quote="Savings of up to £165 million over ten years.",
    )
    OutcomeFactory(case_study=case_study, metric="Apprenticeships created")
    ContactFactory(case_study=case_study, council=old, name="Alex Officer", email="alex@old.example.gov.uk")
    ContactFactory(case_study=case_study, name="Hidden Person", is_public=False)
    case_study.further_reading.add(SourceFactory(title="Shared Services in Local Government"))
    ModelPointFactory(model=sharing, text="Economies of scale")
    return case_study


@pytest.fixture
def postgres_only(db) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://…)")


def pytest_collection_modifyitems(config, items) -> None:
    """Tests marked ``postgres`` skip themselves on other databases."""
    for item in items:
        if "postgres" in item.keywords:
            item.fixturenames.append("postgres_only")


def pytest_collection_finish(session) -> None:
    """Every test needs an id of its own: pytest-xdist (``make test``) schedules tests by id and
    would run only one of several that share it, silently (schemathesis' parametrize does that)."""
    counts = collections.Counter(item.nodeid for item in session.items)
    shared = sorted(nodeid for nodeid, count in counts.items() if count > 1)
    if shared:
        raise pytest.UsageError(f"Tests that share an id (give each its own): {', '.join(shared[:5])}")
