"""/releases/: the list, each release's permanent page and its permanent files."""

from __future__ import annotations

import hashlib

import pytest
from django.utils.timezone import localtime

from casestudies.models import CaseStudy

pytestmark = pytest.mark.django_db


def test_release_list_shows_each_release_with_its_citation(client, library, publish) -> None:
    publish(notes="The first release.")
    response = client.get("/releases/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Release 1" in text
    assert "The first release." in text
    assert "Council Transformation Library, release 1 (" in text
    assert "http://testserver/releases/1/" in text


def test_release_list_says_when_there_is_no_release_yet(client, db) -> None:
    assert "No release has been published yet." in client.get("/releases/").content.decode()


def test_release_list_queries_do_not_grow_with_releases(client, library, publish, django_assert_num_queries) -> None:
    publish()
    publish()
    publish()
    # releases, their files
    with django_assert_num_queries(2):
        assert client.get("/releases/").status_code == 200


def test_release_page_has_a_cite_this_release_line(client, library, publish) -> None:
    release = publish()
    text = client.get("/releases/1/").content.decode()
    assert "Cite this release" in text
    assert (
        f"Council Transformation Library, release 1 ({localtime(release.published_at):%Y-%m-%d}), http://testserver/releases/1/"
        in text
    )


def test_release_page_lists_files_with_their_checksums(client, library, publish) -> None:
    release = publish()
    text = client.get("/releases/1/").content.decode()
    for file in release.files.all():
        assert f'href="/releases/1/{file.name}"' in text
        assert file.sha256 in text


def test_release_page_shows_the_changelog(client, library, publish) -> None:
    publish()
    CaseStudy.objects.filter(slug="shared").update(title="Renamed")
    CaseStudy.objects.filter(slug="proposal").update(status="draft")
    publish()
    text = client.get("/releases/2/").content.decode()
    assert "Changes since release 1" in text
    assert "shared: title" in text
    assert "Removed (1)" in text


def test_release_page_counts_the_records_of_each_table(client, library, publish) -> None:
    publish()
    response = client.get("/releases/1/")
    assert any(row["table"] == "case-studies" and row["count"] == 4 for row in response.context["counts"])


@pytest.mark.parametrize("path", ["/releases/2/", "/releases/99999999999999999999/", "/releases/0/"])
def test_unknown_release_is_not_found(client, library, publish, path) -> None:
    publish()
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("name", "content_type", "disposition"),
    [
        ("case-studies.csv", "text/csv; charset=utf-8", 'attachment; filename="case-studies.csv"'),
        ("datapackage.json", "application/json", 'inline; filename="datapackage.json"'),
        ("library.sqlite", "application/vnd.sqlite3", 'attachment; filename="library.sqlite"'),
    ],
)
def test_release_file_is_served_with_its_type_and_name(client, library, publish, name, content_type, disposition):
    publish()
    response = client.get(f"/releases/1/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == disposition


def test_release_file_is_the_file_its_checksum_is_of(client, library, publish) -> None:
    release = publish()
    recorded = release.files.get(name="figures.csv")
    response = client.get("/releases/1/figures.csv")
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == recorded.sha256
    assert response["ETag"] == f'"{recorded.sha256}"'


def test_release_file_may_be_cached_for_ever(client, library, publish) -> None:
    publish()
    response = client.get("/releases/1/datapackage.json")
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_release_file_answers_304_to_its_etag(client, library, publish) -> None:
    release = publish()
    etag = f'"{release.files.get(name="datapackage.json").sha256}"'
    response = client.get("/releases/1/datapackage.json", headers={"If-None-Match": etag})
    assert response.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/releases/1/nothing.csv",
        "/releases/2/datapackage.json",
        "/releases/1/..%2F..%2Fsettings.py",
        "/releases/99999999999999999999/datapackage.json",
    ],
)
def test_unknown_release_file_is_not_found(client, library, publish, path) -> None:
    publish()
    assert client.get(path).status_code == 404


def test_release_file_missing_from_disk_is_not_found_not_an_error(client, library, publish, releases_root) -> None:
    publish()
    path = releases_root / "1" / "themes.csv"
    path.chmod(0o644)
    path.unlink()
    assert client.get("/releases/1/themes.csv").status_code == 404


@pytest.mark.parametrize("path", ["/", "/about-the-data/"])
def test_footer_and_about_page_link_to_the_releases(client, db, path) -> None:
    assert 'href="/releases/"' in client.get(path).content.decode()


def test_privacy_page_says_contacts_are_never_in_a_release(client, db) -> None:
    assert "never in the library's" in client.get("/privacy/").content.decode()


def test_release_page_lists_the_tables_in_their_order(client, library, publish) -> None:
    """Not in the order the database keeps the counts in (PostgreSQL's jsonb sorts its keys)."""
    from releases.tables import TABLES

    publish()
    rows = client.get("/releases/1/").context["counts"]
    assert [row["table"] for row in rows] == [table.name for table in TABLES]
