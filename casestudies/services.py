"""Writes that touch several models at once."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from .models import CaseStudy, Contact


@transaction.atomic
def case_study_set_status(*, case_study_ids: Iterable[int], status: str) -> int:
    """Publish or unpublish case studies; returns how many changed.

    Saves row by row so that each change is recorded in the audit history.
    """
    changed = 0
    for case_study in CaseStudy.objects.filter(pk__in=list(case_study_ids)).exclude(status=status):
        case_study.status = status
        case_study.version += 1  # a curator's open form is now stale (optimistic locking)
        case_study.save(update_fields=["status", "version", "updated_at"])
        changed += 1
    return changed


def case_studies_refresh_derived(case_study_ids: Iterable[int] | None = None) -> int:
    """Recompute stored derived values (headline saving, search vector) after related rows change."""
    queryset = CaseStudy.objects.all()
    if case_study_ids is not None:
        queryset = queryset.filter(pk__in=list(case_study_ids))
    return queryset.refresh_derived()


@transaction.atomic
def contacts_set_public(*, contact_ids: Iterable[int], is_public: bool) -> int:
    """Show or hide contacts (personal data) without deleting them; returns how many changed.

    Saves row by row so each change is in the audit history, then refreshes the search vectors
    of the affected case studies, which index public contact names only.
    """
    changed: set[int] = set()
    count = 0
    for contact in Contact.objects.filter(pk__in=list(contact_ids)).exclude(is_public=is_public):
        contact.is_public = is_public
        contact.save(update_fields=["is_public"])
        changed.add(contact.case_study_id)
        count += 1
    if changed:
        case_studies_refresh_derived(changed)
    return count
