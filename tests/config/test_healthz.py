"""/healthz: what load balancers probe."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_when_the_database_answers(anon_client) -> None:
    response = anon_client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_is_never_cached(anon_client) -> None:
    assert "no-store" in anon_client.get("/healthz")["Cache-Control"]


def test_healthz_is_503_when_the_database_does_not_answer(anon_client) -> None:
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = anon_client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert "down" not in response.content.decode()


def test_healthz_answers_plain_http_when_https_redirect_is_on(anon_client, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert anon_client.get("/healthz").status_code == 200
