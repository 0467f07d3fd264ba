"""The transformation-model pages: a model's page with its chart, and the comparison page."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_model_page_draws_its_figures_as_a_chart_and_a_table(client, library_of, sharing):
    library_of(4)
    response = client.get(reverse("transform_models:detail", kwargs={"slug": "sharing"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html
    assert "<table" in html
    assert "a year (achieved)" in html  # each bar says its value and status in text


def test_compare_page_lists_every_model_with_savings(client, library_of):
    library_of(4)
    response = client.get(reverse("transform_models:compare"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sharing" in html and "Commissioning" in html
    assert "£4m" in html  # commissioning: £1m + £3m achieved per year (cases 2 and 4)
