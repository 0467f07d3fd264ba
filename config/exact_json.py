"""A JSON serialization format that keeps timestamps exact, for backups (``exact-json``).

Django's JSON serializer writes datetimes through ``DjangoJSONEncoder``, which cuts microseconds to
milliseconds, so a backup restored into an empty database would differ from the original in every
timestamp (history dates, ``updated_at``, ``last_login``). This format writes them in full ISO 8601;
the files are ordinary Django JSON fixtures, which ``loaddata`` reads with its own ``json`` format.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers import json
from django.core.serializers.json import Deserializer  # noqa: F401  (a format module provides both)


class Serializer(json.Serializer):
    def get_dump_object(self, obj: Any) -> dict[str, Any]:
        data = super().get_dump_object(obj)
        for name, value in data["fields"].items():
            if isinstance(value, datetime.datetime):
                data["fields"][name] = value.isoformat()
        return data
