from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CaseStudiesConfig(AppConfig):
    name = "casestudies"
    verbose_name = "Case studies"

    def ready(self) -> None:
        from .search import register_sqlite_functions

        # The search's stemming function on SQLite (casestudies/search.py).
        connection_created.connect(register_sqlite_functions, dispatch_uid="casestudies_sqlite_search")
