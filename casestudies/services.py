"""Writes that touch several models at once."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from .models import CaseStudy


@transaction.atomic
def case_study_set_status(*, case_study_ids: Iterable[int], status: str) -> int:
    """Publish or unpublish case studies; returns how many changed.

    Saves row by row so that each change is recorded in the audit history.
    """
    changed = 0
    for case_study in CaseStudy.objects.filter(pk__in=list(case_study_ids)).exclude(status=status):
        case_study.status = status
        case_study.save(update_fields=["status", "updated_at"])
        changed += 1
    return changed


def case_studies_refresh_derived(case_study_ids: Iterable[int] | None = None) -> int:
    """Recompute stored derived values (headline saving, search vector) after related rows change."""
    queryset = CaseStudy.objects.all()
    if case_study_ids is not None:
        queryset = queryset.filter(pk__in=list(case_study_ids))
    return queryset.refresh_derived()
