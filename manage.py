#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if sys.argv[1:2] != ["runserver"]:
        # Management commands are operators' work, not public requests: a migration building an
        # index or a restore of a large library may rightly run past the web's statement timeout
        # (docs/deployment.md). Set it in the environment to limit them too.
        os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "0")
    from django.core.exceptions import ImproperlyConfigured

    try:
        # Load settings first: Django's command runner would otherwise swallow a settings error
        # (e.g. a missing DJANGO_SECRET_KEY) and fail later with "Models aren't loaded yet".
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as error:
        sys.exit(f"Configuration error: {error}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
