"""Pagination of every list of the API: numbered pages for people, cursor pages for harvesting."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api.library_cache import CachedCountPaginator

MAX_PAGE_SIZE = 100
PAGE_SIZE_PARAMETER = "page_size"


def requested_page_size(request: Request, default: int) -> int:
    """``page_size`` from the query string: a whole number from 1 to ``MAX_PAGE_SIZE``, else a 400."""
    raw = request.query_params.get(PAGE_SIZE_PARAMETER)
    if raw is None:
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError({PAGE_SIZE_PARAMETER: [f"Enter a whole number from 1 to {MAX_PAGE_SIZE}."]})
    return size


class KeysetPagination(pagination.CursorPagination):
    """Cursor pages in id order, for harvesting: each page is ``id > last id of the previous page``,
    so a deep page costs what the first does, and rows added or removed while a harvest runs never
    shift the pages (new rows have higher ids and come last)."""

    ordering = ("pk",)
    invalid_cursor_message = (
        "Invalid cursor. Follow the next or previous link of a page, or send an empty cursor (cursor=) to start."
    )

    def get_page_size(self, request: Request) -> int:
        return requested_page_size(request, self.page_size)

    def decode_cursor(self, request: Request) -> pagination.Cursor | None:
        try:
            cursor = super().decode_cursor(request)
        except NotFound as error:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from error
        if cursor is not None and cursor.position is not None and not cursor.position.isdigit():
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
        return cursor


class KnownTotal:
    """A QuerySet to page whose total is already known, so that no ``COUNT`` runs for it. Django's
    Paginator pages any sliceable object with a ``count()``; the rows are still the QuerySet's."""

    def __init__(self, queryset: QuerySet, total: int) -> None:
        self.queryset = queryset
        self.total = total
        self.ordered = queryset.ordered

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key: Any) -> Any:
        return self.queryset[key]


class LibraryPagination(pagination.PageNumberPagination):
    """Two ways through a list, both with ``page_size`` (1–100):

    * ``?page=N``: numbered pages with a total ``count``, for people. A page past the last is a 404.
    * ``?cursor=``: :class:`KeysetPagination` pages, for harvesting: no ``count``, a fixed order
      (by id), and ``next``/``previous`` links to follow. Start with an empty ``cursor=``.

    Either way the ``next`` and ``previous`` links are also sent as an RFC 8288 ``Link`` header.
    A view whose ``known_total()`` answers a number (a total the database keeps) has its numbered
    pages counted by it rather than by a ``COUNT`` over the list.
    """

    django_paginator_class = CachedCountPaginator
    page_size_query_param = PAGE_SIZE_PARAMETER
    cursor_query_param = KeysetPagination.cursor_query_param
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = "Invalid page: {message}."

    def query_parameters(self) -> list[str]:
        """The query parameters a paged list accepts because it is paged."""
        return [self.page_query_param, self.page_size_query_param, self.cursor_query_param]

    def get_page_size(self, request: Request) -> int:
        return requested_page_size(request, self.page_size)

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        raw = request.query_params.get(self.page_query_param)
        return "0" if raw == "" else super().get_page_number(request, paginator)  # empty: invalid, a 404

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list[Any] | None:
        self.keyset: KeysetPagination | None = None
        if self.cursor_query_param not in request.query_params:
            known = getattr(view, "known_total", lambda: None)()
            return super().paginate_queryset(queryset if known is None else KnownTotal(queryset, known), request, view)
        self.validate_cursor_request(request)
        self.keyset = KeysetPagination()
        return self.keyset.paginate_queryset(queryset, request, view)

    def validate_cursor_request(self, request: Request) -> None:
        """A cursor fixes the order and replaces page numbers: asking for either as well is a 400."""
        clashes = {
            self.page_query_param: "Use either page or cursor, not both.",
            "ordering": "Cursor pages are always in id order; leave ordering out, or use page instead of cursor.",
        }
        errors = {name: [message] for name, message in clashes.items() if name in request.query_params}
        if errors:
            raise ValidationError(errors)

    def get_paginated_response(self, data: Any) -> Response:
        if self.keyset is not None:
            response = self.keyset.get_paginated_response(data)
        else:
            response = super().get_paginated_response(data)
        links = [
            f'<{url}>; rel="{relation}"'
            for relation, url in (("next", response.data["next"]), ("prev", response.data["previous"]))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paged = super().get_paginated_response_schema(schema)
        paged["required"] = ["results"]
        paged["properties"]["count"]["description"] = "How many results in all (numbered pages only)."
        paged["properties"]["next"]["description"] = "The next page (also in the Link header), or null."
        paged["properties"]["previous"]["description"] = "The previous page (also in the Link header), or null."
        return paged

    def validate_parameters(self, request: Request) -> None:
        """Check page and page_size without paginating (the CSV export is not paginated)."""
        self.get_page_size(request)
        if self.cursor_query_param in request.query_params:
            self.validate_cursor_request(request)
            KeysetPagination().decode_cursor(request)
            return
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw == "last":
            return
        try:
            number = int(raw)
        except ValueError:
            number = 0
        if number < 1:
            raise NotFound(self.invalid_page_message.format(message="That page number is not a whole number from 1"))

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1. A page past the last one answers 404. Not with cursor.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Harvest in id order, page by page: send it empty to start, then follow each page's next "
                    "link. Cursor pages have no count, and ignore rows added or removed behind them. "
                    "Not with page or ordering."
                ),
                "schema": {"type": "string"},
            },
        ]
