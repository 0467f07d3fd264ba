"""The case-study and figure admin: pages render, the change list's queries are bounded, bad data is a
form error, and publishing is recorded with its curator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casestudies.models import CaseStudy, Figure
from tests.factories import CaseStudyFactory, CouncilFactory, FigureFactory

pytestmark = pytest.mark.django_db


def test_case_study_change_page_and_history_render(curator_client) -> None:
    case = FigureFactory().case_study
    assert curator_client.get(reverse("admin:casestudies_casestudy_change", args=[case.pk])).status_code == 200
    assert curator_client.get(reverse("admin:casestudies_casestudy_history", args=[case.pk])).status_code == 200


def test_case_study_changelist_query_count_does_not_grow(curator_client, django_assert_max_num_queries) -> None:
    for _ in range(30):
        CaseStudyFactory(councils=[CouncilFactory(), CouncilFactory()])
    url = reverse("admin:casestudies_casestudy_changelist")
    # session, user, count (x2: filtered and total), page, councils, models, + list filter choices
    with django_assert_max_num_queries(14):
        assert curator_client.get(url).status_code == 200


def figure_form_data(case: CaseStudy, **overrides: object) -> dict[str, object]:
    data = {
        "case_study": case.pk,
        "position": 1,
        "kind": "saving",
        "label": "",
        "measure": "money",
        "amount_low": "2000000",
        "amount_high": "3000000",
        "percent_low": "",
        "percent_high": "",
        "period": "per_year",
        "period_years": "",
        "period_start_year": "",
        "period_end_year": "",
        "status": "achieved",
        "recurrence": "",
        "part_of": "",
        "evidence": "",
        "quote": "It saved £2-3 million per year.",
    }
    data.update(overrides)
    return data


def test_backwards_range_is_a_form_error_on_the_field(curator_client) -> None:
    case = CaseStudyFactory()
    response = curator_client.post(
        reverse("admin:casestudies_figure_add"), figure_form_data(case, amount_low="5000000")
    )
    assert response.status_code == 200
    assert "amount_low" in response.context["adminform"].form.errors
    assert not Figure.objects.exists()


def test_percentage_of_140_is_a_form_error_on_the_field(curator_client) -> None:
    case = CaseStudyFactory()
    data = figure_form_data(case, measure="percent", amount_low="", amount_high="", percent_high="140")
    response = curator_client.post(reverse("admin:casestudies_figure_add"), data)
    assert response.status_code == 200
    assert "percent_high" in response.context["adminform"].form.errors


def test_valid_figure_saved_in_admin_updates_headline_saving(curator_client) -> None:
    case = CaseStudyFactory()
    response = curator_client.post(reverse("admin:casestudies_figure_add"), figure_form_data(case))
    assert response.status_code == 302
    assert CaseStudy.objects.with_headline_saving().get(pk=case.pk).headline_annual_saving == 3_000_000


def test_publish_action_publishes_and_records_history(curator_client, curator) -> None:
    case = CaseStudyFactory(status=CaseStudy.Status.DRAFT)
    response = curator_client.post(
        reverse("admin:casestudies_casestudy_changelist"),
        {"action": "publish", "_selected_action": [case.pk]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStudy.Status.PUBLISHED
    latest = case.history.first()
    assert latest.status == "published"
    assert latest.history_user == curator
