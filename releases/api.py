"""Read-only API for the data releases."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from api.parameters import AcceptedParameters, StrictQueryMixin

from .changes import NoSuchRecord, NoSuchRelease, record_changes
from .models import Release
from .serializers import ChangesQuerySerializer, RecordChangesSerializer, ReleaseSerializer
from .views import MAX_NUMBER

NUMBER_PARAMETER = OpenApiParameter(
    "number", int, OpenApiParameter.PATH, description="The release number, from 1.", pattern="^[0-9]+$"
)


@extend_schema_view(retrieve=extend_schema(parameters=[NUMBER_PARAMETER]))
class ReleaseViewSet(StrictQueryMixin, viewsets.ReadOnlyModelViewSet):
    """Numbered, dated releases of everything published, newest first; each with its permanent
    files (a Frictionless Data Package, one CSV per table, one SQLite file) and their SHA-256."""

    serializer_class = ReleaseSerializer
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"
    action_parameters = {"changes": list(ChangesQuerySerializer().fields)}

    def get_queryset(self) -> QuerySet:
        return Release.objects.for_listing().order_by("-number")

    def accepted_parameters(self) -> AcceptedParameters:
        accepted = super().accepted_parameters()
        if self.action == "list" and self.paginator is not None:
            return AcceptedParameters.of(single={*accepted.single, *self.paginator.query_parameters()})
        return accepted

    def get_object(self) -> Release:
        number = int(self.kwargs["number"])
        release = None if number > MAX_NUMBER else self.get_queryset().filter(number=number).first()
        if release is None:
            raise NotFound(f"No release {number}. The releases are listed at /api/v1/releases/.")
        return release

    @extend_schema(
        parameters=[ChangesQuerySerializer],
        responses=RecordChangesSerializer,
        summary="What changed in a record since a release",
    )
    @action(detail=False, pagination_class=None)
    def changes(self, request: Request) -> Response:
        """One record of a release table (``table``, ``record``: its key), in the newest release
        against release ``since``: added, changed (with the columns), removed or unchanged, and each
        release since that added, changed or removed it. Worked out from the releases' manifests."""
        query = ChangesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        since, table, record = (query.validated_data[name] for name in ("since", "table", "record"))
        try:
            found = record_changes(table=table, record=record, since=since)
        except NoSuchRelease:
            raise NotFound(f"No release {since}. The releases are listed at /api/v1/releases/.") from None
        except NoSuchRecord:
            raise NotFound(f"The {table} table has no record {record!r} in release {since} or any later one.") from None
        payload = {
            "table": found.table,
            "record": found.record,
            "since": found.since,
            "latest": found.latest,
            "change": found.change,
            "columns": found.columns,
            "releases": [self._step(step) for step in found.releases],
        }
        return Response(RecordChangesSerializer(payload).data)

    def _step(self, step: Any) -> dict[str, Any]:
        return {
            "number": step.release.number,
            "published_at": step.release.published_at,
            "url": self.request.build_absolute_uri(step.release.get_absolute_url()),
            "change": step.change,
            "columns": step.columns,
        }
