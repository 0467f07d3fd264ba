"""A read replica that nobody answers on (a port where nothing listens) is passed over: public
reads fall back to the primary without an error. The real replica, stopped mid-test, is in
test_streaming_replica.py."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from django.db import DEFAULT_DB_ALIAS

from config import db_router
from tests.factories import CaseStudyFactory
from tests.helpers.replicas import ALIAS, replica_alias

# Committed transactions: inside a test transaction every read stays on the primary anyway.
pytestmark = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, ALIAS])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module", autouse=True)
def _dead_replica(django_db_setup) -> Iterator[str]:
    with replica_alias(f"postgres://postgres@127.0.0.1:{free_port()}/library") as alias:
        yield alias


@pytest.fixture(autouse=True)
def _no_replica_known_down(monkeypatch, settings) -> None:
    monkeypatch.setattr(db_router, "_unavailable_until", {})
    settings.LIBRARY_CACHE_SECONDS = 0


@pytest.mark.parametrize("path", ["/api/v1/case-studies/", "/case-studies/"])
def test_a_replica_nobody_answers_on_is_passed_over(anon_client, path) -> None:
    CaseStudyFactory(title="On the primary")
    response = anon_client.get(path)
    assert response.status_code == 200
    assert "On the primary" in response.content.decode()


def test_healthz_reports_the_dead_replica_and_stays_200(anon_client) -> None:
    response = anon_client.get("/healthz")
    assert (response.status_code, response.json()["replicas"]) == (200, {ALIAS: "unreachable"})
