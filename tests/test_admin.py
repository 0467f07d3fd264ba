"""The curator admin: reachable by staff only, every page renders, bad data is a form error."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from casestudies.models import CaseStudy, CaseStudyLinkKeys, CaseStudySearchDocument, Figure
from tests.factories import (
    CaseStudyFactory,
    CouncilFactory,
    FigureFactory,
    TransformationModelFactory,
)

pytestmark = pytest.mark.django_db

CURATED_APPS = ("transform_models", "councils", "casestudies", "surveys")
REGISTERED = [m for m in admin.site._registry if m._meta.app_label in CURATED_APPS]


def test_every_curated_model_is_registered() -> None:
    curated = {
        m
        for app in CURATED_APPS
        for m in apps.get_app_config(app).get_models()
        if not m.__name__.startswith("Historical") and not m._meta.proxy
    }
    # Rows the database derives (casestudies/derived.py) are not edited by anyone.
    curated -= {CaseStudyLinkKeys, CaseStudySearchDocument}
    # The plain M2M tables are edited through their owners.
    assert curated - set(admin.site._registry) == set()


def test_anonymous_user_is_sent_to_the_login_page(anon_client) -> None:
    response = anon_client.get(reverse("admin:casestudies_casestudy_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_non_staff_user_cannot_use_the_admin(client, django_user_model) -> None:
    user = django_user_model.objects.create_user("member", password="x")
    client.force_login(user)
    response = client.get(reverse("admin:casestudies_casestudy_changelist"))
    assert response.status_code == 302


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_renders_for_curator(curator_client, model) -> None:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert curator_client.get(url).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_add_page_renders_for_curator(curator_client, model) -> None:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    assert curator_client.get(url).status_code == 200


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


def test_council_changelist_query_count(curator_client, django_assert_max_num_queries) -> None:
    successor = CouncilFactory()
    for _ in range(30):
        CouncilFactory(successor=successor, abolished_on="2019-04-01")
    with django_assert_max_num_queries(8):
        assert curator_client.get(reverse("admin:councils_council_changelist")).status_code == 200


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
        "quote": "It saved £2-3 million per year.",
        "council": "",
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
