"""The lineage: a council's successors (several when it was divided), the migration that moved each
single successor into it, and the admin's check that only an abolished council has successors."""

from __future__ import annotations

import datetime
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from casestudies.management.commands.load_library import fixture_digest
from casestudies.models import LoadedFixture
from councils.models import Council, Succession
from tests.factories import CouncilFactory

BEFORE = [("councils", "0004_council_register")]
migration = import_module("councils.migrations.0005_council_lineage")


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_successor_into_the_lineage_and_carries_unedited_digests() -> None:
    executor = _migrate(BEFORE)
    try:
        others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "councils"]
        old = executor.loader.project_state(others + BEFORE).apps
        OldCouncil = old.get_model("councils", "Council")
        OldLoadedFixture = old.get_model("casestudies", "LoadedFixture")
        common = {"council_type": "district", "region": "london"}
        new = OldCouncil.objects.create(name="New Council", slug="new", **common)
        unedited, edited = (
            OldCouncil.objects.create(
                name=name, slug=name.lower(), abolished_on=datetime.date(2019, 4, 1), successor=new, **common
            )
            for name in ("Unedited", "Edited")
        )
        before = fixture_digest(unedited, migration.FIXTURE_FIELDS_BEFORE)
        OldLoadedFixture.objects.create(model="councils.council", object_id=unedited.pk, digest=before)
        OldLoadedFixture.objects.create(model="councils.council", object_id=edited.pk, digest="a curator edited it")
    finally:
        executor = _migrate(executor.loader.graph.leaf_nodes())
    assert sorted(Succession.objects.values_list("predecessor__slug", "successor__slug")) == [
        ("edited", "new"),
        ("unedited", "new"),
    ]
    digests = dict(LoadedFixture.objects.values_list("object_id", "digest"))
    after = fixture_digest(Council.objects.get(slug="unedited"), migration.FIXTURE_FIELDS_BEFORE - {"successor"})
    assert digests[unedited.pk] == after != before
    assert digests[edited.pk] == "a curator edited it"  # its differences stay fixture conflicts


@pytest.mark.django_db
def test_a_council_page_lists_every_successor(client) -> None:
    cumberland = CouncilFactory(name="Cumberland Council", slug="cumberland")
    westmorland = CouncilFactory(name="Westmorland and Furness Council", slug="westmorland")
    CouncilFactory(slug="cumbria", abolished_on="2023-04-01", successors=[westmorland, cumberland])
    page = client.get(reverse("councils:detail", kwargs={"slug": "cumbria"})).content.decode()
    assert (
        'Its work passed to <a class="govuk-notification-banner__link" href="/councils/cumberland/">Cumberland Council'
        '</a> and <a class="govuk-notification-banner__link" href="/councils/westmorland/">'
        "Westmorland and Furness Council</a>."
    ) in page


@pytest.mark.django_db
def test_the_council_api_lists_every_successor_by_name(client) -> None:
    cumberland = CouncilFactory(name="Cumberland Council", slug="cumberland")
    westmorland = CouncilFactory(name="Westmorland and Furness Council", slug="westmorland")
    CouncilFactory(slug="cumbria", abolished_on="2023-04-01", successors=[westmorland, cumberland])
    body = client.get("/api/v1/councils/cumbria/").json()
    assert [s["slug"] for s in body["successors"]] == ["cumberland", "westmorland"]
    assert body["successor"] is None


@pytest.mark.django_db
def test_the_council_csv_lists_every_successor(client) -> None:
    cumberland = CouncilFactory(name="Cumberland Council", slug="cumberland")
    westmorland = CouncilFactory(name="Westmorland and Furness Council", slug="westmorland")
    CouncilFactory(name="Cumbria County Council", abolished_on="2023-04-01", successors=[westmorland, cumberland])
    response = client.get("/api/v1/councils/", {"format": "csv", "q": "Cumbria"})
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].endswith(",successors")
    assert body.splitlines()[1].endswith(",cumberland; westmorland")


def _change_form(council: Council, **changes: str) -> dict[str, str]:
    data = {
        "name": council.name,
        "slug": council.slug,
        "council_type": council.council_type,
        "region": council.region,
        "abolished_on": "",
        "version": str(council.version),
        "succession_links-TOTAL_FORMS": "1",
        "succession_links-INITIAL_FORMS": "0",
        "succession_links-0-successor": "",
        "register_discrepancies-TOTAL_FORMS": "0",
        "register_discrepancies-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_admin_refuses_a_successor_for_a_council_not_abolished(curator_client) -> None:
    council, other = CouncilFactory(), CouncilFactory()
    url = reverse("admin:councils_council_change", args=[council.pk])
    response = curator_client.post(url, _change_form(council, **{"succession_links-0-successor": str(other.pk)}))
    assert response.status_code == 200
    assert "Only an abolished council has successors" in response.content.decode()
    assert not Succession.objects.exists()


@pytest.mark.django_db
def test_the_admin_adds_a_second_successor_to_an_abolished_council(curator_client) -> None:
    first, second = CouncilFactory(), CouncilFactory()
    council = CouncilFactory(abolished_on="2023-04-01", successors=[first])
    url = reverse("admin:councils_council_change", args=[council.pk])
    data = _change_form(
        council,
        abolished_on="2023-04-01",
        **{
            "succession_links-TOTAL_FORMS": "2",
            "succession_links-INITIAL_FORMS": "1",
            "succession_links-0-id": str(Succession.objects.get().pk),
            "succession_links-0-predecessor": str(council.pk),
            "succession_links-0-successor": str(first.pk),
            "succession_links-1-successor": str(second.pk),
        },
    )
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(council.successors.all()) == {first, second}
