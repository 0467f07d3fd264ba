"""The survey page: its chart, table and recommendations."""

from __future__ import annotations

import pytest

from tests.factories import FindingFactory, RecommendationFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def test_survey_page_shows_chart_table_and_recommendations(client, db):
    survey = SurveyFactory(title="Changing Places", respondents="council leaders and chief executives")
    FindingFactory(survey=survey, statement="Financial pressure drives innovation", percentage=75)
    FindingFactory(survey=survey, category="barrier", statement="Lack of time", percentage=58)
    RecommendationFactory(survey=survey, text="Share best practice.")
    response = client.get(survey.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html
    assert "75%" in html and "58%" in html
    assert "Barrier to innovation" in html
    assert "Share best practice." in html
    assert "80 council leaders and chief executives" in html
