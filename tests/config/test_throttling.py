"""Anonymous requests are rate-limited by API_THROTTLE_ANON."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import env_throttle_rate

pytestmark = pytest.mark.django_db


def test_anonymous_requests_beyond_the_rate_get_429(api, settings) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    assert [api("").status_code for _ in range(3)] == [200, 200, 429]
    assert "Retry-After" in api("")


def test_throttle_rate_comes_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("API_THROTTLE_ANON", "50/minute")
    assert env_throttle_rate("API_THROTTLE_ANON", "2000/hour") == "50/minute"
    monkeypatch.setenv("API_THROTTLE_ANON", "off")
    assert env_throttle_rate("API_THROTTLE_ANON", "2000/hour") is None


def test_a_malformed_throttle_rate_stops_start_up(monkeypatch) -> None:
    monkeypatch.setenv("API_THROTTLE_ANON", "lots")
    with pytest.raises(ImproperlyConfigured, match="API_THROTTLE_ANON"):
        env_throttle_rate("API_THROTTLE_ANON", "2000/hour")
