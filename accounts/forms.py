"""The two forms of the second sign-in step: a code from the app (or a recovery code), and set-up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import device_for_code, is_app_code, is_throttled, normalise_code

WRONG_CODE = "The code is not right. Check the code and try again, or wait for your app to show a new one"
THROTTLED = "You have entered too many wrong codes. Wait a minute, then try again"  # django-otp's back-off


class SecurityCodeForm(forms.Form):
    """A code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label="Security code",
        max_length=40,
        error_messages={"required": "Enter the 6-digit code from your authenticator app, or a recovery code"},
    )

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        # Asked before trying: a wrong code makes the device wait, so after one it always would be.
        if is_throttled(self.user, code):
            raise forms.ValidationError(THROTTLED)
        self.device = device_for_code(self.user, code)
        if self.device is None:
            raise forms.ValidationError(WRONG_CODE)
        return code


class AuthenticatorSetUpForm(forms.Form):
    """The first code from a newly added app, proving it holds the key."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=10,
        error_messages={"required": "Enter the 6-digit code your authenticator app shows"},
    )

    def __init__(self, *args: Any, device: TOTPDevice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not is_app_code(code):
            raise forms.ValidationError("Enter the 6 digits your authenticator app shows, like 123456")
        if not self.device.verify_is_allowed()[0]:
            raise forms.ValidationError(THROTTLED)
        return code
