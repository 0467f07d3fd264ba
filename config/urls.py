"""URL roots: the public site, the API under /api/v1/, and the curator admin (accounts/admin_site.py)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("", include("config.site_urls")),
]

handler404 = "casestudies.views.page_not_found"
handler500 = "casestudies.views.server_error"
