"""The sign-in lock-out with a limit per rule: django-axes' database handler, counting differently.

Axes compares one number, ``get_failures()``, with one limit, ``AXES_FAILURE_LIMIT``, and takes the
number as the largest count over the rules of ``AXES_LOCKOUT_PARAMETERS``. Here the count of each
rule is first scaled to that limit: a username and address pair locks at ``AXES_FAILURE_LIMIT``
failures, a username alone at ``USERNAME_FAILURE_LIMIT``. Everything else (recording, cool-off,
reset on success, the lock-out page) is axes' own.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def rule_limit(parameters: str | list[str]) -> int:
    """Failures one rule of ``AXES_LOCKOUT_PARAMETERS`` allows before it locks."""
    return settings.USERNAME_FAILURE_LIMIT if parameters in ("username", ["username"]) else settings.AXES_FAILURE_LIMIT


class CuratorLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        counts = [0]
        # get_user_attempts() gives one queryset per rule, in the order of AXES_LOCKOUT_PARAMETERS.
        for parameters, attempts in zip(
            settings.AXES_LOCKOUT_PARAMETERS, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            # Whole multiples only: reaches AXES_FAILURE_LIMIT exactly when failures reach the rule's limit.
            counts.append(failures * settings.AXES_FAILURE_LIMIT // rule_limit(parameters))
        return max(counts)
