"""The shared cache in a real Redis (CI starts one and sets ``TEST_REDIS_URL``; without it these
tests are skipped, except under CI where they fail). Keys carry a prefix of the test's own, and
only those keys are deleted: the Redis is never flushed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis
from django_redis.cache import RedisCache

from config.settings import cache_backend
from tests.factories import CaseStudyFactory
from tests.helpers.ci_services import service_url

LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def redis_url() -> str:
    return service_url(
        "TEST_REDIS_URL",
        "start a Redis of your own (redis-server --port 6390) and set TEST_REDIS_URL=redis://127.0.0.1:6390/0",
    )


@pytest.fixture
def key_prefix(redis_url) -> Iterator[str]:
    prefix = f"ctl-test-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)


@pytest.fixture
def library_cached_in_redis(settings, redis_url, key_prefix) -> Iterator[None]:
    settings.CACHES = {"default": {**cache_backend(redis_url), "KEY_PREFIX": key_prefix}}
    settings.LIBRARY_CACHE_SECONDS = 60
    yield
    settings.CACHES = LOCAL_MEMORY  # before the suite's cache.clear(), which would flush the Redis


def test_redis_cache_round_trip(redis_url, key_prefix) -> None:
    config = cache_backend(redis_url)
    cache = RedisCache(config["LOCATION"], {"KEY_PREFIX": key_prefix, "OPTIONS": config["OPTIONS"]})
    cache.set("answer", {"saving": 42}, timeout=30)
    assert cache.get("answer") == {"saving": 42}


@pytest.mark.django_db
@pytest.mark.usefixtures("library_cached_in_redis")
def test_an_anonymous_answer_is_kept_in_redis_and_served_from_it(anon_client, redis_url, key_prefix) -> None:
    CaseStudyFactory()
    assert anon_client.get("/api/v1/case-studies/").status_code == 200
    assert list(redis.Redis.from_url(redis_url).scan_iter(match=f"{key_prefix}:*"))  # any app server can read it
    assert anon_client.get("/api/v1/case-studies/")["X-Library-Cache"] == "hit"
