"""What the sign-in asks of a curator's second factor, and how a new authenticator is shown."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


def is_verified(user: Any) -> bool:
    """Signed in with a second factor in this session.

    django-otp's ``OTPMiddleware`` gives ``request.user`` an ``is_verified()``; a user that
    ``django.contrib.auth.login`` has just put on the request (password only) has none, and is not.
    """
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def has_authenticator(user: AbstractBaseUser) -> bool:
    """Whether the user has set up an authenticator app (a confirmed TOTP device)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def normalise_code(raw: str) -> str:
    """Codes as typed: spaces and hyphens between groups dropped, recovery codes in lower case."""
    return "".join(raw.split()).replace("-", "").lower()


def is_app_code(code: str) -> bool:
    """Six digits come from the app; recovery codes are eight letters and digits."""
    return code.isdigit() and len(code) == 6


def second_factor_devices(user: AbstractBaseUser, code: str) -> list[Device]:
    """The user's devices that could accept this code (so a wrong kind of code throttles no other)."""
    model = TOTPDevice if is_app_code(code) else StaticDevice
    return list(model.objects.devices_for_user(user, confirmed=True))


@transaction.atomic
def device_for_code(user: AbstractBaseUser, code: str) -> Device | None:
    """The user's device that accepts ``code``: the authenticator app, or a recovery code (used up)."""
    for device in second_factor_devices(user, code):
        # django-otp's own check: locks the device row, throttles repeated failures, no replay.
        if verify_token(user, device.persistent_id, code):
            return device
    return None


def is_throttled(user: AbstractBaseUser, code: str) -> bool:
    """After wrong codes django-otp makes a device wait (1, 2, 4, … seconds) before the next try."""
    return any(not device.verify_is_allowed()[0] for device in second_factor_devices(user, code))


def setup_key(device: TOTPDevice) -> str:
    """The secret key as people type it into an app: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def setup_qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as an inline SVG QR code (no script, no inline style: CSP-safe)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#0b0c0c", light="#ffffff", svgclass="ctl-qr-code", lineclass=None, omitsize=False
    )
