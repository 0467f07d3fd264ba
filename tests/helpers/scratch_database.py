"""Scratch databases for tests that run manage.py against a database of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection


@contextmanager
def scratch_postgres_database(purpose: str) -> Iterator[str]:
    """Create an empty PostgreSQL database next to the test database; yield its URL; drop it."""
    db = connection.settings_dict
    name = f"{db['NAME']}_{purpose}_{os.getpid()}"
    params = {key: db[key.upper()] for key in ("host", "port", "user", "password") if db.get(key.upper())}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    try:
        yield f"postgres://{auth}@{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scratch_sqlite_database(folder: Path) -> str:
    return f"sqlite:///{folder / 'scratch.sqlite3'}"


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py against another database; fails the test with its output if it fails."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "1",
        "DATABASE_CONN_MAX_AGE": "0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result
