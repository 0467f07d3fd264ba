"""The real services CI starts for the tests (.ci/run): a streaming replica and a Redis.

A test that needs one asks for its URL here. Without the environment variable the test is skipped
on a developer's machine, and it fails under CI (``CI=true``): a scale-out test that CI skipped
would be tested on paper only.
"""

from __future__ import annotations

import os
import shutil

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _missing(message: str) -> None:
    if in_ci():
        pytest.fail(f"{message} (CI=true: this test must run in CI, not be skipped)")
    pytest.skip(message)


def service_url(name: str, how: str) -> str:
    """The URL in environment variable ``name``; ``how`` says how to provide one."""
    value = os.environ.get(name, "").strip()
    if not value:
        _missing(f"{name} is not set: {how}")
    return value


def program(name: str) -> str:
    """The path of an installed program the test runs (e.g. ``redis-server``)."""
    path = shutil.which(name)
    if path is None:
        _missing(f"needs {name} installed")
    return path
