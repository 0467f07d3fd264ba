"""/api/v1/releases/: the releases, and what changed in a record since release N."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils.timezone import localtime

from casestudies.models import CaseStudy

pytestmark = pytest.mark.django_db


def test_root_links_the_releases(api) -> None:
    assert api("").json()["releases"] == "http://testserver/api/v1/releases/"


def test_release_list_is_newest_first_with_files_and_checksums(api, library, publish) -> None:
    publish()
    second = publish(notes="Second")
    results = api("releases/").json()["results"]
    assert [release["number"] for release in results] == [2, 1]
    newest = results[0]
    assert newest["notes"] == "Second"
    assert newest["url"] == "http://testserver/releases/2/"
    assert (
        newest["citation"]
        == f"Council Transformation Library, release 2 ({localtime(second.published_at):%Y-%m-%d}), http://testserver/releases/2/"
    )
    files = {file["name"]: file for file in newest["files"]}
    recorded = second.files.get(name="case-studies.csv")
    assert files["case-studies.csv"] == {
        "name": "case-studies.csv",
        "url": "http://testserver/releases/2/case-studies.csv",
        "media_type": "text/csv",
        "bytes": recorded.size,
        "sha256": recorded.sha256,
    }


def test_release_list_queries_do_not_grow_with_page_size(api, library, publish, django_assert_num_queries) -> None:
    for _ in range(3):
        publish()
    # count, page of releases, their files
    with django_assert_num_queries(3):
        assert len(api("releases/", {"page_size": 1}).json()["results"]) == 1
    cache.clear()  # the count is cached (api/library_cache.py)
    with django_assert_num_queries(3):
        assert len(api("releases/", {"page_size": 3}).json()["results"]) == 3


def test_release_detail_has_its_counts_and_change_totals(api, library, publish) -> None:
    publish()
    CaseStudy.objects.filter(slug="shared").update(summary="Changed.")
    publish()
    release = api("releases/2/").json()
    assert release["counts"]["case-studies"] == 4
    assert release["changes"]["case-studies"] == {"added": 0, "changed": 1, "removed": 0}


@pytest.mark.parametrize("number", ["3", "99999999999999999999"])
def test_unknown_release_is_a_json_404_saying_where_the_releases_are(api, library, publish, number) -> None:
    publish()
    response = api(f"releases/{number}/")
    assert response.status_code == 404
    assert "/api/v1/releases/" in response.json()["detail"]


def test_release_list_refuses_an_unknown_parameter(api, db) -> None:
    response = api("releases/", {"colour": "red"})
    assert response.status_code == 400
    assert "colour" in response.json()


def _changes(api, **params):
    return api("releases/changes/", params)


def test_changes_since_a_release_name_the_changed_columns(api, library, publish) -> None:
    publish()
    publish()
    CaseStudy.objects.filter(slug="shared").update(title="Renamed", summary="New summary.")
    third = publish()
    answer = _changes(api, since=1, table="case-studies", record="shared").json()
    assert answer["change"] == "changed"
    assert answer["columns"] == ["title", "summary"]
    assert answer["latest"] == 3
    assert answer["releases"] == [
        {
            "number": 3,
            "published_at": answer["releases"][0]["published_at"],
            "url": "http://testserver/releases/3/",
            "change": "changed",
            "columns": ["title", "summary"],
        }
    ]
    assert third.number == 3


def test_changes_of_an_untouched_record_are_none(api, library, publish) -> None:
    publish()
    publish()
    answer = _changes(api, since=1, table="case-studies", record="both-models").json()
    assert (answer["change"], answer["releases"]) == ("unchanged", [])


def test_changes_show_a_record_unpublished_since_as_removed(api, library, publish) -> None:
    publish()
    CaseStudy.objects.filter(slug="proposal").update(status="draft")
    publish()
    answer = _changes(api, since=1, table="case-studies", record="proposal").json()
    assert answer["change"] == "removed"
    assert answer["releases"][0]["change"] == "removed"


def test_changes_show_a_record_published_since_as_added(api, library, publish) -> None:
    publish()
    CaseStudy.objects.filter(slug="secret-draft").update(status="published")
    publish()
    answer = _changes(api, since=1, table="case-studies", record="secret-draft").json()
    assert answer["change"] == "added"


def test_changes_since_an_unknown_release_is_a_404_naming_it(api, library, publish) -> None:
    publish()
    response = _changes(api, since=7, table="case-studies", record="shared")
    assert response.status_code == 404
    assert "No release 7" in response.json()["detail"]


def test_changes_of_an_unknown_record_is_a_404(api, library, publish) -> None:
    publish()
    response = _changes(api, since=1, table="case-studies", record="secret-draft")
    assert response.status_code == 404
    assert "secret-draft" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"since": "abc", "table": "case-studies", "record": "shared"}, "since"),
        ({"since": "0", "table": "case-studies", "record": "shared"}, "since"),
        ({"since": "99999999999999999999", "table": "case-studies", "record": "shared"}, "since"),
        ({"table": "case-studies", "record": "shared"}, "since"),
        ({"since": "1", "table": "contacts", "record": "x"}, "table"),
        ({"since": "1", "table": "case-studies"}, "record"),
        ({"since": "1", "table": "case-studies", "record": "x" * 301}, "record"),
        ({"since": "1", "table": "case-studies", "record": "a\x00b"}, "record"),
        ({"since": "1", "table": "case-studies", "record": "shared", "colour": "red"}, "colour"),
    ],
)
def test_bad_changes_parameter_is_a_400_naming_it(api, library, publish, params, parameter) -> None:
    publish()
    response = api("releases/changes/", params)
    assert response.status_code == 400
    assert parameter in response.json()


def test_changes_answer_in_a_fixed_number_of_queries(api, library, publish, django_assert_num_queries) -> None:
    for _ in range(3):
        publish()
    # releases since, the record's manifest rows
    with django_assert_num_queries(2):
        _changes(api, since=1, table="case-studies", record="shared")
