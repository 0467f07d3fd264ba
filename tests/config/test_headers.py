"""Security headers on every response, and a CSP that the admin and API docs still work under."""

from __future__ import annotations

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


def test_api_docs_get_only_a_narrow_style_extension(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    # Script: our origin, plus at most the hash of drf-spectacular's own start-up script.
    assert directives["script-src"][0] == "'self'"
    assert all(source.startswith("'sha256-") for source in directives["script-src"][1:])


def test_docs_policy_allows_exactly_the_hash_of_its_inline_script(rf):
    import base64
    import hashlib

    from django.http import HttpResponse

    from config.middleware import ContentSecurityPolicyMiddleware

    script = b"window.ui = SwaggerUIBundle({});"
    response = HttpResponse(b"<html><script>" + script + b"</script></html>")
    request = rf.get("/api/v1/docs/")
    middleware = ContentSecurityPolicyMiddleware(lambda r: response)
    middleware.process_request(request)
    csp = middleware.process_response(request, response)["Content-Security-Policy"]
    digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


def test_inline_script_elsewhere_gets_no_hash(rf):
    from django.http import HttpResponse

    from config.middleware import ContentSecurityPolicyMiddleware

    response = HttpResponse(b"<html><script>alert(1)</script></html>")
    request = rf.get("/case-studies/")
    middleware = ContentSecurityPolicyMiddleware(lambda r: response)
    middleware.process_request(request)
    csp = middleware.process_response(request, response)["Content-Security-Policy"]
    assert "sha256" not in csp and "style-src 'self';" in csp + ";"
