"""HTTP caching headers for the public site and the API.

``ConditionalGetMiddleware`` (Django) adds an ``ETag`` to every non-streaming GET response and
answers ``If-None-Match`` / ``If-Modified-Since`` with 304. This module's middleware decides who may
cache the response: anonymous 200 GETs outside the admin are ``public`` for ``CACHE_MAX_AGE``
seconds; everything else (requests with a session cookie or credentials, the admin, errors,
responses that set a cookie) is ``private, no-store``. Both only touch headers, so streamed
responses (the CSV export) are never buffered.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers

SAFE_METHODS = frozenset({"GET", "HEAD"})


def is_publicly_cacheable(request: HttpRequest, response: HttpResponseBase) -> bool:
    """True when a shared cache (CDN, proxy) may keep this response for everyone."""
    if request.method not in SAFE_METHODS or response.status_code != 200:
        return False
    if request.path.startswith("/" + settings.ADMIN_URL):
        return False
    if response.cookies:  # a Set-Cookie (session, CSRF token) belongs to one visitor
        return False
    # Signed-in people always carry the session cookie; checking for it rather than request.user
    # costs no session or user query, so anonymous query counts are unchanged.
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return False
    return True


class CacheControlMiddleware:
    """Add ``Cache-Control`` and ``Vary: Accept, Cookie``; a view's own Cache-Control wins."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept", "Cookie"))
        if response.has_header("Cache-Control"):
            return response
        if is_publicly_cacheable(request, response):
            patch_cache_control(response, public=True, max_age=settings.CACHE_MAX_AGE)
        else:
            patch_cache_control(response, private=True, no_store=True)
        return response
