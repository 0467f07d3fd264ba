"""A curator signs in with the keyboard in two steps, sets up an authenticator app the first time,
and every sign-in page has no axe WCAG 2.2 AA violation or CSP violation."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.helpers.curators import app_code, authenticator_for

pytestmark = pytest.mark.browser

PASSWORD = "a long enough passphrase"


@pytest.fixture
def staff(transactional_db):
    return UserFactory(username="dana", password=PASSWORD, is_staff=True, is_superuser=True)


def no_violations(page, axe_check) -> None:
    assert page.locator("h1").count() == 1
    assert axe_check(page) == []
    assert page.csp_violations == []


def enter_password(page, live_server, settings, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/{settings.ADMIN_URL}")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    page.wait_for_load_state()


def test_the_sign_in_page_and_its_errors_are_accessible(live_server, staff, page, axe_check, settings) -> None:
    page.goto(f"{live_server.url}/{settings.ADMIN_URL}login/")
    no_violations(page, axe_check)
    enter_password(page, live_server, settings, password="not the password")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    no_violations(page, axe_check)


def test_first_sign_in_sets_up_the_app_and_shows_recovery_codes(live_server, staff, page, axe_check, settings):
    enter_password(page, live_server, settings)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.locator("svg.ctl-qr-code")).to_be_visible()
    expect(page.locator(".ctl-setup-key")).to_be_visible()
    no_violations(page, axe_check)

    right = app_code(TOTPDevice.objects.get(user=staff))
    page.get_by_label("Code from your authenticator app").fill("000000" if right != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    no_violations(page, axe_check)
    page.wait_for_timeout(1_100)  # django-otp makes the next try after a wrong code wait a second
    page.get_by_label("Code from your authenticator app").fill(right)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    assert page.locator(".ctl-recovery-codes li").count() == 10
    no_violations(page, axe_check)
    page.get_by_role("link", name="I have saved my codes: continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Curate the library")


def test_a_curator_with_an_app_enters_its_code(live_server, staff, page, axe_check, settings) -> None:
    device = authenticator_for(staff)
    enter_password(page, live_server, settings)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    no_violations(page, axe_check)
    page.get_by_text("I do not have my phone").click()
    no_violations(page, axe_check)
    page.get_by_label("Security code").fill(app_code(device))
    page.get_by_label("Security code").press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Curate the library")
