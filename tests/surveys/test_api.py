"""The survey endpoints."""

from __future__ import annotations

import pytest

from tests.factories import FindingFactory, RecommendationFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def test_survey_detail_has_findings_and_recommendations(api, db) -> None:
    survey = SurveyFactory(slug="changing-places")
    FindingFactory(survey=survey, percentage=75)
    RecommendationFactory(survey=survey, text="Share what works.")
    assert api("surveys/").json()["results"][0]["finding_count"] == 1
    body = api("surveys/changing-places/").json()
    assert body["findings"][0]["percentage"] == 75.0
    assert body["recommendations"][0]["text"] == "Share what works."
