"""The public web site."""

from django.urls import include, path

urlpatterns = [
    path("models/", include("transform_models.urls")),
    path("councils/", include("councils.urls")),
    path("surveys/", include("surveys.urls")),
    path("releases/", include("releases.urls")),
    path("", include("casestudies.urls")),
]
