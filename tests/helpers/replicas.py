"""A read replica declared for the tests of one module, as ``DATABASE_REPLICA_URLS`` declares it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from config.settings import database_replicas

ALIAS = "replica_1"


@contextmanager
def replica_alias(url: str) -> Iterator[str]:
    """``replica_1``: the test database on ``url``'s server, until the end of the block.

    Declared before the module's tests start (a module-scoped fixture), so that they can name it
    in ``django_db(databases=[...])``. It keeps ``TEST: {"MIRROR": "default"}``, so Django never
    creates or flushes it: it is the primary's own test database, replicated."""
    config = database_replicas(url)[ALIAS]
    config["NAME"] = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    # connections.settings is settings.DATABASES: the router and /healthz see the alias too.
    settings.DATABASES[ALIAS] = connections.configure_settings(
        {DEFAULT_DB_ALIAS: settings.DATABASES[DEFAULT_DB_ALIAS], ALIAS: config}
    )[ALIAS]
    try:
        yield ALIAS
    finally:
        if any(connection.alias == ALIAS for connection in connections.all(initialized_only=True)):
            connections[ALIAS].close()
            del connections[ALIAS]
        del settings.DATABASES[ALIAS]
