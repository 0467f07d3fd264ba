"""The second sign-in step: a code from the curator's app, or setting the app up the first time.

Password first (the admin's own sign-in page), then one of these; the admin lets no one in
before it (accounts/admin_site.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.forms import AuthenticatorSetUpForm, SecurityCodeForm
from accounts.services import authenticator_confirm, authenticator_to_set_up, recovery_codes_issue
from accounts.two_factor import has_authenticator, is_verified, setup_key, setup_qr_svg

WRONG_SETUP_CODE = "The code is not right. Check the key you entered, wait for a new code and try again"


def next_url(request: HttpRequest) -> str:
    """Where the curator was going: a path on this site, else the admin's index."""
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    allowed = {request.get_host()}
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts=allowed, require_https=request.is_secure()):
        return candidate
    return reverse("admin:index")


def step_url(name: str, next_to: str) -> str:
    return f"{reverse(name)}?{urlencode({REDIRECT_FIELD_NAME: next_to})}"


def signed_in_with(request: HttpRequest, device: Device) -> None:
    """The session now counts as signed in with a second factor (under a new session key)."""
    request.session.cycle_key()
    django_otp.login(request, device)


def first_step_missing(request: HttpRequest) -> HttpResponse | None:
    """Back to the password page for anyone who has not passed it as an active staff member."""
    user = request.user
    if user.is_authenticated and user.is_active and user.is_staff:
        return None
    return HttpResponseRedirect(step_url("admin:login", next_url(request)))


@sensitive_post_parameters("code")
@never_cache
def second_factor(request: HttpRequest) -> HttpResponse:
    if refused := first_step_missing(request):
        return refused
    if is_verified(request.user):
        return redirect(next_url(request))
    if not has_authenticator(request.user):
        return redirect(step_url("admin:two_factor_set_up", next_url(request)))
    form = SecurityCodeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        signed_in_with(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = form.device.token_set.count()
            messages.warning(
                request,
                f"You signed in with a recovery code, which now no longer works. {left} left: "
                "get new recovery codes if you are running low.",
            )
        return redirect(next_url(request))
    return render(request, "accounts/second_factor.html", {"form": form, "next": next_url(request)})


@sensitive_post_parameters("code")
@never_cache
def set_up(request: HttpRequest) -> HttpResponse:
    if refused := first_step_missing(request):
        return refused
    if has_authenticator(request.user):
        # A curator with an app never sees a new key here; a lost phone is reset by an administrator.
        return redirect(step_url("admin:two_factor", next_url(request)))
    device = authenticator_to_set_up(user=request.user)
    form = AuthenticatorSetUpForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        codes = authenticator_confirm(device=device, code=form.cleaned_data["code"])
        if codes is not None:
            signed_in_with(request, device)
            # Shown in this answer only: never stored in the session, never shown again.
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url(request)})
        form.add_error("code", WRONG_SETUP_CODE)
    context = {
        "form": form,
        "next": next_url(request),
        "key": setup_key(device),
        "qr_svg": setup_qr_svg(device),
        "account": request.user.get_username(),
    }
    return render(request, "accounts/set_up.html", context)


@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """A verified curator's new set of recovery codes (the old ones stop working). Admin only."""
    if request.method == "POST":
        codes = recovery_codes_issue(user=request.user)
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("admin:index")})
    return render(request, "accounts/new_recovery_codes.html", {"count": settings.RECOVERY_CODE_COUNT})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Leave between the two steps (the admin's own sign-out is only for those fully signed in)."""
    logout(request)
    return redirect("admin:login")
