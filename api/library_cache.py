"""Answers that are expensive on a large library, kept in the cache for a short, fixed time.

Three things are cached: the total count of a filtered list (the paginator's ``COUNT(*)``), facet
counts, and whole anonymous ``GET`` responses of the public site and the API. On 100,000 case
studies a broad filter's count costs tens of milliseconds and the facets more, while the page of
rows itself costs a few (docs/performance.md).

**Entries expire by time only**, after ``LIBRARY_CACHE_SECONDS`` (default: the public
``CACHE_MAX_AGE``). Nothing invalidates them on a write, so nothing can miss a write path (the
admin, imports, ``update()``, raw SQL): a change reaches every public answer within that many
seconds, which is no staler than what ``Cache-Control: max-age`` already lets any proxy serve.
Signed-in curators never get a cached response. ``LIBRARY_CACHE_SECONDS=0`` turns all of it off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils.functional import cached_property
from django.utils.http import parse_header_parameters

from api.parameters import AcceptedParameters, accepted_parameters, view_for

T = TypeVar("T")


def cache_seconds() -> int:
    return max(0, int(getattr(settings, "LIBRARY_CACHE_SECONDS", 0)))


def cache_key(namespace: str, *parts: Any) -> str:
    digest = hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"library:{namespace}:{digest}"


def cached(namespace: str, parts: Callable[[], tuple[Any, ...]], compute: Callable[[], T]) -> T:
    """``compute()``, or its answer from the cache for the same ``parts()`` while it has not expired.

    ``parts`` is called only when the cache is on: a key can cost as much as the answer (the count's
    is its compiled SQL)."""
    seconds = cache_seconds()
    if not seconds:
        return compute()
    key = cache_key(namespace, *parts())
    found = cache.get(key)
    if found is not None:
        return found
    value = compute()
    cache.set(key, value, timeout=seconds)
    return value


def _count_parts(queryset: QuerySet) -> tuple[Any, ...]:
    sql, params = queryset.order_by().query.sql_with_params()
    return (queryset.model._meta.label, sql, params)


def cached_count(queryset: QuerySet) -> int:
    """``queryset.count()``, cached per SQL statement (so per filter, whatever the page or order)."""
    if queryset.query.is_empty():
        return 0
    return cached("count", lambda: _count_parts(queryset), queryset.order_by().count)


class CachedCountPaginator(Paginator):
    """A paginator whose total comes from :func:`cached_count` when it pages a QuerySet."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return cached_count(self.object_list)
        return super().count


# --- Whole responses ----------------------------------------------------------------------------

RESPONSE_NAMESPACE = "response"
API_PREFIX = "/api/"


def _may_use_response_cache(request: HttpRequest) -> bool:
    if request.method != "GET" or not cache_seconds():
        return False
    if request.path.startswith("/" + settings.ADMIN_URL):
        return False
    # Signed-in people (session cookie) and API clients with credentials get fresh pages.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "HTTP_AUTHORIZATION" not in request.META


def _response_may_be_stored(response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def _api_rate_allows(request: HttpRequest) -> bool:
    """Count a cached API answer against the client's rate limit, as the view would."""
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    anonymous = Request(request, authenticators=())
    return all(throttle().allow_request(anonymous, None) for throttle in api_settings.DEFAULT_THROTTLE_CLASSES)


PAGE_FORMAT = "page"  # what a web page answers, whatever the Accept header says


def _negotiated_format(view: Any) -> str | None:
    """The format DRF's content negotiation picks for this request (``json``, or ``json;indent=4``:
    the renderer reads ``indent``), or None when it refuses (the view answers 406)."""
    try:
        renderer, media_type = view.perform_content_negotiation(view.request)
    except Exception:  # NotAcceptable, or a 404 for an unknown ?format=: not stored anyway
        return None
    _base, params = parse_header_parameters(media_type)
    params.pop("q", None)  # a preference, not a variant: ``*/*;q=0.8`` and ``*/*`` are one answer
    return ";".join([renderer.format, *(f"{key}={value}" for key, value in sorted(params.items()))])


def response_variant(request: HttpRequest) -> tuple[tuple[str, list[str]], ...] | None:
    """What the answer to this ``GET`` depends on besides its scheme, host and path, or None when
    it must not come from the cache: the endpoint's known parameters in canonical form and the
    negotiated format (api/parameters.py), never the raw ``Accept`` header.

    An API request with a parameter its endpoint does not accept is not cached (it is a 400). A
    page ignores unknown parameters, so ``?utm=1`` and ``?utm=2`` share the entry of the bare page.
    A view that does not declare its parameters is cached only without a query string.
    """
    from rest_framework.settings import api_settings
    from rest_framework.views import APIView  # not at the top: DRF's settings import this module

    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    view = view_for(request, match)
    accepted = accepted_parameters(view)
    is_api = isinstance(view, APIView)
    if accepted is None:
        if request.GET:
            return None
        accepted = AcceptedParameters()
    elif is_api and accepted.unknown(request.GET):
        return None
    answer_format = _negotiated_format(view) if is_api else PAGE_FORMAT
    if answer_format is None:
        return None
    # The API's ``format`` acts only through the negotiated format, already in the key.
    query = accepted.canonical(request.GET, leave_out=[api_settings.URL_FORMAT_OVERRIDE] if is_api else [])
    return (*query.lists(), ("", [answer_format]))


def _response_key(request: HttpRequest, variant: tuple[Any, ...]) -> str:
    return cache_key(RESPONSE_NAMESPACE, request.scheme, request.get_host(), request.path, variant)


class LibraryResponseCacheMiddleware:
    """Serve an anonymous ``GET`` from the cache for ``LIBRARY_CACHE_SECONDS``.

    Sits inside ``ConditionalGetMiddleware`` and ``CacheControlMiddleware``, so a cached answer
    still gets its ETag, 304 and ``Cache-Control``; the security headers set further in are part
    of the stored response (they do not vary per request: the CSP uses no nonce). A response that
    sets a cookie, streams (CSV), or is not a 200 is never stored. A cached API answer counts
    against the client's rate limit like any other; over the limit, the view answers the 429.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        variant = response_variant(request) if _may_use_response_cache(request) else None
        if variant is None:
            return self.get_response(request)
        key = _response_key(request, variant)
        stored = cache.get(key)
        if stored is not None:
            if request.path.startswith(API_PREFIX) and not _api_rate_allows(request):
                return self.get_response(request)  # the view answers 429, as for any request
            stored["X-Library-Cache"] = "hit"
            return stored
        response = self.get_response(request)
        if _response_may_be_stored(response):
            response["X-Library-Cache"] = "miss"
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
            cache.set(key, response, timeout=cache_seconds())
        return response
