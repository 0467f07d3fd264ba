"""Releases are written under a temporary RELEASES_ROOT; ``publish`` runs the real command."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command

from releases.models import Release


@pytest.fixture
def releases_root(settings, tmp_path) -> Path:
    settings.RELEASES_ROOT = tmp_path / "releases"
    return settings.RELEASES_ROOT


@pytest.fixture
def publish(releases_root) -> Callable[..., Release]:
    """Publish the next release through ``manage.py publish_release``; return it."""

    def run(notes: str = "") -> Release:
        call_command("publish_release", notes=notes, verbosity=0, stdout=io.StringIO())
        return Release.objects.order_by("-number").first()

    return run
