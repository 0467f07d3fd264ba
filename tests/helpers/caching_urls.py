"""Tiny views to exercise the caching middleware through the whole middleware stack."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.views.decorators.cache import never_cache

STREAMED: list[int] = []


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>Case studies</p>")


def page_with_form(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<form><input name=csrfmiddlewaretoken value={get_token(request)}></form>")


@never_cache
def uncached(request: HttpRequest) -> HttpResponse:
    return HttpResponse("fresh")


def missing(request: HttpRequest) -> HttpResponse:
    return HttpResponse("not here", status=404)


def csv_export(request: HttpRequest) -> StreamingHttpResponse:
    def rows():
        for number in range(3):
            STREAMED.append(number)
            yield f"row {number}\n"

    return StreamingHttpResponse(rows(), content_type="text/csv")


urlpatterns = [
    path("case-studies/", page),
    path("api/v1/case-studies/", page),
    path("form/", page_with_form),
    path("fresh/", uncached),
    path("missing/", missing),
    path("export.csv", csv_export),
    path(settings.ADMIN_URL + "thing/", page),
]
