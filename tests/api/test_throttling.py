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


def limited_to_two(settings) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}


def test_a_spoofed_forwarded_for_header_does_not_get_past_the_limit(api, settings) -> None:
    limited_to_two(settings)
    answers = [api("", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(4)]
    assert answers == [200, 200, 429, 429]


def test_behind_one_proxy_each_client_is_limited_on_its_own(api, settings) -> None:
    limited_to_two(settings)
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    first = [api("", HTTP_X_FORWARDED_FOR=f"spoofed-{n}, 203.0.113.5", **proxy).status_code for n in range(3)]
    other = api("", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy).status_code
    assert first == [200, 200, 429]  # the left, client-written part changes nothing
    assert other == 200


def test_a_negative_proxy_count_stops_start_up(monkeypatch) -> None:
    import subprocess
    import sys

    env = {"API_NUM_PROXIES": "-1", "DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "API_NUM_PROXIES" in result.stderr
