"""When the database cannot answer: the site's own 503 with ``Retry-After``, never a 500.

Two causes, one answer. A statement that runs past PostgreSQL's ``statement_timeout``
(``DATABASE_STATEMENT_TIMEOUT_MS``, config/settings.py) is cancelled by the server; a database
that is down or unreachable refuses the connection. Both raise Django's ``OperationalError``, and
both pass: the next request tries again (a broken connection is closed at the end of the
request and a new one opened), so the site recovers by itself when the database is back.

Pages get the HTML page ``503.html``, which like ``500.html`` needs no database and no request
context; the API (``/api/``) gets JSON in DRF's error shape. A cached answer is still served
from the response cache meanwhile (api/library_cache.py); the 503 itself is never stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"
API_MESSAGE = f"The service is unavailable for a moment. Try again in {RETRY_AFTER_SECONDS} seconds."


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 for ``request``: JSON under ``/api/``, the site's page elsewhere."""
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse({"detail": API_MESSAGE}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Answer a view's (or template's) ``OperationalError`` with :func:`service_unavailable`.

    The error goes to the log, without the request's data; Django's ``django.request`` logger
    adds its usual line for the 503.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        logger.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
        return service_unavailable(request)
