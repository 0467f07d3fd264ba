"""The transformation-model and theme endpoints."""

from __future__ import annotations

import pytest

from tests.factories import ModelPointFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_transformation_model_lists_benefits_and_challenges(api, library) -> None:
    ModelPointFactory(model=library["sharing"], kind="challenge", position=1, text="Hard to agree.")
    ModelPointFactory(model=library["sharing"], kind="benefit", position=1, text="Cheaper.")
    body = api("transformation-models/sharing/").json()
    assert (body["benefits"], body["challenges"], body["case_study_count"]) == (["Cheaper."], ["Hard to agree."], 3)


def test_themes_have_kind_and_models(api, library) -> None:
    theme = ThemeFactory(slug="leadership", kind="success_factor")
    theme.transformation_models.add(library["sharing"])
    body = api("themes/leadership/").json()
    assert (body["kind"], [model["slug"] for model in body["models"]]) == ("success_factor", ["sharing"])
