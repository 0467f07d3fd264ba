"""A cache outage is not an outage: with Redis stopped or unreachable every page and API answer is
served uncached, curators can still save, and /healthz says what is down (a real Redis we stop)."""

from __future__ import annotations

import logging
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
from django.urls import reverse

from config.settings import cache_backend
from tests.factories import CaseStudyFactory
from tests.helpers.admin_form_data import change_form_data
from tests.helpers.ci_services import program

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/case-studies/", "/api/v1/case-studies/"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_server() -> Iterator[tuple[subprocess.Popen, int]]:
    """A Redis of this test's own, on a free loopback port, that the test may stop (skipped without
    redis-server, except under CI)."""
    server = program("redis-server")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield process, port
    process.terminate()
    process.wait(timeout=5)


@pytest.fixture
def library_cached_in(settings):
    def use(port: int) -> None:
        settings.CACHES = {"default": cache_backend(f"redis://127.0.0.1:{port}/0")}
        settings.LIBRARY_CACHE_SECONDS = 60

    return use


def test_pages_are_served_from_redis_then_uncached_once_it_stops(anon_client, redis_server, library_cached_in):
    process, port = redis_server
    library_cached_in(port)
    CaseStudyFactory()
    for path in PUBLIC:
        assert anon_client.get(path).status_code == 200
    assert anon_client.get("/api/v1/case-studies/")["X-Library-Cache"] == "hit"

    process.terminate()
    process.wait(timeout=5)

    for path in PUBLIC:
        response = anon_client.get(path)
        assert response.status_code == 200, path
        assert response.get("X-Library-Cache") != "hit"


def test_healthz_reports_the_cache_down_but_stays_200(anon_client, redis_server, library_cached_in):
    process, port = redis_server
    library_cached_in(port)
    assert anon_client.get("/healthz").json()["cache"] == "ok"
    process.terminate()
    process.wait(timeout=5)
    response = anon_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "unavailable", "replicas": {}}


def test_a_dead_port_serves_everything_uncached(anon_client, library_cached_in):
    library_cached_in(free_port())  # nothing listens there
    CaseStudyFactory()
    for path in PUBLIC:
        assert anon_client.get(path).status_code == 200, path
    assert anon_client.get("/healthz").json()["cache"] == "unavailable"


def test_a_curator_can_save_while_redis_is_down(curator_client, redis_server, library_cached_in):
    process, port = redis_server
    library_cached_in(port)
    case = CaseStudyFactory(title="Before")
    process.terminate()
    process.wait(timeout=5)
    url = reverse("admin:casestudies_casestudy_change", args=[case.pk])
    data = change_form_data(curator_client.get(url))
    data["title"] = "Saved during the outage"
    assert curator_client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.title == "Saved during the outage"


def test_an_outage_is_logged_once_a_minute_not_per_request(anon_client, library_cached_in, caplog):
    from config.log_filters import OncePerInterval

    library_cached_in(free_port())
    handler_filter = OncePerInterval(seconds=60)
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        for _ in range(5):
            anon_client.get("/api/v1/case-studies/")
    records = [record for record in caplog.records if record.name == "config.cache"]
    assert records  # django-redis reports each ignored error ...
    passed = [record for record in records if handler_filter.filter(record)]
    assert len(passed) == 1  # ... and the handler lets one through per minute
