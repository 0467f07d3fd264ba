"""A stale transformation-model form saves none of its inline rows (benefits and challenges)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import TransformationModelFactory
from tests.helpers.admin_form_data import change_form_data, edited
from tests.helpers.locking import TRANSFORMATION_MODEL

pytestmark = pytest.mark.django_db


def test_stale_form_does_not_save_its_inline_rows(curator_client: Client, second_curator_client: Client) -> None:
    model = TransformationModelFactory()
    url = TRANSFORMATION_MODEL.change_url(model)
    mine = change_form_data(curator_client.get(url))
    second_curator_client.post(url, edited(change_form_data(second_curator_client.get(url))))
    mine.update(
        {
            "points-TOTAL_FORMS": "1",
            "points-0-kind": "benefit",
            "points-0-position": "1",
            "points-0-text": "Added by a stale form",
        }
    )
    assert curator_client.post(url, mine).status_code == 200
    assert not model.points.exists()
