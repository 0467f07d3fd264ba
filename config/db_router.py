"""Send reads to PostgreSQL read replicas and everything else to the primary.

Replicas are the ``replica_N`` aliases that settings build from ``DATABASE_REPLICA_URLS``; with
none configured every query goes to ``default``. Reads are pinned to the primary when reading a
replica could show stale data to the person who just changed it:

* for the whole of a request that is not GET/HEAD/OPTIONS, that is under the admin, or that
  carries a session cookie (signed-in curators: they see their own edits at once);
* for the rest of a request (or script) after any write, and inside a transaction on the primary;
* for sessions, users and admin log entries, which log-in and the admin read right after writing.

Anonymous public pages and the API, the bulk of the traffic, read from one replica chosen at
random per request, so a page's count and its rows come from the same snapshot. It is chosen at the
request's first read (a response served from the cache touches no database) and must answer
``SELECT 1`` first: a replica that does not is left alone for ``RETRY_SECONDS`` and the request
reads from another replica, or from the primary when none answers. So a stopped replica costs one
failed connection attempt per process per interval, never an error page.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponseBase

PRIMARY = "default"
REPLICA_PREFIX = "replica_"
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "admin", "contenttypes"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A replica that did not answer gets no reads from this process for this long (then it is tried again).
RETRY_SECONDS = 30

logger = logging.getLogger(__name__)

_pinned: ContextVar[bool] = ContextVar("db_pinned_to_primary", default=False)
# The database this request reads from once chosen: a replica alias, or PRIMARY when none answered.
_request_replica: ContextVar[str | None] = ContextVar("db_request_replica", default=None)
# Replica alias -> time.monotonic() until which it is not tried (this process only).
_unavailable_until: dict[str, float] = {}


def pin_to_primary() -> None:
    """Read from the primary for the rest of this request (or script)."""
    _pinned.set(True)


def is_pinned_to_primary() -> bool:
    return _pinned.get()


def replica_aliases() -> list[str]:
    return sorted(alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX))


def database_answers(alias: str) -> bool:
    """Whether ``alias`` answers ``SELECT 1`` (Django reconnects first if a kept connection went
    stale). A connection that failed is closed, unless a transaction is open on it, so the next
    try opens a new one."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        if not connection.in_atomic_block:
            try:
                connection.close()
            except DatabaseError:
                pass  # the server is gone; the connection is dropped all the same
        return False
    return True


class PrimaryReplicaRouter:
    """Database router: reads to a replica when that is safe, writes and migrations to the primary."""

    def __init__(
        self,
        replicas: list[str] | None = None,
        choose: Callable[[list[str]], str] = random.choice,
        answers: Callable[[str], bool] = database_answers,
    ) -> None:
        self._replicas = replicas
        self._choose = choose
        self._answers = answers

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
        if chosen == PRIMARY or chosen in replicas:
            return chosen
        chosen = self.answering_replica(replicas) or PRIMARY
        _request_replica.set(chosen)  # the rest of the request (or script) reads there too
        return chosen

    def answering_replica(self, replicas: list[str]) -> str | None:
        """A replica, chosen at random among those not recently found down, that answers now."""
        now = time.monotonic()
        candidates = [alias for alias in replicas if _unavailable_until.get(alias, 0.0) <= now]
        while candidates:
            alias = self._choose(candidates)
            if self._answers(alias):
                _unavailable_until.pop(alias, None)
                return alias
            _unavailable_until[alias] = now + RETRY_SECONDS
            logger.warning("Read replica %s did not answer; reading elsewhere for %d s", alias, RETRY_SECONDS)
            candidates.remove(alias)
        return None

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
        pinned = _pinned.set(request_needs_primary(request))
        replica = _request_replica.set(None)  # chosen by the router at the request's first read
        try:
            return self.get_response(request)
        finally:
            _request_replica.reset(replica)
            _pinned.reset(pinned)
