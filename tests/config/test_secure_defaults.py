"""Production defaults are the safe ones: `check --deploy` is clean without any tuning."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def production_environment(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "AXES_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="library.example.gov.uk",
        **extra,
    )
    return env


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_reports_no_warning_with_production_defaults() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_when_https_redirect_is_turned_off() -> None:
    # Proves the check above can fail: turning a protection off is reported.
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_environment(DJANGO_SECURE_SSL_REDIRECT="0")
    )
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_malformed_proxy_ssl_header_stops_start_up_with_a_clear_message() -> None:
    env = production_environment(DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "HTTP_X_FORWARDED_PROTO,https" in result.stderr


def test_proxy_ssl_header_is_read_from_the_environment() -> None:
    env = production_environment(DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https")
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)", env=env
    )
    assert result.returncode == 0, result.stderr
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in result.stdout


def test_plain_http_request_is_redirected_to_https(client, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/api/v1/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_security_headers_are_sent(client) -> None:
    response = client.get("/healthz")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_production_defaults_secure_cookies_hsts_and_lock_out() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.X_FRAME_OPTIONS, s.AXES_FAILURE_LIMIT, s.USERNAME_FAILURE_LIMIT, "
        "s.AXES_LOCKOUT_PARAMETERS)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env=production_environment())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "True True True True 31536000 DENY 5 15 [['username', 'ip_address'], 'username']"
    )


def test_debugging_turns_https_only_settings_off_for_local_development() -> None:
    code = "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    env = {**production_environment(), "DJANGO_DEBUG": "1"}
    result = run_manage("shell", "--no-imports", "-c", code, env=env)
    assert result.stdout.strip().splitlines()[-1] == "False 0"


def test_manage_py_without_a_secret_key_says_what_to_set() -> None:
    env = production_environment()
    del env["DJANGO_SECRET_KEY"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr
