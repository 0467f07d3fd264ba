"""A text field that always stores ``\\n`` line endings.

Browsers send the text of a ``<textarea>`` with ``\\r\\n`` line endings: stored as sent, an
unchanged case study saved from the admin would rewrite its body and record a change nobody made.
The field, used for the texts of every app, converts them on every write (``get_prep_value``:
admin forms, imports, fixtures, ``update()``) and when a form cleans its input (``to_python``, so
an unchanged form is unchanged).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models


def unix_newlines(value: Any) -> Any:
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class UnixNewlineFormField(forms.CharField):
    def to_python(self, value: Any) -> Any:
        return unix_newlines(super().to_python(value))


class MultilineTextField(models.TextField):
    def to_python(self, value: Any) -> Any:
        return unix_newlines(super().to_python(value))

    def get_prep_value(self, value: Any) -> Any:
        return unix_newlines(super().get_prep_value(value))

    def formfield(self, **kwargs: Any) -> forms.Field:
        return super().formfield(**{"form_class": UnixNewlineFormField, **kwargs})


def unix_newlines_migration(app_label: str, fields: dict[str, list[str]]) -> Any:
    """A ``RunPython`` operation that rewrites existing ``\\r\\n`` and ``\\r`` in these fields to ``\\n``
    (for the migration that turns them into :class:`MultilineTextField`)."""
    from django.db import migrations
    from django.db.models import F, Value
    from django.db.models.functions import Replace

    def forwards(apps: Any, schema_editor: Any) -> None:
        for model_name, names in fields.items():
            model = apps.get_model(app_label, model_name)
            for name in names:
                unix = Replace(Replace(F(name), Value("\r\n"), Value("\n")), Value("\r"), Value("\n"))
                model.objects.filter(**{f"{name}__contains": "\r"}).update(**{name: unix})

    return migrations.RunPython(forwards, migrations.RunPython.noop)
