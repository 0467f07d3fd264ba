"""Every staff account signs in to the admin with a password and then a second factor: a code from
an authenticator app (TOTP), or a single-use recovery code. The first time, the app is set up."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import setup_key
from tests.factories import UserFactory
from tests.helpers.curators import app_code, authenticator_for, verified_client

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase"


@pytest.fixture
def staff():
    return UserFactory(username="dana", password=PASSWORD, is_staff=True, is_superuser=True)


@pytest.fixture
def app(staff) -> TOTPDevice:
    return authenticator_for(staff)


def sign_in(client: Client, next_url: str = "") -> object:
    """The password step, as the sign-in page posts it."""
    return client.post(
        reverse("admin:login"), {"username": "dana", "password": PASSWORD, "next": next_url or reverse("admin:index")}
    )


def enter_code(client: Client, code: str, next_url: str = "") -> object:
    return client.post(reverse("admin:two_factor"), {"code": code, "next": next_url or reverse("admin:index")})


def recovery_codes_on(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)


def set_up_app(client: Client, staff) -> list[str]:
    """Password, then the set-up page with the app's first code: the recovery codes shown."""
    sign_in(client)
    client.get(reverse("admin:two_factor_set_up"))
    device = TOTPDevice.objects.get(user=staff)
    response = client.post(reverse("admin:two_factor_set_up"), {"code": app_code(device)})
    return recovery_codes_on(response.content.decode())


def admin_index_status(client: Client) -> int:
    return client.get(reverse("admin:index")).status_code


def test_a_password_alone_does_not_open_the_admin(staff, client) -> None:
    client.force_login(staff)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("admin:two_factor"))


def test_after_the_password_a_curator_is_asked_for_a_code(staff, app, client) -> None:
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:two_factor"))
    page = client.get(response["Location"]).content.decode()
    assert "Enter your security code" in page and 'autocomplete="one-time-code"' in page


def test_the_code_from_the_app_opens_the_admin(staff, app, client) -> None:
    sign_in(client)
    response = enter_code(client, app_code(app))
    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))
    assert admin_index_status(client) == 200


def test_a_wrong_code_is_refused_with_a_message(staff, app, client) -> None:
    sign_in(client)
    response = enter_code(client, "000000" if app_code(app) != "000000" else "111111")
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert admin_index_status(client) == 302


def test_a_code_is_accepted_only_once(staff, app, client) -> None:
    code = app_code(app)
    sign_in(client)
    enter_code(client, code)
    replay = Client()
    sign_in(replay)
    assert "The code is not right" in enter_code(replay, code).content.decode()
    assert admin_index_status(replay) == 302


