"""Shared pytest fixtures: personas, speed knobs and common data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server() -> Iterator[None]:
    """The live server (browser tests) builds its middleware once, before any function-scoped
    settings override applies, so its HTTPS redirect must be off for the whole session."""
    from django.conf import settings

    original = settings.SECURE_SSL_REDIRECT
    settings.SECURE_SSL_REDIRECT = False
    yield
    settings.SECURE_SSL_REDIRECT = original


@pytest.fixture(autouse=True)
def _fast_test_settings(settings) -> None:
    """Test-only speed knobs: fast hashing, local cache, plain static storage.

    The suite runs with debugging off, so the HTTPS redirect is on by default; the test client
    speaks plain HTTP, so it is turned off here (tests/reliability checks the production defaults).
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
    client = Client()
    client.force_login(curator)
    return client


@pytest.fixture
def postgres_only(db) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://…)")


def pytest_collection_modifyitems(config, items) -> None:
    """Tests marked ``postgres`` skip themselves on other databases."""
    for item in items:
        if "postgres" in item.keywords:
            item.fixturenames.append("postgres_only")
