"""The client's address, by one rule for every control that keys on it (API rate limit, sign-in lock-out).

With ``API_NUM_PROXIES=0`` (the default) it is the connection's address: a client-supplied
``X-Forwarded-For`` is ignored, so it cannot be used to dodge a limit. Behind N reverse proxies
that each append the address they saw, it is the Nth address from the right of
``X-Forwarded-For``: the one the outermost trusted proxy was connected from.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if not addresses:
        return remote
    return addresses[-min(proxies, len(addresses))]
