"""The curator admin: brute-force lock-out, a configurable address, every change attributed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import CaseStudyFactory, ContactFactory, UserFactory
from tests.helpers.admin_form_data import change_form_data

pytestmark = pytest.mark.django_db


def sign_in(client: Client, password: str) -> object:
    return client.post(
        reverse("admin:login"),
        {"username": "curator", "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR="203.0.113.7",
    )


@pytest.fixture
def staff_user():
    return UserFactory(username="curator", password="the right password", is_staff=True, is_superuser=True)


def test_correct_password_signs_a_curator_in(staff_user, client) -> None:
    assert sign_in(client, "the right password").status_code == 302


def test_repeated_failed_sign_ins_lock_the_account_out(staff_user, client) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")

    response = sign_in(client, "the right password")

    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_do_not_lock_out(staff_user, client) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, "the right password").status_code == 302


def test_lock_out_is_per_address_so_curators_elsewhere_can_still_sign_in(staff_user, client) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")
    response = Client().post(
        reverse("admin:login"),
        {"username": "curator", "password": "the right password", "next": reverse("admin:index")},
        REMOTE_ADDR="198.51.100.20",
    )
    assert response.status_code == 302


def test_admin_address_comes_from_the_environment() -> None:
    env = {**os.environ, "DJANGO_ADMIN_URL": "/backstage-7f3a/", "DJANGO_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from django.urls import reverse; print(reverse('admin:index'))"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "/backstage-7f3a/"


def test_inline_edit_is_recorded_in_history_with_its_user(curator_client, curator) -> None:
    contact = ContactFactory(role="Head of Service")
    url = reverse("admin:casestudies_casestudy_change", args=[contact.case_study.pk])
    data = change_form_data(curator_client.get(url))
    data["contacts-0-role"] = "Director of Transformation"

    assert curator_client.post(url, data).status_code == 302

    latest = contact.history.first()
    assert (latest.role, latest.history_user) == ("Director of Transformation", curator)


def test_case_study_edit_is_recorded_in_history_with_its_user(curator_client, curator) -> None:
    case = CaseStudyFactory()
    url = reverse("admin:casestudies_casestudy_change", args=[case.pk])
    data = change_form_data(curator_client.get(url))
    data["title"] = "Renamed"
    curator_client.post(url, data)
    latest = case.history.first()
    assert (latest.title, latest.history_user) == ("Renamed", curator)


def test_behind_a_proxy_the_lock_out_keys_on_the_client_not_the_proxy(staff_user, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, curator = Client(), Client()

    def attempt(client: Client, address: str, password: str) -> object:
        return client.post(
            reverse("admin:login"),
            {"username": "curator", "password": password, "next": reverse("admin:index")},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=address,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(attacker, "198.51.100.66", "wrong")
    assert attempt(attacker, "198.51.100.66", "the right password").status_code == 429
    assert attempt(curator, "203.0.113.7", "the right password").status_code == 302
