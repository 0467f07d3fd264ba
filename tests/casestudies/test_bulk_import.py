"""Bulk import of case studies from CSV: validated row by row, all or nothing, with a dry run."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from casestudies.models import CaseStudy
from casestudies.services import case_studies_import_csv
from tests.factories import (
    CaseStudyFactory,
    CouncilFactory,
    ProgrammeFactory,
    ServiceAreaFactory,
    SourceFactory,
    TransformationModelFactory,
)
from tests.helpers.curators import verified_client

pytestmark = pytest.mark.django_db

HEADER = "title,slug,summary,start_year,end_year,is_ongoing,status,stage,councils,models,service_areas,programme,source"
IMPORT_URL = "admin:casestudies_casestudy_import"


@pytest.fixture(autouse=True)
def reference_data() -> None:
    CouncilFactory(slug="barnet", name="London Borough of Barnet")
    CouncilFactory(slug="camden", name="London Borough of Camden")
    TransformationModelFactory(slug="commissioning", name="Commissioning")
    TransformationModelFactory(slug="sharing", name="Sharing")
    ServiceAreaFactory(slug="waste")
    ProgrammeFactory(slug="delivering-differently")
    SourceFactory(slug="localis-2016")


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


GOOD_ROW = (
    "One Barnet,one-barnet,Barnet commissioned its services.,2010,,yes,published,implemented,"
    "barnet;camden,commissioning;sharing,waste,,localis-2016"
)
SECOND_ROW = (
    "Camden shares,camden-shares,Camden shared a back office.,2012,2015,no,draft,proposal,"
    "camden,sharing,,delivering-differently,"
)


def test_valid_file_creates_case_studies_with_their_relations() -> None:
    result = case_studies_import_csv(data=csv_bytes(GOOD_ROW, SECOND_ROW))

    assert result.ok and result.written
    case = CaseStudy.objects.get(slug="one-barnet")
    links = case.council_links.order_by("position")
    assert [(link.council.slug, link.role) for link in links] == [("barnet", "lead"), ("camden", "partner")]
    assert case.model_links.get(is_primary=True).model.slug == "commissioning"
    assert [area.slug for area in case.service_areas.all()] == ["waste"]
    assert (case.start_year, case.is_ongoing, case.status) == (2010, True, "published")
    assert CaseStudy.objects.get(slug="camden-shares").programme.slug == "delivering-differently"


def test_one_bad_row_writes_nothing_and_names_its_line_and_column() -> None:
    bad = GOOD_ROW.replace("one-barnet", "barnet-2").replace("barnet;camden", "barnett")
    result = case_studies_import_csv(data=csv_bytes(GOOD_ROW, SECOND_ROW, bad))

    assert not result.written
    assert result.errors == ["line 4, column councils: no council with slug 'barnett'. Did you mean 'barnet'?"]
    assert not CaseStudy.objects.exists()


def test_every_error_in_the_file_is_reported() -> None:
    bad_year = SECOND_ROW.replace("2012,2015", "twenty,2015")
    backwards = GOOD_ROW.replace("one-barnet", "backwards").replace("2010,,yes", "2015,2010,no")
    result = case_studies_import_csv(data=csv_bytes(bad_year, backwards))
    assert result.errors[0].startswith("line 2, column start_year: 'twenty' is not a year")
    assert result.errors[1] == "line 3, column end_year: The end year is before the start year."


def test_duplicate_slug_within_the_file_is_an_error() -> None:
    result = case_studies_import_csv(data=csv_bytes(GOOD_ROW, GOOD_ROW))
    assert "line 3, column slug: 'one-barnet' is also on line 2; list each case study once." in result.errors
    assert not CaseStudy.objects.exists()


def test_unknown_column_is_reported_with_a_suggestion() -> None:
    result = case_studies_import_csv(data=csv_bytes(GOOD_ROW, header=HEADER.replace("councils", "councills")))
    assert any("unknown column 'councills'. Did you mean 'councils'?" in error for error in result.errors)


def test_existing_slug_updates_that_case_study_and_its_version() -> None:
    case = CaseStudyFactory(slug="one-barnet", title="Old title")
    result = case_studies_import_csv(data=csv_bytes(GOOD_ROW))
    assert [(row.action, row.slug) for row in result.rows] == [("update", "one-barnet")]
    case.refresh_from_db()
    assert (case.title, case.version) == ("One Barnet", 2)
    assert case.council_links.get(role="lead").council.slug == "barnet"


def test_dry_run_writes_nothing_and_says_what_would_change() -> None:
    CaseStudyFactory(slug="one-barnet", title="Old title")
    result = case_studies_import_csv(data=csv_bytes(GOOD_ROW, SECOND_ROW), dry_run=True)

    assert result.ok and not result.written
    assert [(row.line, row.action) for row in result.rows] == [(2, "update"), (3, "create")]
    assert "title" in result.rows[0].changes
    assert not CaseStudy.objects.filter(slug="camden-shares").exists()
    assert CaseStudy.objects.get(slug="one-barnet").title == "Old title"


def test_byte_order_mark_is_accepted() -> None:
    result = case_studies_import_csv(data=b"\xef\xbb\xbf" + csv_bytes(GOOD_ROW))
    assert result.written


def test_non_utf8_file_is_a_clear_error() -> None:
    data = csv_bytes(GOOD_ROW.replace("Barnet commissioned", "Barnet saved £2m and commissioned")).decode()
    result = case_studies_import_csv(data=data.encode("cp1252"))
    assert len(result.errors) == 1
    assert result.errors[0].startswith("The file is not UTF-8 text: line 2 has the byte 0xa3")
    assert "CSV UTF-8" in result.errors[0]
    assert not CaseStudy.objects.exists()


def test_line_numbers_count_the_lines_of_multi_line_values() -> None:
    multi_line = 'Story,story,"First paragraph.\n\nSecond paragraph.",2010,,yes,draft,implemented,barnett,,,'
    result = case_studies_import_csv(data=csv_bytes(GOOD_ROW, multi_line))
    assert result.errors == ["line 3, column councils: no council with slug 'barnett'. Did you mean 'barnet'?"]


def test_command_imports_a_file(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes(GOOD_ROW))
    out = StringIO()
    call_command("import_case_studies", str(path), stdout=out)
    assert "line 2: create one-barnet" in out.getvalue()
    assert CaseStudy.objects.filter(slug="one-barnet").exists()


def test_command_dry_run_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes(GOOD_ROW))
    out = StringIO()
    call_command("import_case_studies", str(path), "--dry-run", stdout=out)
    assert "line 2: would create one-barnet" in out.getvalue()
    assert not CaseStudy.objects.exists()


def test_command_fails_with_the_errors_when_a_row_is_bad(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes(GOOD_ROW.replace("barnet;camden", "barnett")))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_case_studies", str(path), stderr=err)
    assert "line 2, column councils" in err.getvalue()


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("cases.csv", data, content_type="text/csv")


def test_case_study_list_in_admin_links_to_the_import_page(curator_client) -> None:
    response = curator_client.get(reverse("admin:casestudies_casestudy_changelist"))
    assert reverse(IMPORT_URL) in response.content.decode()


def test_curator_imports_through_the_admin_with_history_attributed(curator_client, curator) -> None:
    response = curator_client.post(reverse(IMPORT_URL), {"file": upload(csv_bytes(GOOD_ROW))})
    assert response.status_code == 200
    case = CaseStudy.objects.get(slug="one-barnet")
    assert case.history.first().history_user == curator


def test_admin_dry_run_shows_the_rows_and_saves_nothing(curator_client) -> None:
    response = curator_client.post(reverse(IMPORT_URL), {"file": upload(csv_bytes(GOOD_ROW)), "dry_run": "on"})
    assert "Dry run: nothing was saved" in response.content.decode()
    assert "one-barnet" in response.content.decode()
    assert not CaseStudy.objects.exists()


def test_admin_import_shows_row_errors(curator_client) -> None:
    data = csv_bytes(GOOD_ROW.replace("barnet;camden", "barnett"))
    content = curator_client.post(reverse(IMPORT_URL), {"file": upload(data)}).content.decode()
    assert "nothing was imported" in content
    assert "no council with slug &#x27;barnett&#x27;" in content


def test_anonymous_user_cannot_reach_the_import_page(anon_client) -> None:
    response = anon_client.post(reverse(IMPORT_URL), {"file": upload(csv_bytes(GOOD_ROW))})
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert not CaseStudy.objects.exists()


def test_staff_without_permission_to_add_case_studies_is_refused(client, django_user_model) -> None:
    verified_client(django_user_model.objects.create_user("viewer", password="x", is_staff=True), client)
    response = client.post(reverse(IMPORT_URL), {"file": upload(csv_bytes(GOOD_ROW))})
    assert response.status_code == 403
    assert not CaseStudy.objects.exists()


def test_utf16_file_is_a_clear_error() -> None:
    result = case_studies_import_csv(data=csv_bytes(GOOD_ROW).decode().encode("utf-16"))
    assert result.errors[0].startswith("The file is UTF-16 text.")


def test_nul_character_is_a_clear_error() -> None:
    result = case_studies_import_csv(data=csv_bytes(GOOD_ROW.replace("One Barnet", "One\x00Barnet")))
    assert result.errors == ["Line 2 contains a NUL character: this is not a text CSV file."]


def test_header_without_rows_is_a_clear_error() -> None:
    assert case_studies_import_csv(data=csv_bytes()).errors == ["The file has a header row but no case studies."]


def test_missing_required_column_is_reported() -> None:
    result = case_studies_import_csv(data=b"title,slug,summary\nA,a,B\n")
    assert result.errors == ["line 1: the required column 'councils' is missing."]
