"""The transformation-model admin: a change is recorded in history with its curator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import TransformationModelFactory

pytestmark = pytest.mark.django_db


def test_change_in_admin_is_recorded_with_its_user(curator_client, curator) -> None:
    model = TransformationModelFactory(slug="enabling", name="Enabling")
    url = reverse("admin:transform_models_transformationmodel_change", args=[model.pk])
    data = {
        "slug": "enabling",
        "name": "Enabling",
        "definition": "Changed definition.",
        "key_features": "",
        "display_order": 1,
        "version": model.version,  # the hidden field a real change form posts (optimistic locking)
        "points-TOTAL_FORMS": 0,
        "points-INITIAL_FORMS": 0,
    }
    assert curator_client.post(url, data).status_code == 302
    assert model.history.first().history_user == curator
