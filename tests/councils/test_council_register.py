"""mySociety's register of UK councils: generated into the fixtures, loaded by load_library,
joined to the councils of the documents, and credited wherever it is shown or exported."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from councils.models import Council, RegisterDiscrepancy, Succession

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "03_councils.json"
REGISTER_DIR = Path(settings.COUNCIL_REGISTER_DIR)
needs_register = pytest.mark.skipif(not REGISTER_DIR.is_dir(), reason="the council register is not here")


def _councils(path: Path) -> dict[str, dict]:
    items = json.loads(path.read_text(encoding="utf-8"))
    return {item["fields"]["slug"]: item["fields"] for item in items if item["model"] == "councils.council"}


def _successors(path: Path) -> dict[str, list[str]]:
    items = json.loads(path.read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for item in items:
        if item["model"] == "councils.succession":
            found.setdefault(item["fields"]["predecessor"][0], []).append(item["fields"]["successor"][0])
    return found


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    """The committed fixture, written again from the register into a copy."""
    copy = tmp_path / "03_councils.json"
    shutil.copy(FIXTURE, copy)
    call_command("import_council_register", fixture=copy, verbosity=0)
    return copy


# --- The generated fixture ------------------------------------------------------------------


@needs_register
def test_the_fixture_holds_every_register_council_current_and_past(generated) -> None:
    councils = _councils(generated)
    assert len(councils) == 470
    assert sum(1 for c in councils.values() if c["abolished_on"] is None) == 397
    assert sum(1 for c in councils.values() if c["abolished_on"] is not None) == 73
    # All but the 25 Northern Irish districts abolished in 2015, which the register gives no GSS code.
    assert sum(1 for c in councils.values() if c["gss_code"]) == 445
    # 46 councils replaced by one council, and two divided between two: 50 successions.
    successors = _successors(generated)
    assert (len(successors), sum(map(len, successors.values()))) == (48, 50)
    assert all(councils[slug]["abolished_on"] for slug in successors)  # only abolished councils have them


@needs_register
def test_the_committed_fixture_is_what_the_register_gives() -> None:
    call_command("import_council_register", check=True, verbosity=0)  # raises if re-running would change it


@needs_register
def test_running_the_import_twice_changes_nothing(generated) -> None:
    first = generated.read_text(encoding="utf-8")
    call_command("import_council_register", fixture=generated, verbosity=0)
    assert generated.read_text(encoding="utf-8") == first


@needs_register
@pytest.mark.parametrize(
    ("slug", "council_type", "region"),
    [
        ("aberdeen-city-council", "scottish_council", "scotland"),
        ("city-of-cardiff-council", "welsh_principal_area", "wales"),
        ("armagh-city-banbridge-and-craigavon-borough-council", "northern_ireland_district", "northern_ireland"),
        ("greater-london-authority", "strategic_authority", "london"),
        ("city-of-london-corporation", "city_corporation", "london"),
        ("hull-city-council", "unitary", "yorkshire_and_the_humber"),
        # No region in the register: its successor's (BCP Council, South West) applies.
        ("christchurch-borough-council", "district", "south_west"),
    ],
)
def test_register_types_and_regions_map_onto_the_library_choices(generated, slug, council_type, region) -> None:
    council = _councils(generated)[slug]
    assert (council["council_type"], council["region"]) == (council_type, region)


@needs_register
@pytest.mark.parametrize(
    ("slug", "successors"),
    [
        ("cumbria-county-council", ["cumberland-council", "westmorland-and-furness-council"]),
        ("northamptonshire-county-council", ["north-northamptonshire-council", "west-northamptonshire-council"]),
    ],
)
def test_a_council_divided_between_two_successors_has_both(generated, slug, successors) -> None:
    assert sorted(_successors(generated)[slug]) == successors
    assert _councils(generated)[slug]["notes"] == ""  # no note standing in for the lineage any more


@needs_register
def test_a_fixture_from_before_the_lineage_is_converted(tmp_path: Path) -> None:
    """A council's single ``successor`` (as files before the lineage gave it) becomes a succession."""
    old = tmp_path / "03_councils.json"
    items = [i for i in json.loads(FIXTURE.read_text(encoding="utf-8")) if i["model"] != "councils.succession"]
    for item in items:
        if item["model"] == "councils.council" and item["fields"]["slug"] == "christchurch-borough-council":
            item["fields"]["successor"] = ["bournemouth-christchurch-and-poole-council"]
    old.write_text(json.dumps(items), encoding="utf-8")
    call_command("import_council_register", fixture=old, verbosity=0)
    assert old.read_text(encoding="utf-8") == FIXTURE.read_text(encoding="utf-8")


