"""Search, the linked filters and the headline saving follow every write path at once.

Each test writes the way a curator or an operator does (an admin form, an admin action, a delete,
the CSV import, ``load_library``, ``QuerySet.update()``, raw SQL) and then asks the public API or
the finder straight away, with no refresh call in between: on PostgreSQL the triggers declared on
the models keep the derived rows (casestudies/derived.py); elsewhere they are computed when read.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from casestudies.models import CaseStudy, Contact
from councils.models import Council
from tests.factories import (
    CaseStudyFactory,
    ContactFactory,
    CouncilFactory,
    FigureFactory,
    SourceFactory,
    TransformationModelFactory,
)
from tests.helpers.admin_form_data import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_response_cache(settings) -> None:
    settings.LIBRARY_CACHE_SECONDS = 0


def found_by_api(client, **params) -> list[str]:
    response = client.get("/api/v1/case-studies/", params)
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def found_by_finder(client, query: str) -> list[str]:
    response = client.get(reverse("casestudies:list"), {"q": query})
    assert response.status_code == 200
    return [case.slug for case in response.context["page_obj"].object_list]


def post_change_form(client, url: str, **changes) -> None:
    data = change_form_data(client.get(url))
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors


@pytest.fixture
def case_with_contact() -> tuple[CaseStudy, Contact]:
    case = CaseStudyFactory(slug="shared-services")
    contact = ContactFactory(case_study=case, name="Zebedee Quarrington", is_public=True)
    return case, contact


# --- Contacts: the contact's own admin page -------------------------------------------------------


def test_a_contact_hidden_on_its_admin_page_is_no_longer_found(curator_client, anon_client, case_with_contact):
    case, contact = case_with_contact
    assert found_by_api(anon_client, q="Quarrington") == [case.slug]
    post_change_form(curator_client, reverse("admin:casestudies_contact_change", args=[contact.pk]), is_public=None)
    assert Contact.objects.get(pk=contact.pk).is_public is False
    assert found_by_api(anon_client, q="Quarrington") == []
    assert found_by_finder(anon_client, "Quarrington") == []


def test_a_contact_deleted_on_its_admin_page_is_no_longer_found(curator_client, anon_client, case_with_contact):
    _case, contact = case_with_contact
    response = curator_client.post(reverse("admin:casestudies_contact_delete", args=[contact.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert found_by_api(anon_client, q="Quarrington") == []


def test_a_renamed_contact_is_found_by_the_new_name_only(curator_client, anon_client, case_with_contact):
    case, contact = case_with_contact
    post_change_form(
        curator_client, reverse("admin:casestudies_contact_change", args=[contact.pk]), name="Ada Ffoulkes"
    )
    assert found_by_api(anon_client, q="Ffoulkes") == [case.slug]
    assert found_by_api(anon_client, q="Quarrington") == []


def test_the_hide_action_hides_a_contact_from_search(curator_client, anon_client, case_with_contact):
    _case, contact = case_with_contact
    curator_client.post(
        reverse("admin:casestudies_contact_changelist"),
        {"action": "hide_from_public", "_selected_action": [contact.pk]},
    )
    assert found_by_api(anon_client, q="Quarrington") == []


def test_contacts_hidden_with_update_are_no_longer_found(anon_client, case_with_contact):
    Contact.objects.filter(name="Zebedee Quarrington").update(is_public=False)
    assert found_by_api(anon_client, q="Quarrington") == []


# --- Councils -----------------------------------------------------------------------------------


def test_a_council_renamed_in_its_admin_is_found_by_its_new_name(curator_client, anon_client):
    council = CouncilFactory(name="Oldtown District Council", slug="oldtown")
    case = CaseStudyFactory(councils=[council])
    post_change_form(curator_client, reverse("admin:councils_council_change", args=[council.pk]), name="Newbury Vale")
    assert found_by_api(anon_client, q="Newbury") == [case.slug]
    assert found_by_api(anon_client, q="Oldtown") == []


def test_a_council_retyped_with_update_moves_its_case_studies_between_filters(anon_client):
    council = CouncilFactory(council_type=Council.Type.DISTRICT, region="london")
    case = CaseStudyFactory(councils=[council])
    Council.objects.filter(pk=council.pk).update(council_type=Council.Type.COUNTY, region="south_east")
    assert found_by_api(anon_client, council_type="county", region="south_east") == [case.slug]
    assert found_by_api(anon_client, council_type="district") == []


@pytest.mark.postgres
def test_a_council_renamed_with_raw_sql_is_found_by_its_new_name(anon_client):
    council = CouncilFactory(name="Oldtown District Council")
    case = CaseStudyFactory(councils=[council])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE councils_council SET name = 'Rawford Borough' WHERE id = %s", [council.pk])
    assert found_by_api(anon_client, q="Rawford") == [case.slug]


@pytest.mark.postgres
def test_a_contact_hidden_with_raw_sql_is_no_longer_found(anon_client, case_with_contact):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE casestudies_contact SET is_public = false WHERE name = 'Zebedee Quarrington'")
    assert found_by_api(anon_client, q="Quarrington") == []


# --- Case studies -------------------------------------------------------------------------------


def test_a_title_changed_in_the_case_study_admin_is_searchable(curator_client, anon_client):
    case = CaseStudyFactory(title="Back office merger")
    post_change_form(
        curator_client, reverse("admin:casestudies_casestudy_change", args=[case.pk]), title="Telecare for everyone"
    )
    assert found_by_api(anon_client, q="telecare") == [case.slug]
    assert found_by_finder(anon_client, "telecare") == [case.slug]


def test_a_model_linked_in_the_case_study_admin_inline_is_filterable(curator_client, anon_client):
    sharing = TransformationModelFactory(slug="sharing", name="Sharing")
    case = CaseStudyFactory(models=[])
    url = reverse("admin:casestudies_casestudy_change", args=[case.pk])
    data = change_form_data(curator_client.get(url))
    data.update(
        {"model_links-TOTAL_FORMS": "1", "model_links-0-model": str(sharing.pk), "model_links-0-is_primary": "on"}
    )
    assert curator_client.post(url, data).status_code == 302
    assert found_by_api(anon_client, model="sharing") == [case.slug]


def test_a_deleted_case_study_is_gone_from_search_and_filters(anon_client):
    sharing = TransformationModelFactory(slug="sharing", name="Sharing")
    case = CaseStudyFactory(title="Telecare hub", models=[sharing])
    case.delete()
    assert found_by_api(anon_client, q="telecare") == []
    assert found_by_api(anon_client, model="sharing") == []


def test_titles_changed_with_update_are_searchable(anon_client):
    case = CaseStudyFactory(title="Back office merger")
    CaseStudy.objects.filter(pk=case.pk).update(title="Reablement at home")
    assert found_by_api(anon_client, q="reablement") == [case.slug]


def test_published_with_the_admin_action_is_found(curator_client, anon_client):
    case = CaseStudyFactory(title="Telecare hub", status=CaseStudy.Status.DRAFT)
    assert found_by_api(anon_client, q="telecare") == []
    curator_client.post(
        reverse("admin:casestudies_casestudy_changelist"), {"action": "publish", "_selected_action": [case.pk]}
    )
    assert found_by_api(anon_client, q="telecare") == [case.slug]


# --- Figures: the headline saving -----------------------------------------------------------------


def test_a_figure_added_in_its_admin_sorts_and_filters_by_headline_saving(curator_client, anon_client):
    small = CaseStudyFactory(slug="small")
    FigureFactory(case_study=small, amount_low=100_000, amount_high=100_000)
    big = CaseStudyFactory(slug="big")
    curator_client.post(
        reverse("admin:casestudies_figure_add"),
        {
            "case_study": big.pk,
            "position": 1,
            "kind": "saving",
            "measure": "money",
            "amount_low": 3_000_000,
            "amount_high": 3_000_000,
            "period": "per_year",
            "status": "achieved",
            "quote": "It saved £3 million a year.",
        },
    )
    assert found_by_api(anon_client, ordering="-annual_saving") == ["big", "small"]
    assert found_by_api(anon_client, min_annual_saving=1_000_000) == ["big"]


def test_a_figure_changed_with_update_changes_the_headline_saving(anon_client):
    figure = FigureFactory(amount_low=100_000, amount_high=100_000)
    type(figure).objects.filter(pk=figure.pk).update(amount_low=5_000_000, amount_high=5_000_000)
    (row,) = anon_client.get("/api/v1/case-studies/").json()["results"]
    assert row["headline_annual_saving"] == 5_000_000


# --- Bulk paths ---------------------------------------------------------------------------------


def test_case_studies_imported_from_csv_are_searchable_at_once(anon_client, tmp_path):
    CouncilFactory(slug="importshire", name="Importshire County Council")
    TransformationModelFactory(slug="sharing", name="Sharing")
    SourceFactory(slug="county-report")
    csv = (
        "title,slug,summary,status,councils,models,source\n"
        "Telecare across the county,telecare-county,Alarms at home.,published,importshire,sharing,county-report\n"
    )
    path = tmp_path / "import.csv"
    path.write_text(csv)
    call_command("import_case_studies", str(path), stdout=io.StringIO())
    assert found_by_api(anon_client, q="telecare") == ["telecare-county"]
    assert found_by_api(anon_client, q="Importshire") == ["telecare-county"]
    assert found_by_api(anon_client, model="sharing") == ["telecare-county"]


def test_the_curated_library_loaded_by_load_library_is_searchable(anon_client):
    call_command("load_library", verbosity=0)
    assert "barnet" in " ".join(found_by_api(anon_client, q="Barnet"))
    assert found_by_api(anon_client, model="sharing")
