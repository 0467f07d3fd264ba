"""Security headers on every response, and a CSP that the admin and API docs still work under."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/case-studies/", "/no-such-page/", "/privacy/"])
def test_pages_send_security_headers(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_admin_login_is_under_the_strict_policy(client, settings):
    response = client.get(f"/{settings.ADMIN_URL}login/")
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_pages_have_no_inline_script_or_style(client, full_case_study):
    for url in ["/", "/case-studies/", full_case_study.get_absolute_url(), "/models/sharing/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html
        assert "<style" not in html
        assert " style=" not in html
        assert " on" + "click=" not in html


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def directives_of(response) -> dict[str, list[str]]:
    csp = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}


def test_the_api_console_gets_only_a_narrow_style_extension_and_no_script_hash(client):
    response = client.get("/api/v1/docs/console/")
    assert response.status_code == 200
    directives = directives_of(response)
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["script-src"] == ["'self'"]
    assert "sha256" not in response["Content-Security-Policy"]


def test_the_api_console_has_no_inline_script(client):
    html = client.get("/api/v1/docs/console/").content.decode()
    assert INLINE_SCRIPT.search(html) is None
    assert '<script src="/api/v1/docs/console/?script="></script>' in html
    script = client.get("/api/v1/docs/console/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_api_reference_gets_the_sites_strict_policy(client, settings):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert directives_of(response) == settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert INLINE_SCRIPT.search(response.content.decode()) is None
