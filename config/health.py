"""The health check load balancers probe: is this instance able to serve pages?

Hand-written rather than django-health-check: the probe's answer is a small, documented JSON body
(``database``, ``cache``, ``replicas``) whose status code depends on the primary database alone.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.db_router import database_answers

logger = logging.getLogger(__name__)


def database_state(alias: str) -> str:
    if database_answers(alias):
        return "ok"
    logger.error("Health check: database %r did not answer", alias)  # the detail stays in the log
    return "unreachable"


def cache_answers() -> bool:
    """A value written to the cache can be read back (the cache fails open, so errors read as misses)."""
    key, value = "healthz", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=10)
        return cache.get(key) == value
    except Exception:  # any backend's failure means "unavailable", never a failed probe
        logger.exception("Health check: the cache did not answer")
        return False


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the primary database answers ``SELECT 1``, 503 when it does not; the cache and each
    read replica are reported too, but the site still serves without them (reads fall back to the
    primary, pages are computed uncached).

    No authentication and no caching (``never_cache`` sends ``Cache-Control: no-store``), and it
    is exempt from the HTTPS redirect (``SECURE_REDIRECT_EXEMPT``) so probes can use plain HTTP.
    """
    primary = database_state(DEFAULT_DB_ALIAS) == "ok"
    replicas = {alias: database_state(alias) for alias in settings.DATABASES if alias != DEFAULT_DB_ALIAS}
    body = {
        "status": "ok" if primary else "unavailable",
        "database": "ok" if primary else "unreachable",
        "cache": "ok" if cache_answers() else "unavailable",
        "replicas": replicas,
    }
    return JsonResponse(body, status=200 if primary else 503)
