"""Signed-in sessions end after a working day, or sooner when left idle.

Django's ``SESSION_COOKIE_AGE`` alone would slide with every save, so both limits are kept here:
a session is signed out ``SESSION_IDLE_SECONDS`` after its last request and
``SESSION_MAX_SECONDS`` after sign-in, whichever comes first, and the user is asked to sign in again.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseBase

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
# Recording the last request at most this often spares a session write on every request.
SEEN_RESOLUTION_SECONDS = 60


class SessionLifetimeMiddleware:
    """After ``AuthenticationMiddleware``: signs out sessions past either limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            now = time.time()
            session = request.session
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            seen_at = session.get(SEEN_AT, now)
            if now - signed_in_at > settings.SESSION_MAX_SECONDS or now - seen_at > settings.SESSION_IDLE_SECONDS:
                logout(request)  # flushes the session: the admin then asks for a sign-in
            elif now - seen_at >= SEEN_RESOLUTION_SECONDS or SEEN_AT not in session:
                session[SEEN_AT] = now
        return self.get_response(request)
