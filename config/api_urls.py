"""The public read-only API, version 1. Paths here are a public contract."""

app_name = "api"

urlpatterns: list = []
