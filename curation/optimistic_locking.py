"""Optimistic locking for curators: a stale form is refused instead of overwriting newer work.

A locked model has a ``version`` integer. The change form carries the version it was loaded
with in a hidden field; on save, the row is locked (``SELECT … FOR UPDATE`` inside the admin's
transaction) and its current version compared with the posted one. If someone saved in the
meantime the form gets an error naming who and when, and nothing is written; otherwise the
version goes up by one with the save.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.http import HttpRequest
from django.utils import timezone
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

VERSION_FIELD = "version"


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return f"{local:%H:%M}"
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def last_saved_by(instance: models.Model) -> str:
    """'14:05 by Jane Curator' from the audit history (or the row's own timestamp)."""
    history = getattr(type(instance), "history", None)
    if history is not None:
        latest = (
            instance.history.select_related("history_user").order_by("-history_date", "-history_id").first()  # type: ignore[attr-defined]
        )
        if latest is not None:
            user = latest.history_user
            name = (user.get_full_name() or user.get_username()) if user else ""
            return f"{_when(latest.history_date)} by {name}" if name else _when(latest.history_date)
    updated_at = getattr(instance, "updated_at", None)
    return _when(updated_at) if updated_at else "a moment ago"


class OptimisticLockingForm(forms.ModelForm):
    """A model form that refuses to save over a version of the row newer than the one it showed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get(VERSION_FIELD)
        if field is not None:
            field.widget = forms.HiddenInput()
            field.required = False  # a missing version is treated as stale, with the same message
            if not self.is_bound and getattr(self.instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None) is not None:
                # Reverting from History: the form shows an old version's values, but what a later
                # save must not overwrite is the row as it is now, so carry its current version.
                current = self._current_version()
                if current is not None:
                    self.initial[VERSION_FIELD] = current

    def _current_version(self) -> int | None:
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        return rows.values_list(VERSION_FIELD, flat=True).first()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        instance = self.instance
        if instance._state.adding or VERSION_FIELD not in self.fields:
            return cleaned
        model = type(instance)
        rows = model._default_manager.filter(pk=instance.pk)
        if transaction.get_connection(router.db_for_write(model)).in_atomic_block:
            # Held until the surrounding transaction (the admin's) commits the save.
            rows = rows.select_for_update()
        current = rows.values_list(VERSION_FIELD, flat=True).first()
        name = model._meta.verbose_name
        if current is None:
            raise ValidationError(
                f"This {name} was deleted while you were editing it. Your changes were not saved.", code="deleted"
            )
        if cleaned.get(VERSION_FIELD) != current:
            raise ValidationError(
                f"Someone else saved this {name} while you were editing it (at {last_saved_by(instance)}). "
                "Your changes were not saved: reload the page, reapply them, and save again.",
                code="stale",
            )
        # The saved row gets the next version: the form copies cleaned data onto the instance.
        cleaned[VERSION_FIELD] = current + 1
        return cleaned


class OptimisticLockingAdminMixin:
    """Put before ``admin.ModelAdmin`` (or a subclass) for a model with a ``version`` field.

    A custom ``form`` must subclass :class:`OptimisticLockingForm`. Saving a form nobody changed
    saves nothing: no new version, no history entry, no new "last updated" time.
    """

    form = OptimisticLockingForm

    def save_model(self, request: HttpRequest, obj: models.Model, form: forms.ModelForm, change: bool) -> None:
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def get_exclude(self, request: HttpRequest, obj: models.Model | None = None) -> Sequence[str] | None:
        exclude = super().get_exclude(request, obj)  # type: ignore[misc]
        if obj is not None:
            return exclude
        # An admin without ``fieldsets`` would otherwise put the version on the add form too.
        return [*(exclude or []), VERSION_FIELD]

    def get_fieldsets(self, request: HttpRequest, obj: models.Model | None = None) -> Sequence[Any]:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if obj is None:
            return fieldsets
        names = admin.utils.flatten_fieldsets(fieldsets)
        if VERSION_FIELD in names:
            return fieldsets
        fieldsets = copy.deepcopy(list(fieldsets))
        name, options = fieldsets[0]
        fieldsets[0] = (name, {**options, "fields": [*options["fields"], VERSION_FIELD]})
        return fieldsets
