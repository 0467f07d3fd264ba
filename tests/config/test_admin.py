"""The curator admin as a whole: reachable by staff only; every curated model of every app is
registered, and its list and add pages render."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from casestudies.models import CaseStudyFacetTotal, CaseStudyLinkKeys, CaseStudySearchDocument, LoadedFixture
from councils.models import Succession

pytestmark = pytest.mark.django_db

CURATED_APPS = ("transform_models", "councils", "casestudies", "surveys")
REGISTERED = [m for m in admin.site._registry if m._meta.app_label in CURATED_APPS]
# Logs nobody writes by hand (the erasure log, the fixture conflicts load_library finds, the
# disagreements import_council_register finds), and suggestions, which come from the public form only.
NOT_ADDABLE = (
    "casestudies.ContactErasure",
    "casestudies.FixtureConflict",
    "councils.RegisterDiscrepancy",
    "casestudies.Suggestion",
)
ADDABLE = [m for m in REGISTERED if m._meta.label not in NOT_ADDABLE]


def test_every_curated_model_is_registered() -> None:
    curated = {
        m
        for app in CURATED_APPS
        for m in apps.get_app_config(app).get_models()
        if not m.__name__.startswith("Historical") and not m._meta.proxy
    }
    # Rows the database derives (casestudies/derived.py) are not edited by anyone.
    curated -= {
        CaseStudyLinkKeys,
        CaseStudySearchDocument,
        CaseStudyFacetTotal,
        LoadedFixture,
    }  # + load_library's bookkeeping
    # The plain M2M tables are edited through their owners; a council's successions inline on it.
    curated -= {Succession}
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


@pytest.mark.parametrize("model", ADDABLE, ids=lambda m: m._meta.label)
def test_add_page_renders_for_curator(curator_client, model) -> None:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    assert curator_client.get(url).status_code == 200