@needs_register
def test_start_dates_of_2005_are_the_old_registers_listing_not_a_start(generated) -> None:
    councils = _councils(generated)
    assert councils["aberdeen-city-council"]["established_on"] is None  # register: 2005-06-18
    assert councils["dorset-council"]["established_on"] == "2019-04-01"


@needs_register
def test_a_register_of_another_version_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "register"
    shutil.copytree(REGISTER_DIR, folder)
    package = folder / "datapackage.yaml"
    package.write_text(package.read_text().replace("version: 1.6.1", "version: 9.0.0"))
    with pytest.raises(CommandError, match="update REGISTER"):
        call_command("import_council_register", folder, fixture=tmp_path / "out.json", verbosity=0)


# --- Loaded into the library ------------------------------------------------------------------


@pytest.fixture(scope="module")
def register_library(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_library", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(register_library, db) -> None:
    """The library, visible to a test that runs inside its own rolled-back transaction."""


def test_the_documented_councils_are_joined_not_duplicated(loaded) -> None:
    assert Council.objects.count() == 470
    assert Council.objects.filter(in_documents=True).count() == 43
    assert not Council.objects.filter(in_documents=True, gss_code="").exists()  # every one has its code
    assert Council.objects.get(slug="london-borough-of-barnet").gss_code == "E09000003"


def test_a_documented_council_keeps_the_documents_name_and_the_register_name_is_flagged(loaded) -> None:
    walsall = Council.objects.get(gss_code="E08000030")
    assert walsall.name == "Walsall Council"
    flag = RegisterDiscrepancy.objects.get(council=walsall)
    assert (flag.field, flag.register_value) == ("name", "Walsall Metropolitan Borough Council")


def test_register_population_year_and_coordinates_are_filled(loaded) -> None:
    oldham = Council.objects.get(slug="oldham-council")
    assert (oldham.register_code, oldham.population, oldham.population_year) == ("OLD", 237628, 2020)
    assert round(oldham.latitude, 2) == 53.55 and round(oldham.longitude, 2) == -2.05


def test_reorganisation_lineage_comes_from_the_register(loaded) -> None:
    christchurch = Council.objects.get(slug="christchurch-borough-council")
    assert [s.gss_code for s in christchurch.successors.all()] == ["E06000058"]  # BCP Council
    assert christchurch.abolished_on.isoformat() == "2019-03-31"


def test_cumbria_has_both_its_successors_in_the_library(loaded) -> None:
    cumbria = Council.objects.get(slug="cumbria-county-council")
    assert [s.name for s in cumbria.successors.order_by("name")] == [
        "Cumberland Council",
        "Westmorland and Furness Council",
    ]
    assert "cumbria-county-council" in Council.objects.get(slug="cumberland-council").predecessors.values_list(
        "slug", flat=True
    )


def test_northamptonshire_has_both_its_successors_in_the_library(loaded) -> None:
    northamptonshire = Council.objects.get(slug="northamptonshire-county-council")
    assert sorted(northamptonshire.successors.values_list("slug", flat=True)) == [
        "north-northamptonshire-council",
        "west-northamptonshire-council",
    ]


def test_the_library_holds_every_succession_of_the_register(loaded) -> None:
    assert Succession.objects.count() == 50


def test_a_divided_councils_page_links_both_successors(loaded, client) -> None:
    page = client.get("/councils/cumbria-county-council/").content.decode()
    assert 'href="/councils/cumberland-council/"' in page
    assert 'href="/councils/westmorland-and-furness-council/"' in page


def test_a_divided_council_in_the_api_lists_both_successors(loaded, client) -> None:
    body = client.get("/api/v1/councils/cumbria-county-council/").json()
    assert [s["slug"] for s in body["successors"]] == ["cumberland-council", "westmorland-and-furness-council"]
    assert body["successor"] is None  # deprecated: only when exactly one took over


def test_a_successor_in_the_api_lists_its_predecessors(loaded, client) -> None:
    body = client.get("/api/v1/councils/north-northamptonshire-council/").json()
    assert "northamptonshire-county-council" in [p["slug"] for p in body["predecessors"]]


def test_loading_again_adds_no_council(loaded) -> None:
    out = io.StringIO()
    call_command("load_library", stdout=out)
    assert Council.objects.count() == 470 and "added nothing new" in out.getvalue()


def test_disagreements_are_listed_in_the_admin(loaded, curator_client) -> None:
    response = curator_client.get("/admin/councils/registerdiscrepancy/")
    assert response.status_code == 200
    assert "Walsall Metropolitan Borough Council" in response.content.decode()


def test_register_councils_without_case_studies_are_browsable_page_by_page(loaded, client) -> None:
    first = client.get("/councils/?council_type=scottish_council").content.decode()
    assert "32 councils" in first and "Aberdeen City Council" in first
    assert client.get("/councils/?page=10").status_code == 200  # 470 councils, 50 a page
    assert client.get("/councils/?q=S12000033").context["councils"][0].slug == "aberdeen-city-council"


def test_the_council_list_filters_councils_named_in_the_documents(loaded, client) -> None:
    response = client.get("/councils/?in_documents=true")
    assert response.context["page_obj"].paginator.count == 43


def test_a_bad_in_documents_value_is_a_form_error(loaded, client) -> None:
    assert client.get("/councils/?in_documents=perhaps").status_code == 400


# --- Credit -----------------------------------------------------------------------------------


def test_the_about_page_credits_mysociety_and_the_licence(client, db) -> None:
    page = client.get("/about-the-data/").content.decode()
    assert "mySociety" in page and "CC BY 4.0" in page and "creativecommons.org/licenses/by/4.0/" in page


def test_the_api_root_credits_the_register(client) -> None:
    attribution = client.get("/api/v1/").json()["attribution"]
    assert attribution[0]["publisher"] == "mySociety" and attribution[0]["licence"] == "CC BY 4.0"


def test_a_register_council_page_credits_the_register(loaded, client) -> None:
    page = client.get("/councils/aberdeen-city-council/").content.decode()
    assert "mySociety" in page and "CC BY 4.0" in page and "S12000033" in page


def test_the_council_csv_credits_the_register_on_each_row_and_links_the_licence(loaded, client) -> None:
    response = client.get("/api/v1/councils/?format=csv&q=S12000033")
    body = b"".join(response.streaming_content).decode()
    header, row = body.splitlines()[:2]
    assert "register_credit" in header.split(",")
    assert "mySociety" in row and "CC BY 4.0" in row
    assert 'rel="license"' in response["Link"]


@needs_register
@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        (",BPC,", ",XYZ,", "replaced by XYZ"),  # a successor the register does not have
        (",NMD,Non-metropolitan district,", ",PAR,Parish,", "map them"),  # a type the library has no match for
    ],
)
def test_a_register_the_import_cannot_map_is_refused(tmp_path: Path, before, after, message) -> None:
    folder = tmp_path / "register"
    shutil.copytree(REGISTER_DIR, folder)
    table = folder / "uk_local_authorities_current.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(before, after, 1), encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_council_register", folder, fixture=tmp_path / "out.json", verbosity=0)
