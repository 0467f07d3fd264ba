"""Curators signed in with both factors, and the codes their authenticator app would show."""

from __future__ import annotations

import django_otp
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client, RequestFactory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def app_code(device: TOTPDevice) -> str:
    """The 6 digits the curator's authenticator app shows now for this device."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def authenticator_for(user: AbstractBaseUser) -> TOTPDevice:
    """A set-up (confirmed) authenticator app for the user."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def verified_client(user: AbstractBaseUser, client: Client | None = None) -> Client:
    """A test client signed in as ``user`` with a second factor, as after both sign-in steps.

    ``force_login`` stands for the password step and django-otp's ``login()`` for the code step;
    the sign-in pages themselves are tested in tests/accounts/.
    """
    client = client or Client()
    device = authenticator_for(user)
    client.force_login(user)
    request = RequestFactory().get("/")
    request.user, request.session = user, client.session
    django_otp.login(request, device)
    request.session.save()
    return client
