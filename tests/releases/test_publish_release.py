"""manage.py publish_release: a numbered release of everything published, its files and their checksums."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3

import frictionless
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from casestudies.models import CaseStudy
from releases import package
from releases.models import Release, ReleaseFile, ReleaseRecord
from releases.tables import TABLES
from tests.factories import OutcomeFactory

pytestmark = pytest.mark.django_db


def _csv(root, number: int, table: str) -> list[dict[str, str]]:
    with (root / str(number) / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_command_says_what_it_published(library, releases_root) -> None:
    out = io.StringIO()
    call_command("publish_release", notes="First", verbosity=0, stdout=out)
    assert "Published release 1" in out.getvalue()
    assert str(releases_root / "1") in out.getvalue()


def test_a_release_has_a_package_one_csv_per_table_and_a_sqlite_file(library, publish, releases_root) -> None:
    publish()
    names = {path.name for path in (releases_root / "1").iterdir()}
    assert names == {"datapackage.json", "library.sqlite", *(f"{table.name}.csv" for table in TABLES)}


def test_releases_are_numbered_one_after_another(library, publish) -> None:
    assert [publish().number, publish().number, publish().number] == [1, 2, 3]


def test_the_data_package_is_valid(library, publish, releases_root) -> None:
    OutcomeFactory(case_study=library["both"])
    publish()
    report = frictionless.validate(str(releases_root / "1" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_notices_a_file_that_does_not_match_its_checksum(library, publish, releases_root, tmp_path):
    """The package's checksums are the files': a copy with one byte changed fails validation."""
    publish()
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in (releases_root / "1").iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    figures = copy / "figures.csv"
    figures.write_bytes(figures.read_bytes().replace(b"1000000", b"1000001", 1))
    assert not frictionless.validate(str(copy / "datapackage.json")).valid


def test_each_recorded_sha256_and_size_is_the_files(library, publish, releases_root) -> None:
    release = publish()
    files = list(ReleaseFile.objects.filter(release=release))
    assert len(files) == len(TABLES) + 2
    for recorded in files:
        content = (releases_root / "1" / recorded.name).read_bytes()
        assert (recorded.sha256, recorded.size) == (hashlib.sha256(content).hexdigest(), len(content))


def test_the_codebook_is_the_serializers_help_text(library, publish, releases_root) -> None:
    publish()
    descriptor = json.loads((releases_root / "1" / "datapackage.json").read_text())
    figures = next(resource for resource in descriptor["resources"] if resource["name"] == "figures")
    fields = {field["name"]: field for field in figures["schema"]["fields"]}
    assert fields["quote"]["description"] == "The exact sentence the figure comes from."
    assert fields["low"]["type"] == "number"
    assert fields["period_years"]["type"] == "integer"
    assert "per_year" in fields["period"]["constraints"]["enum"]
    assert figures["schema"]["primaryKey"] == ["id"]


def test_the_package_credits_the_council_register_and_its_licence(library, publish, releases_root) -> None:
    publish()
    descriptor = json.loads((releases_root / "1" / "datapackage.json").read_text())
    councils = next(resource for resource in descriptor["resources"] if resource["name"] == "councils")
    assert councils["licenses"] == [
        {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "CC BY 4.0"}
    ]
    assert any("mySociety" in source["title"] for source in descriptor["sources"])
    assert "mySociety" in councils["sources"][0]["title"]


def test_drafts_and_contacts_are_never_in_a_release(library, publish, releases_root) -> None:
    publish()
    everything = b"".join(path.read_bytes() for path in (releases_root / "1").iterdir())
    assert b"secret-draft" not in everything
    assert b"Alex Public" not in everything  # even a public contact: a release is a permanent copy
    assert b"Hidden Person" not in everything
    assert {row["slug"] for row in _csv(releases_root, 1, "case-studies")} == {
        "both-models",
        "shared",
        "holistic-barnet",
        "proposal",
    }


def test_the_sqlite_file_holds_the_csv_tables(library, publish, releases_root) -> None:
    publish()
    database = sqlite3.connect(releases_root / "1" / "library.sqlite")
    try:
        for table in TABLES:
            rows = _csv(releases_root, 1, table.name)
            (count,) = database.execute(f'SELECT count(*) FROM "{table.sql_name}"').fetchone()
            assert count == len(rows), table.name
        titles = dict(database.execute("SELECT slug, title FROM case_studies"))
    finally:
        database.close()
    assert titles["both-models"] == "A shared and holistic council"


def test_release_counts_the_records_of_each_table(library, publish) -> None:
    release = publish()
    assert release.counts["case-studies"] == 4
    assert release.counts["figures"] == 3  # not the draft's


def test_the_first_release_lists_every_record_as_added(library, publish) -> None:
    release = publish()
    assert release.changelog["case-studies"]["added"] == ["both-models", "holistic-barnet", "proposal", "shared"]


def test_a_second_release_names_the_edited_record_and_its_changed_columns(library, publish) -> None:
    publish()
    CaseStudy.objects.filter(slug="shared").update(title="Shared services, renamed")
    second = publish()
    assert second.changelog["case-studies"]["changed"] == {"shared": ["title"]}
    assert second.changelog["case-studies"]["added"] == []


def test_an_unpublished_case_study_shows_as_removed(library, publish) -> None:
    publish()
    CaseStudy.objects.filter(slug="proposal").update(status=CaseStudy.Status.DRAFT)
    second = publish()
    assert second.changelog["case-studies"]["removed"] == ["proposal"]
    assert "proposal" not in ReleaseRecord.objects.filter(release=second, table="case-studies").values_list(
        "key", flat=True
    )


def test_a_release_without_changes_has_an_empty_changelog(library, publish) -> None:
    publish()
    assert publish().changelog == {}


def test_an_existing_release_directory_is_never_overwritten(library, publish, releases_root) -> None:
    (releases_root / "1").mkdir(parents=True)
    (releases_root / "1" / "note.txt").write_text("someone else's")
    with pytest.raises(CommandError, match="never rewritten"):
        publish()
    assert not Release.objects.exists()
    assert [path.name for path in (releases_root / "1").iterdir()] == ["note.txt"]


def test_a_failure_leaves_no_release_and_no_directory(library, publish, releases_root, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(package, "package_descriptor", broken)
    monkeypatch.setattr("releases.services.package_descriptor", broken)
    with pytest.raises(RuntimeError):
        publish()
    assert not Release.objects.exists()
    assert not ReleaseFile.objects.exists()
    assert list(releases_root.iterdir()) == []


def test_release_files_are_read_only_on_disk(library, publish, releases_root) -> None:
    publish()
    for path in (releases_root / "1").iterdir():
        assert path.stat().st_mode & 0o222 == 0, path.name


def test_the_database_refuses_a_release_number_of_zero(db) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.create(number=0, published_at="2026-12-01T12:00:00Z")


def test_the_database_refuses_two_releases_with_one_number(db) -> None:
    Release.objects.create(number=1, published_at="2026-12-01T12:00:00Z")
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.create(number=1, published_at="2026-12-02T12:00:00Z")


@pytest.mark.postgres
def test_the_database_refuses_to_rewrite_a_release(postgres_only, library, publish) -> None:
    release = publish()
    with pytest.raises(Exception, match="release_never_rewritten"), transaction.atomic():
        Release.objects.filter(pk=release.pk).update(notes="rewritten")
    with pytest.raises(Exception, match="releasefile_never_rewritten"), transaction.atomic():
        ReleaseFile.objects.filter(release=release).update(sha256="0" * 64)
    assert connection.vendor == "postgresql"


def test_the_command_shows_its_progress_table_by_table(library, releases_root, capsys) -> None:
    call_command("publish_release", verbosity=1, stdout=io.StringIO())
    progress = capsys.readouterr().err
    assert "Tables" in progress
    assert f"{len(TABLES)}/{len(TABLES)}" in progress
