"""The API is hyperlinked both ways (issue 15): every nested reference carries its API URL, and
councils, models, service areas, partnerships and programmes link to their case studies."""

from __future__ import annotations

import pytest

from casestudies.models import CaseStudy
from tests.factories import PartnershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver/api/v1"


@pytest.fixture
def linked(library) -> None:
    partnership = PartnershipFactory(slug="shire-shared", name="Shire Shared")
    partnership.members.set(library["both"].councils.all())
    programme = ProgrammeFactory(slug="delivering-differently", name="Delivering Differently")
    CaseStudy.objects.filter(slug="both-models").update(partnership=partnership, programme=programme)


def _row(api, slug: str) -> dict:
    (row,) = [row for row in api("case-studies/", {"page_size": 100}).json()["results"] if row["slug"] == slug]
    return row


@pytest.mark.parametrize("face", ["list", "detail"])
def test_case_study_councils_carry_their_api_url(api, linked, face) -> None:
    row = _row(api, "both-models") if face == "list" else api("case-studies/both-models/").json()
    assert [council["api_url"] for council in row["councils"]] == [
        f"{BASE}/councils/suffolk/",
        f"{BASE}/councils/wychavon/",
    ]


@pytest.mark.parametrize("face", ["list", "detail"])
def test_case_study_models_are_references_with_their_api_url(api, linked, face) -> None:
    row = _row(api, "both-models") if face == "list" else api("case-studies/both-models/").json()
    assert row["models"] == [
        {"slug": "sharing", "name": "Sharing", "api_url": f"{BASE}/transformation-models/sharing/"},
        {"slug": "holistic", "name": "Holistic", "api_url": f"{BASE}/transformation-models/holistic/"},
    ]
    assert row["primary_model"] == "sharing"


def test_case_study_service_areas_partnership_and_programme_are_references(api, linked) -> None:
    row = _row(api, "both-models")
    assert row["service_areas"] == [{"slug": "waste", "name": "Waste", "api_url": f"{BASE}/service-areas/waste/"}]
    assert row["partnership"] == {
        "slug": "shire-shared",
        "name": "Shire Shared",
        "formed_year": 2011,
        "api_url": f"{BASE}/partnerships/shire-shared/",
    }
    assert row["programme"] == {
        "slug": "delivering-differently",
        "name": "Delivering Differently",
        "api_url": f"{BASE}/programmes/delivering-differently/",
    }


def test_a_missing_reference_is_null(api, linked) -> None:
    row = _row(api, "shared")
    assert row["partnership"] is None
    assert row["programme"] is None


def test_nested_api_urls_answer(api, linked) -> None:
    row = _row(api, "both-models")
    urls = [row["partnership"]["api_url"], row["programme"]["api_url"]]
    urls += [ref["api_url"] for name in ("councils", "models", "service_areas") for ref in row[name]]
    for url in urls:
        assert api(url.removeprefix(f"{BASE}/")).status_code == 200, url


@pytest.mark.parametrize(
    ("path", "url", "slugs"),
    [
        ("councils/wychavon/", f"{BASE}/case-studies/?council=wychavon", {"both-models", "shared"}),
        ("transformation-models/holistic/", f"{BASE}/case-studies/?model=holistic", {"both-models", "holistic-barnet"}),
        ("service-areas/waste/", f"{BASE}/case-studies/?service_area=waste", {"both-models"}),
        ("partnerships/shire-shared/", f"{BASE}/case-studies/?partnership=shire-shared", {"both-models"}),
        (
            "programmes/delivering-differently/",
            f"{BASE}/case-studies/?programme=delivering-differently",
            {"both-models"},
        ),
    ],
)
def test_records_link_to_their_case_studies_as_a_filtered_list(api, linked, path, url, slugs) -> None:
    record = api(path).json()
    assert record["case_studies_url"] == url
    listed = api(url.removeprefix(f"{BASE}/")).json()
    assert {row["slug"] for row in listed["results"]} == slugs


def test_council_partnerships_carry_their_api_url(api, linked) -> None:
    (partnership,) = api("councils/suffolk/").json()["partnerships"]
    assert partnership["api_url"] == f"{BASE}/partnerships/shire-shared/"


def test_partnership_list_gives_members_with_links_and_counts(api, linked) -> None:
    (row,) = api("partnerships/").json()["results"]
    assert row["slug"] == "shire-shared"
    assert [member["api_url"] for member in row["members"]] == [
        f"{BASE}/councils/suffolk/",
        f"{BASE}/councils/wychavon/",
    ]
    assert row["case_study_count"] == 1
    assert row["url"] == "http://testserver/councils/partnerships/shire-shared/"


def test_partnership_list_filters_by_member_council_and_name(api, linked) -> None:
    PartnershipFactory(slug="other", name="Other Pair")
    assert [row["slug"] for row in api("partnerships/", {"council": "suffolk"}).json()["results"]] == ["shire-shared"]
    assert [row["slug"] for row in api("partnerships/", {"q": "pair"}).json()["results"]] == ["other"]


def test_partnership_csv_has_a_row_per_partnership(api, linked) -> None:
    response = api("partnerships/", {"format": "csv"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("slug,name,url,api_url,description,formed_year,members,case_study_count")
    assert "suffolk; wychavon" in lines[1]


def test_programme_list_filters_by_name(api, linked) -> None:
    ProgrammeFactory(slug="other-fund", name="Other Fund")
    assert [row["slug"] for row in api("programmes/", {"q": "deliver"}).json()["results"]] == ["delivering-differently"]


def test_programme_projects_name_their_councils_with_links(api, linked) -> None:
    (project,) = api("programmes/delivering-differently/").json()["projects"]
    assert project["councils"][0]["api_url"] == f"{BASE}/councils/suffolk/"


def test_theme_models_are_references_with_their_api_url(api, library) -> None:
    from tests.factories import ThemeFactory

    ThemeFactory(slug="trust").transformation_models.add(library["sharing"])
    assert api("themes/trust/").json()["models"] == [
        {"slug": "sharing", "name": "Sharing", "api_url": f"{BASE}/transformation-models/sharing/"}
    ]


def test_case_study_csv_keeps_slug_columns_and_adds_the_links(api, linked) -> None:
    response = api("case-studies/", {"format": "csv"})
    header, *rows = b"".join(response.streaming_content).decode().splitlines()
    columns = header.split(",")
    for name in ("models", "councils", "service_areas", "partnership", "programme"):
        assert name in columns
    assert {"councils_api_url", "models_api_url", "partnership_api_url", "programme_api_url"} <= set(columns)
    (both,) = [row for row in rows if row.startswith("both-models,")]
    assert ",sharing; holistic," in both
    assert ",shire-shared,Shire Shared,2011," in both


def test_links_never_carry_the_requested_format(api, linked) -> None:
    from tests.factories import CouncilFactory

    CouncilFactory(slug="old", abolished_on="2019-04-01", successors=[CouncilFactory(slug="new")])
    rows = api("councils/", {"format": "json", "page_size": 100}).json()["results"]
    (old,) = [row for row in rows if row["slug"] == "old"]
    assert old["successor"]["api_url"] == f"{BASE}/councils/new/"
    assert old["api_url"] == f"{BASE}/councils/old/"
