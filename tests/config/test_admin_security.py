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
    response = sign_in(client, "the right password")
    # On to the second step (tests/accounts/test_two_factor.py).
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:two_factor"))


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


def spray(settings, addresses: list[str], *, via_proxy: bool, password: str = "wrong") -> object:
    """One sign-in as "curator" from each address: as the client's own, or behind one proxy."""
    settings.TRUSTED_PROXY_COUNT = 1 if via_proxy else 0
    response = None
    for address in addresses:
        where = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": address} if via_proxy else {"REMOTE_ADDR": address}
        response = Client().post(
            reverse("admin:login"),
            {"username": "curator", "password": password, "next": reverse("admin:index")},
            **where,
        )
    return response


@pytest.mark.parametrize("via_proxy", [False, True], ids=["own-addresses", "behind-a-proxy"])
def test_a_password_spray_from_many_addresses_locks_the_username(staff_user, settings, via_proxy) -> None:
    # Every address stays under its own limit; together they reach the username's.
    many = [f"198.51.100.{n}" for n in range(settings.USERNAME_FAILURE_LIMIT)]
    assert settings.AXES_FAILURE_LIMIT > 1 and settings.USERNAME_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    spray(settings, many, via_proxy=via_proxy)

    response = spray(settings, ["203.0.113.99"], via_proxy=via_proxy, password="the right password")

    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()


def test_failures_across_addresses_below_the_username_limit_do_not_lock(staff_user, settings) -> None:
    spray(settings, [f"198.51.100.{n}" for n in range(settings.USERNAME_FAILURE_LIMIT - 1)], via_proxy=True)
    assert spray(settings, ["203.0.113.99"], via_proxy=True, password="the right password").status_code == 302


def test_the_username_limit_is_three_times_the_address_limit(settings) -> None:
    assert settings.USERNAME_FAILURE_LIMIT == 3 * settings.AXES_FAILURE_LIMIT == 15
