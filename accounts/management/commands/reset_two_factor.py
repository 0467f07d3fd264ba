"""Remove a curator's authenticator app and recovery codes (a lost phone): they set up anew."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import two_factor_reset


class Command(BaseCommand):
    help = (
        "Remove a curator's second factor (authenticator app and recovery codes). "
        "At their next sign-in, after their password, they set up an app again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get_by_natural_key(username)
        except user_model.DoesNotExist as exc:
            raise CommandError(f"No account with username {username!r}.") from exc
        removed = two_factor_reset(user=user)
        self.stdout.write(
            f"Removed {removed} device(s) of {username}. "
            "They set up an authenticator app at their next sign-in; any session they have keeps going "
            "until it ends, so also change their password if the phone was stolen."
        )
