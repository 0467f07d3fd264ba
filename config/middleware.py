"""Security headers that Django's own middleware does not send."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase

# Swagger UI (drf-spectacular-sidecar) writes a <style> block and style attributes and draws
# icons from data: URIs. Only the API docs pages get these. Script stays 'self' plus, when the
# page carries drf-spectacular's inline start-up script (SpectacularSwaggerView rather than
# the Split view), the hash of exactly that script.
API_DOCS_PREFIX = "/api/v1/docs/"
API_DOCS_EXTRA = {"style-src": ["'unsafe-inline'"], "img-src": ["data:"]}
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def _inline_script_hashes(response: HttpResponseBase) -> list[str]:
    if getattr(response, "streaming", False) or not hasattr(response, "content"):
        return []
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii") + "'"
        for body in INLINE_SCRIPT.findall(response.content)
    ]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the narrow extension the API docs page needs."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(API_DOCS_PREFIX):
            extra: dict[str, list[str]] = dict(API_DOCS_EXTRA)
            if hashes := _inline_script_hashes(response):
                extra["script-src"] = hashes
            parts.update = {**extra, **(parts.update or {})}
        return parts


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` (settings.PERMISSIONS_POLICY): the site needs no device features."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy: str = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response
