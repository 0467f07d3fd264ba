"""The admin's "Publish a new release" button: for curators with the permission, after a confirmation page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from releases.models import Release
from tests.factories import UserFactory
from tests.helpers.curators import verified_client

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/releases/release/"
PUBLISH = "/admin/releases/release/publish/"


@pytest.fixture
def publisher_client():
    """Staff who may view releases and publish them, and nothing else."""
    user = UserFactory(username="publisher", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="releases", codename__in=["view_release", "publish_release"])
    )
    return verified_client(user)


@pytest.fixture
def viewer_client():
    """Staff who may view releases but not publish one."""
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="releases", codename="view_release"))
    return verified_client(user)


def test_release_list_offers_the_publish_button_to_a_publisher(publisher_client) -> None:
    assert "Publish a new release" in publisher_client.get(CHANGELIST).content.decode()


def test_release_list_hides_the_publish_button_without_the_permission(viewer_client) -> None:
    assert "Publish a new release" not in viewer_client.get(CHANGELIST).content.decode()


def test_publishing_asks_for_confirmation_first(library, publisher_client, releases_root) -> None:
    response = publisher_client.get(PUBLISH)
    assert response.status_code == 200
    assert "Yes, publish release 1" in response.content.decode()
    assert not Release.objects.exists()


def test_confirming_publishes_the_release_with_its_notes_and_publisher(library, publisher_client, releases_root):
    response = publisher_client.post(PUBLISH, {"notes": "Spring update"}, follow=True)
    release = Release.objects.get()
    assert (release.number, release.notes, release.published_by.username) == (1, "Spring update", "publisher")
    assert (releases_root / "1" / "datapackage.json").exists()
    assert "Published release 1" in response.content.decode()


def test_publishing_without_the_permission_is_refused(library, viewer_client, releases_root) -> None:
    assert viewer_client.get(PUBLISH).status_code == 403
    assert viewer_client.post(PUBLISH, {"notes": "x"}).status_code == 403
    assert not Release.objects.exists()


def test_publishing_needs_the_second_factor(library, client, releases_root) -> None:
    user = UserFactory(username="half-signed-in", is_staff=True, is_superuser=True)
    client.force_login(user)
    client.post(PUBLISH, {"notes": "x"})
    assert not Release.objects.exists()


def test_a_failed_publish_says_why_and_writes_nothing(library, publisher_client, releases_root) -> None:
    (releases_root / "1").mkdir(parents=True)
    (releases_root / "1" / "stray").write_text("x")
    response = publisher_client.post(PUBLISH, {"notes": ""})
    assert response.status_code == 200
    assert "never rewritten" in response.content.decode()
    assert not Release.objects.exists()


def test_a_release_cannot_be_changed_or_deleted_in_the_admin(library, publish, curator_client) -> None:
    release = publish()
    change = curator_client.post(f"{CHANGELIST}{release.pk}/change/", {"notes": "rewritten"})
    delete = curator_client.post(f"{CHANGELIST}{release.pk}/delete/", {"post": "yes"})
    release.refresh_from_db()
    assert release.notes == ""
    assert (change.status_code, delete.status_code) == (403, 403)
