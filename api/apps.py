from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The public API's shared layer, which every app's ``api.py``, serializers and filters build
    on: pagination (page numbers and cursors), CSV exports, strict query parameters, throttling,
    URL and slug fields, the schema and reference pages, rows built in SQL from a serializer, and
    the library cache of counts and responses. It imports no domain app (import-linter)."""

    name = "api"
    verbose_name = "Public API"
