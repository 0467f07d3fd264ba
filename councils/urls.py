"""Web routes. PLACEHOLDER from the API branch: the web UI branch replaces this file.

The API's `url` fields reverse these names; until the pages exist they redirect to the API.
"""

from django.urls import path
from django.views.generic import RedirectView

app_name = "councils"

urlpatterns = [
    path("partnerships/<slug:slug>/", RedirectView.as_view(url="/api/v1/councils/"), name="partnership"),
    path("<slug:slug>/", RedirectView.as_view(pattern_name="api:council-detail"), name="detail"),
]
