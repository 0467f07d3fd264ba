"""The curator admin: a password and then a second factor, for every staff account.

``admin.site`` is this site (accounts/admin_apps.py). It refuses anyone not verified by
django-otp in this session, as django-otp's ``OTPAdminSite`` does, but in two steps: the
password page, then a code from the curator's authenticator app (or a recovery code), or,
for a curator who has none yet, setting one up (accounts/views.py).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, URLResolver, path

from accounts import views
from accounts.two_factor import is_verified


class CuratorAdminSite(admin.AdminSite):
    site_header = "Council Transformation Library: curation"
    site_title = "Council Transformation Library admin"
    index_title = "Curate the library"
    login_template = "accounts/login.html"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and is_verified(request.user)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """The password step; a staff member past it goes on to the second step."""
        response = super().login(request, extra_context)
        user = request.user
        if user.is_active and user.is_staff and not self.has_permission(request):
            # After a right password, where the sign-in would have gone; else where it was asked to go.
            going_to = response["Location"] if response.status_code == 302 else request.GET.get(REDIRECT_FIELD_NAME, "")
            return HttpResponseRedirect(views.step_url("admin:two_factor", going_to or views.next_url(request)))
        return response

    def get_urls(self) -> list[URLPattern | URLResolver]:
        return [
            path("two-factor/", views.second_factor, name="two_factor"),
            path("two-factor/set-up/", views.set_up, name="two_factor_set_up"),
            path("two-factor/sign-out/", views.sign_out, name="two_factor_sign_out"),
            path("two-factor/recovery-codes/", self.admin_view(views.recovery_codes), name="recovery_codes"),
            *super().get_urls(),
        ]
