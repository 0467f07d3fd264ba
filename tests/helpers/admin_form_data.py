"""Build the POST data an admin change form would submit, from the page's own forms."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm
from django.http import HttpResponse


def _form_data(form: BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
            continue
        data[bound.html_name] = str(value)
    return data


def change_form_data(response: HttpResponse) -> dict[str, Any]:
    """Everything the change page would post if the curator pressed Save without editing."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def edited(data: dict[str, Any]) -> dict[str, Any]:
    """The same post with a real change (the title or name), as a curator who saves edits sends it.

    A form posted unchanged saves nothing (no new version), so it cannot make another form stale.
    """
    field = next(name for name in ("title", "name") if name in data)
    return {**data, field: f"{data[field]} (edited)"}
