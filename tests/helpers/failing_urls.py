"""A URLconf for tests: the site's own URLs (and error handlers) plus views that fail, and a page
and an API path whose query outlasts a statement timeout (PostgreSQL's pg_sleep)."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from config import urls as site_urls
from config.urls import *  # noqa: F403  (the site's handler404/handler500, if it sets them)


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals: connection string postgres://user:hunter2@db")


SLOW_QUERY_SECONDS = 2


def slow_view(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [SLOW_QUERY_SECONDS])
    return JsonResponse({"slept": SLOW_QUERY_SECONDS}) if request.path.startswith("/api/") else HttpResponse("slept")


urlpatterns = [
    path("boom/", failing_view),
    path("slow/", slow_view),
    path("api/v1/slow/", slow_view),
    *site_urls.urlpatterns,
]
