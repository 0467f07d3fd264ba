"""Read replicas for real: a streaming replica of the test database (``.ci/replica.sh``, started by
CI, which sets ``TEST_REPLICA_URL``), a lag made by pausing its replay, and a replica that stops.

The tests write through committed transactions (``transactional_db``): rows a test transaction
has not committed never reach a replica. Without ``TEST_REPLICA_URL`` they are skipped, except
under CI, where they fail (tests/helpers/ci_services.py). The fall-back to the primary is also
tested against a port where nothing listens, which needs no replica.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse

from casestudies.models import CaseStudy
from config import db_router
from tests.factories import CaseStudyFactory
from tests.helpers.admin_form_data import change_form_data
from tests.helpers.ci_services import service_url
from tests.helpers.replicas import ALIAS, replica_alias

REPLICA_SCRIPT = settings.BASE_DIR / ".ci" / "replica.sh"

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, ALIAS])]


@pytest.fixture(autouse=True)
def _no_replica_known_down(monkeypatch) -> None:
    monkeypatch.setattr(db_router, "_unavailable_until", {})


@pytest.fixture(autouse=True)
def _every_answer_computed(settings) -> None:
    """No library cache: each request reads the database, so each answer shows where it read."""
    settings.LIBRARY_CACHE_SECONDS = 0


def replica_query(sql: str, params: list | None = None) -> object:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def wait_until_caught_up(timeout: float = 30) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while not replica_query("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
        if time.monotonic() > deadline:
            pytest.fail(f"the replica did not replay up to {target} within {timeout} s")
        time.sleep(0.05)


@contextmanager
def replica_lagging() -> Iterator[None]:
    """The replica stops applying what the primary writes (it still receives it) until the end."""
    replica_query("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        replica_query("SELECT pg_wal_replay_resume()")


@pytest.fixture(scope="module")
def _replica_declared(django_db_setup) -> Iterator[str]:
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://…)")
    url = service_url(
        "TEST_REPLICA_URL", "start a replica with `.ci/replica.sh start`, then TEST_REPLICA_URL=$(.ci/replica.sh url)"
    )
    with replica_alias(url) as alias:
        yield alias


@pytest.fixture
def streaming_replica(_replica_declared) -> str:
    """The replica, with everything the primary has written so far replayed."""
    wait_until_caught_up()
    return _replica_declared


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [row["title"] for row in response.json()["results"]]


def test_the_replica_is_a_read_only_standby(streaming_replica) -> None:
    assert replica_query("SELECT pg_is_in_recovery()") is True
    assert replica_query("SHOW transaction_read_only") == "on"


def test_anonymous_reads_come_from_the_replica(streaming_replica, anon_client) -> None:
    CaseStudyFactory(title="Replicated")
    wait_until_caught_up()
    with replica_lagging():
        CaseStudyFactory(title="Not replayed yet")
        assert titles(anon_client.get("/api/v1/case-studies/")) == ["Replicated"]


def test_a_curator_write_goes_to_the_primary(streaming_replica, curator_client) -> None:
    case = CaseStudyFactory(title="Before")
    wait_until_caught_up()
    url = reverse("admin:casestudies_casestudy_change", args=[case.pk])
    data = change_form_data(curator_client.get(url))
    with replica_lagging():
        data["title"] = "Saved by the curator"
        assert curator_client.post(url, data).status_code == 302
        assert CaseStudy.objects.using(DEFAULT_DB_ALIAS).get(pk=case.pk).title == "Saved by the curator"
        assert CaseStudy.objects.using(streaming_replica).get(pk=case.pk).title == "Before"


def test_a_curator_sees_their_own_write_at_once_while_the_replica_lags(
    streaming_replica, curator_client, anon_client
) -> None:
    case = CaseStudyFactory(title="Before")
    wait_until_caught_up()
    url = reverse("admin:casestudies_casestudy_change", args=[case.pk])
    data = change_form_data(curator_client.get(url))
    with replica_lagging():
        data["title"] = "Saved just now"
        curator_client.post(url, data)
        assert "Saved just now" in curator_client.get(case.get_absolute_url()).content.decode()
        assert "Saved just now" not in anon_client.get(case.get_absolute_url()).content.decode()


@contextmanager
def replica_stopped() -> Iterator[None]:
    subprocess.run([REPLICA_SCRIPT, "stop"], check=True, capture_output=True)
    try:
        yield
    finally:
        subprocess.run([REPLICA_SCRIPT, "start"], check=True, capture_output=True)


def test_a_stopped_replica_makes_reads_fall_back_to_the_primary(streaming_replica, anon_client) -> None:
    assert titles(anon_client.get("/api/v1/case-studies/")) == []  # read from the replica: it answers
    with replica_stopped():
        CaseStudyFactory(title="Written while the replica is down")
        assert titles(anon_client.get("/api/v1/case-studies/")) == ["Written while the replica is down"]
        assert anon_client.get("/case-studies/").status_code == 200
        health = anon_client.get("/healthz")
        assert (health.status_code, health.json()["replicas"]) == (200, {ALIAS: "unreachable"})
