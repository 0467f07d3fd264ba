"""The health check load balancers probe: is this instance able to serve pages?"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers ``SELECT 1``, 503 when it does not.

    No authentication and no caching (``never_cache`` sends ``Cache-Control: no-store``), and it
    is exempt from the HTTPS redirect (``SECURE_REDIRECT_EXEMPT``) so probes can use plain HTTP.
    """
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # The reason goes to the log, not to whoever is probing.
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
