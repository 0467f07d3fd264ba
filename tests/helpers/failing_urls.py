"""A URLconf for tests: the site's own URLs (and error handlers) plus a view that fails."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls as site_urls
from config.urls import *  # noqa: F403  (the site's handler404/handler500, if it sets them)


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals: connection string postgres://user:hunter2@db")


urlpatterns = [path("boom/", failing_view), *site_urls.urlpatterns]
