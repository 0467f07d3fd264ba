"""Optimistic locking (curation/optimistic_locking.py) in the admin of every locked model.

Two curators edit the same council or transformation model: the stale save is refused too (case
studies: tests/casestudies/test_optimistic_locking.py). And reverting to an earlier version from
*History* is a save like any other, for every locked model."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models
from django.http import HttpResponse
from django.test import Client

from tests.helpers.admin_form_data import _form_data, change_form_data
from tests.helpers.locking import CASE_STUDY, COUNCIL, TRANSFORMATION_MODEL, Locked

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[COUNCIL, TRANSFORMATION_MODEL], ids=["council", "transformation_model"])
def locked(request: pytest.FixtureRequest) -> Locked:
    return request.param


@pytest.fixture(
    params=[COUNCIL, TRANSFORMATION_MODEL, CASE_STUDY], ids=["council", "transformation_model", "case_study"]
)
def any_locked(request: pytest.FixtureRequest) -> Locked:
    return request.param


def edited(data: dict[str, Any], locked: Locked, value: str) -> dict[str, Any]:
    return {**data, locked.text_field: value}


def test_fresh_save_increments_the_version(locked: Locked, curator_client: Client) -> None:
    obj = locked.factory(**{locked.text_field: "Before"})
    data = change_form_data(curator_client.get(locked.change_url(obj)))
    assert curator_client.post(locked.change_url(obj), edited(data, locked, "After")).status_code == 302
    obj.refresh_from_db()
    assert (getattr(obj, locked.text_field), obj.version) == ("After", 2)
    assert obj.history.latest().version == 2


def test_second_save_of_a_stale_form_is_refused_and_changes_nothing(
    locked: Locked, curator_client: Client, second_curator_client: Client
) -> None:
    obj = locked.factory(**{locked.text_field: "Original"})
    mine = change_form_data(curator_client.get(locked.change_url(obj)))
    theirs = change_form_data(second_curator_client.get(locked.change_url(obj)))

    assert second_curator_client.post(locked.change_url(obj), edited(theirs, locked, "Sam's")).status_code == 302
    history_rows = obj.history.count()

    response = curator_client.post(locked.change_url(obj), edited(mine, locked, "Mine"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors.as_data()[0].code == "stale"
    obj.refresh_from_db()
    assert (getattr(obj, locked.text_field), obj.version) == ("Sam's", 2)
    assert obj.history.count() == history_rows


def test_stale_form_message_says_who_saved_and_what_to_do(
    locked: Locked, curator_client: Client, second_curator_client: Client
) -> None:
    obj = locked.factory()
    mine = change_form_data(curator_client.get(locked.change_url(obj)))
    second_curator_client.post(
        locked.change_url(obj),
        edited(change_form_data(second_curator_client.get(locked.change_url(obj))), locked, "Sam's"),
    )

    content = curator_client.post(locked.change_url(obj), mine).content.decode()

    assert f"Someone else saved this {locked.verbose_name} while you were editing it" in content
    assert "by Sam Jones" in content
    assert "Your changes were not saved: reload the page, reapply them, and save again." in content


def test_version_is_a_hidden_field_of_the_change_form(locked: Locked, curator_client: Client) -> None:
    obj = locked.factory()
    form = curator_client.get(locked.change_url(obj)).context["adminform"].form
    assert form["version"].is_hidden
    assert form["version"].value() == 1


def test_added_in_the_admin_starts_at_version_one(locked: Locked, curator_client: Client) -> None:
    data = change_form_data(curator_client.get(locked.add_url()))
    data.update(locked.new_row, version="7")  # a new row takes the default, whatever is posted
    assert curator_client.post(locked.add_url(), data).status_code == 302
    assert locked.model.objects.get(slug=locked.new_row["slug"]).version == 1


def revert_form_data(response: HttpResponse) -> dict[str, Any]:
    """What the History page's revert form posts (it has no inline rows)."""
    return _form_data(response.context["adminform"].form)


def saved_twice(locked: Locked, client: Client) -> tuple[models.Model, int]:
    """A row saved in the admin as "Second" over "First"; and the history id of "First"."""
    obj = locked.factory(**{locked.text_field: "First"})
    data = change_form_data(client.get(locked.change_url(obj)))
    assert client.post(locked.change_url(obj), edited(data, locked, "Second")).status_code == 302
    return obj, obj.history.earliest().history_id


def test_reverting_from_history_is_a_fresh_save(any_locked: Locked, curator_client: Client) -> None:
    obj, first = saved_twice(any_locked, curator_client)
    url = any_locked.revert_url(obj, first)
    data = revert_form_data(curator_client.get(url))
    assert data["version"] == "2"  # the row's current version, not the old one's

    assert curator_client.post(url, data).status_code == 302
    obj.refresh_from_db()
    assert (getattr(obj, any_locked.text_field), obj.version) == ("First", 3)


def test_reverting_from_a_stale_history_page_is_refused(
    any_locked: Locked, curator_client: Client, second_curator_client: Client
) -> None:
    obj, first = saved_twice(any_locked, curator_client)
    url = any_locked.revert_url(obj, first)
    data = revert_form_data(curator_client.get(url))
    theirs = change_form_data(second_curator_client.get(any_locked.change_url(obj)))
    second_curator_client.post(any_locked.change_url(obj), edited(theirs, any_locked, "Sam's"))

    response = curator_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors().as_data()[0].code == "stale"
    obj.refresh_from_db()
    assert (getattr(obj, any_locked.text_field), obj.version) == ("Sam's", 3)
