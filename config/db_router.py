"""Send reads to PostgreSQL read replicas and everything else to the primary.

Replicas are the ``replica_N`` aliases that settings build from ``DATABASE_REPLICA_URLS``; with
none configured every query goes to ``default``. Reads are pinned to the primary when reading a
replica could show stale data to the person who just changed it:

* for the whole of a request that is not GET/HEAD/OPTIONS, that is under the admin, or that
  carries a session cookie (signed-in curators: they see their own edits at once);
* for the rest of a request (or script) after any write, and inside a transaction on the primary;
* for sessions, users and admin log entries, which log-in and the admin read right after writing.

Anonymous public pages and the API, the bulk of the traffic, read from one replica chosen at
random per request, so a page's count and its rows come from the same snapshot.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponseBase

PRIMARY = "default"
REPLICA_PREFIX = "replica_"
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "admin", "contenttypes"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_pinned: ContextVar[bool] = ContextVar("db_pinned_to_primary", default=False)
_request_replica: ContextVar[str | None] = ContextVar("db_request_replica", default=None)


def pin_to_primary() -> None:
    """Read from the primary for the rest of this request (or script)."""
    _pinned.set(True)


def is_pinned_to_primary() -> bool:
    return _pinned.get()


def replica_aliases() -> list[str]:
    return sorted(alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX))


class PrimaryReplicaRouter:
    """Database router: reads to a replica when that is safe, writes and migrations to the primary."""

    def __init__(self, replicas: list[str] | None = None, choose: Callable[[list[str]], str] = random.choice) -> None:
        self._replicas = replicas
        self._choose = choose

    @property
    def replicas(self) -> list[str]:
        return replica_aliases() if self._replicas is None else self._replicas

    def db_for_read(self, model: type, **hints: Any) -> str:
        replicas = self.replicas
        if not replicas or _pinned.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db  # related rows come from where their parent came from
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        chosen = _request_replica.get()
        return chosen if chosen in replicas else self._choose(replicas)

    def db_for_write(self, model: type, **hints: Any) -> str:
        pin_to_primary()
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # replicas hold the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == PRIMARY


def request_needs_primary(request: HttpRequest) -> bool:
    if request.method not in SAFE_METHODS:
        return True
    if request.path.startswith("/" + settings.ADMIN_URL):
        return True
    return settings.SESSION_COOKIE_NAME in request.COOKIES


class PrimaryPinningMiddleware:
    """Decide per request whether reads may use a replica; forget the decision afterwards."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        replicas = replica_aliases()
        pinned = _pinned.set(request_needs_primary(request))
        replica = _request_replica.set(random.choice(replicas) if replicas else None)
        try:
            return self.get_response(request)
        finally:
            _request_replica.reset(replica)
            _pinned.reset(pinned)