def test_after_a_wrong_code_the_curator_must_wait_before_the_next(staff, app, client, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # django-otp's back-off: 60 s after one failure (default 1 s)
    sign_in(client)
    enter_code(client, "000000" if app_code(app) != "000000" else "111111")
    response = enter_code(client, app_code(app))
    assert "too many wrong codes" in response.content.decode()
    assert admin_index_status(client) == 302


def test_the_curator_goes_on_to_where_they_were_going(staff, app, client) -> None:
    going_to = reverse("admin:casestudies_casestudy_changelist")
    response = sign_in(client, going_to)
    assert client.get(response["Location"]).context["next"] == going_to
    assert enter_code(client, app_code(app), going_to)["Location"] == going_to


def test_an_address_on_another_site_is_not_followed(staff, app, client) -> None:
    sign_in(client)
    assert enter_code(client, app_code(app), "https://attacker.example/")["Location"] == reverse("admin:index")


def test_a_visitor_who_has_not_given_a_password_is_sent_to_the_password_page(client) -> None:
    response = client.get(reverse("admin:two_factor"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_a_signed_in_user_who_is_not_staff_is_sent_to_the_password_page(client) -> None:
    client.force_login(UserFactory(username="reader", is_staff=False))
    for step in ("admin:two_factor", "admin:two_factor_set_up"):
        assert client.get(reverse(step))["Location"].startswith(reverse("admin:login"))


def test_signing_out_between_the_steps_ends_the_session(staff, app, client) -> None:
    sign_in(client)
    client.post(reverse("admin:two_factor_sign_out"))
    assert "_auth_user_id" not in client.session


# --- Setting the app up ---------------------------------------------------------------------------


def test_a_curator_without_an_app_is_led_to_set_one_up(staff, client) -> None:
    response = client.get(sign_in(client)["Location"])
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:two_factor_set_up"))
    page = client.get(response["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    # The key as text (for people who cannot scan) and as a QR code.
    assert setup_key(device) in page
    assert "<svg" in page and "QR code" in page


def test_the_set_up_page_keeps_its_key_until_the_app_is_confirmed(staff, client) -> None:
    sign_in(client)
    first = client.get(reverse("admin:two_factor_set_up")).context["key"]
    assert client.get(reverse("admin:two_factor_set_up")).context["key"] == first


def test_the_apps_first_code_confirms_it_and_shows_recovery_codes(staff, client) -> None:
    codes = set_up_app(client, staff)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True)) == sorted(codes)
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert admin_index_status(client) == 200


def test_recovery_codes_are_shown_only_once(staff, client) -> None:
    codes = set_up_app(client, staff)
    again = client.get(reverse("admin:two_factor_set_up"), follow=True)
    assert not set(codes) & set(recovery_codes_on(again.content.decode()))
    assert "key" not in again.context


def test_a_wrong_first_code_does_not_confirm_the_app(staff, client) -> None:
    sign_in(client)
    client.get(reverse("admin:two_factor_set_up"))
    device = TOTPDevice.objects.get(user=staff)
    wrong = "000000" if app_code(device) != "000000" else "111111"
    response = client.post(reverse("admin:two_factor_set_up"), {"code": wrong})
    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.get(user=staff).confirmed
    assert admin_index_status(client) == 302


def test_after_a_wrong_first_code_the_curator_must_wait_before_the_next(staff, client, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    sign_in(client)
    client.get(reverse("admin:two_factor_set_up"))
    device = TOTPDevice.objects.get(user=staff)
    client.post(reverse("admin:two_factor_set_up"), {"code": "000000" if app_code(device) != "000000" else "111111"})
    response = client.post(reverse("admin:two_factor_set_up"), {"code": app_code(device)})
    assert "too many wrong codes" in response.content.decode()
    assert not TOTPDevice.objects.get(user=staff).confirmed


def test_the_first_code_must_be_six_digits(staff, client) -> None:
    sign_in(client)
    response = client.post(reverse("admin:two_factor_set_up"), {"code": "12ab"})
    assert response.status_code == 200
    assert "Enter the 6 digits" in response.content.decode()


# --- Recovery codes -------------------------------------------------------------------------------


def test_a_recovery_code_signs_the_curator_in(staff, client) -> None:
    code = set_up_app(Client(), staff)[0]
    sign_in(client)
    response = enter_code(client, code.upper()[:4] + " " + code.upper()[4:])  # as typed from paper
    assert response.status_code == 302
    assert admin_index_status(client) == 200


def test_a_recovery_code_works_only_once(staff) -> None:
    code = set_up_app(Client(), staff)[0]
    first, second = Client(), Client()
    sign_in(first)
    enter_code(first, code)
    sign_in(second)
    assert "The code is not right" in enter_code(second, code).content.decode()
    assert admin_index_status(second) == 302


def test_new_recovery_codes_replace_the_old_ones(staff) -> None:
    old = set_up_app(Client(), staff)
    curator = verified_client(staff)
    new = recovery_codes_on(curator.post(reverse("admin:recovery_codes")).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client = Client()
    sign_in(client)
    assert "The code is not right" in enter_code(client, old[1]).content.decode()


def test_every_admin_page_links_to_new_recovery_codes(curator_client) -> None:
    assert f'href="{reverse("admin:recovery_codes")}"' in curator_client.get(reverse("admin:index")).content.decode()


def test_new_recovery_codes_need_a_curator_signed_in_with_both_factors(staff, client) -> None:
    client.force_login(staff)
    assert client.post(reverse("admin:recovery_codes")).status_code == 302
    assert not StaticToken.objects.exists()


# --- A lost phone -------------------------------------------------------------------------------


def test_resetting_a_curators_second_factor_makes_them_set_up_again(staff, client) -> None:
    set_up_app(Client(), staff)
    out = StringIO()
    call_command("reset_two_factor", "dana", stdout=out)
    assert "Removed 2 device(s) of dana" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=staff).exists() and not StaticToken.objects.exists()
    assert client.get(sign_in(client)["Location"])["Location"].startswith(reverse("admin:two_factor_set_up"))


def test_resetting_an_unknown_account_is_a_clear_error(db) -> None:
    with pytest.raises(CommandError, match="No account with username 'nobody'"):
        call_command("reset_two_factor", "nobody")
