from django.apps import AppConfig


class CurationConfig(AppConfig):
    """What every curated model and admin page shares: text fields that store what curators type
    with Unix line endings, and optimistic locking of the admin's change forms. It imports no
    domain app (import-linter)."""

    name = "curation"
    verbose_name = "Curation"
