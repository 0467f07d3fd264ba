"""Routing decisions: replicas for public reads, the primary for writes, admin and read-your-writes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from config import db_router
from config.db_router import PRIMARY, PrimaryPinningMiddleware, PrimaryReplicaRouter
from config.settings import cache_backend, database_replicas

REPLICAS = ["replica_1", "replica_2"]


def fake_model(app_label: str = "casestudies") -> type:
    return type("FakeModel", (), {"_meta": SimpleNamespace(app_label=app_label)})


def fake_instance(db: str | None) -> object:
    return SimpleNamespace(_state=SimpleNamespace(db=db))


@pytest.fixture(autouse=True)
def _fresh_request_state(monkeypatch):
    """Each test starts unpinned, as a new request would, with no replica known to be down."""
    monkeypatch.setattr(db_router, "_unavailable_until", {})
    pinned = db_router._pinned.set(False)
    replica = db_router._request_replica.set(None)
    yield
    db_router._request_replica.reset(replica)
    db_router._pinned.reset(pinned)


@pytest.fixture
def router() -> PrimaryReplicaRouter:
    return PrimaryReplicaRouter(replicas=REPLICAS, choose=lambda aliases: aliases[-1], answers=lambda alias: True)


def router_where(down: set[str], tried: list[str] | None = None) -> PrimaryReplicaRouter:
    """A router over REPLICAS whose ``down`` replicas do not answer (each probe noted in ``tried``)."""

    def answers(alias: str) -> bool:
        if tried is not None:
            tried.append(alias)
        return alias not in down

    return PrimaryReplicaRouter(replicas=REPLICAS, choose=lambda aliases: aliases[-1], answers=answers)


def test_without_replicas_reads_use_the_primary() -> None:
    assert PrimaryReplicaRouter(replicas=[]).db_for_read(fake_model()) == PRIMARY


def test_public_read_goes_to_a_replica(router) -> None:
    assert router.db_for_read(fake_model()) == "replica_2"


def test_writes_go_to_the_primary(router) -> None:
    assert router.db_for_write(fake_model()) == PRIMARY


def test_reads_after_a_write_stick_to_the_primary(router) -> None:
    router.db_for_write(fake_model())
    assert router.db_for_read(fake_model()) == PRIMARY


@pytest.mark.parametrize("app_label", ["sessions", "auth", "admin"])
def test_session_and_user_reads_use_the_primary(router, app_label) -> None:
    assert router.db_for_read(fake_model(app_label)) == PRIMARY


def test_related_rows_are_read_where_their_parent_came_from(router) -> None:
    assert router.db_for_read(fake_model(), instance=fake_instance(PRIMARY)) == PRIMARY


def test_reads_inside_a_primary_transaction_use_the_primary(router, monkeypatch) -> None:
    monkeypatch.setattr(connections[PRIMARY], "in_atomic_block", True)
    assert router.db_for_read(fake_model()) == PRIMARY


def test_reads_in_one_request_use_the_replica_chosen_for_it(router) -> None:
    db_router._request_replica.set("replica_1")
    assert {router.db_for_read(fake_model()) for _ in range(5)} == {"replica_1"}


def test_the_replica_is_probed_once_per_request() -> None:
    tried: list[str] = []
    router = router_where(down=set(), tried=tried)
    for _ in range(3):
        router.db_for_read(fake_model())
    assert tried == ["replica_2"]


def test_a_replica_that_does_not_answer_is_passed_over() -> None:
    assert router_where(down={"replica_2"}).db_for_read(fake_model()) == "replica_1"


def test_reads_fall_back_to_the_primary_when_no_replica_answers() -> None:
    assert router_where(down=set(REPLICAS)).db_for_read(fake_model()) == PRIMARY


def test_a_replica_found_down_is_not_tried_again_for_a_while() -> None:
    tried: list[str] = []
    router = router_where(down={"replica_2"}, tried=tried)
    router.db_for_read(fake_model())
    db_router._request_replica.set(None)  # the next request
    router.db_for_read(fake_model())
    assert tried == ["replica_2", "replica_1", "replica_1"]


def test_a_replica_found_down_is_tried_again_after_the_interval(monkeypatch) -> None:
    tried: list[str] = []
    router = router_where(down={"replica_2"}, tried=tried)
    router.db_for_read(fake_model())
    later = db_router.time.monotonic() + db_router.RETRY_SECONDS + 1
    monkeypatch.setattr(db_router.time, "monotonic", lambda: later)
    db_router._request_replica.set(None)
    router.db_for_read(fake_model())
    assert tried == ["replica_2", "replica_1", "replica_2", "replica_1"]


def test_migrations_run_on_the_primary_only(router) -> None:
    assert router.allow_migrate(PRIMARY, "casestudies")
    assert not router.allow_migrate("replica_1", "casestudies")


def test_relations_between_databases_are_allowed(router) -> None:
    assert router.allow_relation(object(), object())


@pytest.fixture
def with_replicas(monkeypatch) -> None:
    monkeypatch.setattr(db_router, "replica_aliases", lambda: REPLICAS)


def run_through_middleware(request) -> tuple[bool, str | None]:
    seen: dict = {}

    def view(request):
        seen["pinned"] = db_router.is_pinned_to_primary()
        seen["replica"] = db_router._request_replica.get()
        return HttpResponse()

    PrimaryPinningMiddleware(view)(request)
    return seen["pinned"], seen["replica"]


@pytest.mark.usefixtures("with_replicas")
def test_anonymous_get_may_read_from_a_replica() -> None:
    pinned, _replica = run_through_middleware(RequestFactory().get("/api/v1/case-studies/"))
    assert not pinned


@pytest.mark.usefixtures("with_replicas")
def test_each_request_chooses_its_replica_afresh() -> None:
    db_router._request_replica.set("replica_1")  # what an earlier read in this thread chose
    _pinned, replica = run_through_middleware(RequestFactory().get("/api/v1/case-studies/"))
    assert replica is None  # chosen (and probed) at the request's first read


@pytest.mark.usefixtures("with_replicas")
def test_post_request_is_pinned_to_the_primary() -> None:
    pinned, _replica = run_through_middleware(RequestFactory().post("/case-studies/"))
    assert pinned


@pytest.mark.usefixtures("with_replicas")
def test_admin_request_is_pinned_to_the_primary(settings) -> None:
    pinned, _replica = run_through_middleware(RequestFactory().get("/" + settings.ADMIN_URL))
    assert pinned


@pytest.mark.usefixtures("with_replicas")
def test_request_with_a_session_is_pinned_to_the_primary(settings) -> None:
    request = RequestFactory().get("/case-studies/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    pinned, _replica = run_through_middleware(request)
    assert pinned


@pytest.mark.usefixtures("with_replicas")
def test_pinning_is_forgotten_after_the_request() -> None:
    run_through_middleware(RequestFactory().post("/case-studies/"))
    assert not db_router.is_pinned_to_primary()
    assert db_router._request_replica.get() is None


def test_replica_urls_become_replica_aliases() -> None:
    replicas = database_replicas("postgres://app@db-replica-1:5432/library, postgres://app@db-replica-2/library")
    assert list(replicas) == ["replica_1", "replica_2"]
    assert replicas["replica_2"]["HOST"] == "db-replica-2"
    assert replicas["replica_1"]["NAME"] == "library"


def test_a_replica_connection_gives_up_after_two_seconds() -> None:
    assert database_replicas("postgres://app@db-replica-1/library")["replica_1"]["OPTIONS"]["connect_timeout"] == 2


def test_a_replica_url_may_set_its_own_connect_timeout() -> None:
    replicas = database_replicas("postgres://app@db-replica-1/library?connect_timeout=5")
    assert replicas["replica_1"]["OPTIONS"]["connect_timeout"] == 5


def test_replicas_mirror_the_primary_under_test() -> None:
    replicas = database_replicas("postgres://app@db-replica-1/library")
    assert replicas["replica_1"]["TEST"] == {"MIRROR": "default"}


def test_no_replica_urls_means_no_replicas() -> None:
    assert database_replicas("") == {}
    assert database_replicas(" , ") == {}


def test_non_postgres_replica_url_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="entry 1"):
        database_replicas("sqlite:///replica.sqlite3")


def test_redis_url_selects_a_redis_cache_that_fails_open() -> None:
    config = cache_backend("redis://127.0.0.1:6379/1")
    assert config["BACKEND"] == "django_redis.cache.RedisCache"
    assert config["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert config["OPTIONS"]["IGNORE_EXCEPTIONS"] is True


def test_no_redis_url_selects_the_local_memory_cache() -> None:
    assert cache_backend("")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_malformed_redis_url_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        cache_backend("127.0.0.1:6379")
