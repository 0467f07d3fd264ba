"""Curator sessions end after 12 hours or 30 idle minutes; passwords are at least 12 characters."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from config.sessions import SEEN_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db


def age_session(client, **seconds_ago: float) -> None:
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def test_an_active_curator_stays_signed_in(curator_client) -> None:
    assert curator_client.get(reverse("admin:index")).status_code == 200
    age_session(curator_client, seen_at=25 * 60)
    assert curator_client.get(reverse("admin:index")).status_code == 200


def test_thirty_idle_minutes_sign_a_curator_out(curator_client, settings) -> None:
    curator_client.get(reverse("admin:index"))
    age_session(curator_client, seen_at=settings.SESSION_IDLE_SECONDS + 1)
    response = curator_client.get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_twelve_hours_after_sign_in_a_busy_curator_signs_in_again(curator_client, settings) -> None:
    curator_client.get(reverse("admin:index"))
    age_session(curator_client, signed_in_at=settings.SESSION_MAX_SECONDS + 1, seen_at=10)
    response = curator_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert SIGNED_IN_AT not in curator_client.session and SEEN_AT not in curator_client.session


def test_the_session_cookie_lasts_no_longer_than_the_working_day(settings) -> None:
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_MAX_SECONDS == 12 * 60 * 60
    assert settings.SESSION_IDLE_SECONDS == 30 * 60


def test_a_password_shorter_than_twelve_characters_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Tr0ub4dor&3")
    validate_password("correct horse battery staple")


def test_a_common_password_is_refused_whatever_its_length() -> None:
    with pytest.raises(ValidationError, match="too common"):
        validate_password("password1234")
