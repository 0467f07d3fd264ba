"""The releases' web pages and their permanent files."""

from __future__ import annotations

import logging
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response
from django.views.generic import DetailView, ListView

from .models import Release, ReleaseFile
from .services import release_directory
from .tables import TABLES_BY_NAME

logger = logging.getLogger(__name__)

# A release's files never change: any cache may keep them for a year without asking again.
IMMUTABLE = "public, max-age=31536000, immutable"
# Largest release number the database can hold (PositiveIntegerField): a larger one is no release.
MAX_NUMBER = 2**31 - 1
CONTENT_TYPES = {"text/csv": "text/csv; charset=utf-8"}


class ReleaseListView(ListView):
    template_name = "releases/release_list.html"
    context_object_name = "releases"

    def get_queryset(self) -> Any:
        return Release.objects.for_listing()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for release in context["releases"]:
            release.citation_line = release.citation(self.request.build_absolute_uri(release.get_absolute_url()))
        return context


class ReleaseDetailView(DetailView):
    template_name = "releases/release_detail.html"
    context_object_name = "release"

    def get_object(self, queryset: Any = None) -> Release:
        number = self.kwargs["number"]
        if number > MAX_NUMBER:
            raise Http404("No such release.")
        return get_object_or_404(Release.objects.for_listing(), number=number)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        release: Release = self.object
        url = self.request.build_absolute_uri(release.get_absolute_url())
        titles = {name: table.title for name, table in TABLES_BY_NAME.items()}
        changes = [
            {"table": name, "title": titles.get(name, name), **release.changelog[name]}
            for name in TABLES_BY_NAME
            if name in release.changelog
        ]
        counts = [
            {"table": name, "title": titles[name], "count": release.counts[name]}
            for name in TABLES_BY_NAME
            if name in release.counts
        ]
        return super().get_context_data(
            citation=release.citation(url),
            changes=changes,
            counts=counts,
            current=f"Release {release.number}",
            **kwargs,
        )


def release_file(request: HttpRequest, number: int, name: str) -> HttpResponseBase:
    """A file of a release, at its permanent address, with its SHA-256 as the ETag."""
    if number > MAX_NUMBER:
        raise Http404("No such release.")
    found = get_object_or_404(ReleaseFile, release__number=number, name=name)
    etag = f'"{found.sha256}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        try:
            handle = (release_directory(number) / found.name).open("rb")
        except FileNotFoundError:
            logger.error("Release %s: %s is recorded but not in RELEASES_ROOT", number, found.name)
            raise Http404("That file of the release is not on this server.") from None
        response = FileResponse(
            handle,
            content_type=CONTENT_TYPES.get(found.media_type, found.media_type),
            as_attachment=found.media_type != "application/json",
            filename=found.name,
        )
    response["ETag"] = etag
    response["Cache-Control"] = IMMUTABLE
    return response
