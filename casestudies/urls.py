"""Web routes. PLACEHOLDER from the API branch: the web UI branch replaces this file.

The API's `url` fields reverse these names; until the pages exist they redirect to the API.
"""

from django.urls import path
from django.views.generic import RedirectView

app_name = "casestudies"

urlpatterns = [
    path("case-studies/<slug:slug>/", RedirectView.as_view(pattern_name="api:casestudy-detail"), name="detail"),
    path("programmes/<slug:slug>/", RedirectView.as_view(pattern_name="api:programme-detail"), name="programme"),
]
