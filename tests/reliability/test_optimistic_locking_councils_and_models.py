"""Two curators edit the same council or transformation model: the stale save is refused too.

And reverting to an earlier version from *History* is a save like any other, for every locked model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from casestudies.models import CaseStudy
from councils.models import Council
from tests.factories import CaseStudyFactory, CouncilFactory, TransformationModelFactory
from transform_models.models import TransformationModel

from .admin_form_data import _form_data, change_form_data

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Locked:
    model: type[models.Model]
    factory: Callable[..., models.Model]
    text_field: str  # a field a curator edits
    verbose_name: str
    new_row: dict[str, str] | None = None  # the fields an add form needs

    def change_url(self, obj: models.Model) -> str:
        return reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change", args=[obj.pk])

    def add_url(self) -> str:
        return reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_add")

    def revert_url(self, obj: models.Model, history_id: int) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, history_id])


COUNCIL = Locked(
    Council,
    CouncilFactory,
    "name",
    "council",
    {"name": "New Council", "slug": "new-council", "council_type": "district", "region": "south_east"},
)
TRANSFORMATION_MODEL = Locked(
    TransformationModel,
    TransformationModelFactory,
    "name",
    "transformation model",
    {"name": "New Model", "slug": "new-model", "definition": "Councils that try something new."},
)

CASE_STUDY = Locked(CaseStudy, CaseStudyFactory, "title", "case study")


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
        locked.change_url(obj), change_form_data(second_curator_client.get(locked.change_url(obj)))
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


def test_stale_form_does_not_save_its_inline_rows(curator_client: Client, second_curator_client: Client) -> None:
    model = TransformationModelFactory()
    url = TRANSFORMATION_MODEL.change_url(model)
    mine = change_form_data(curator_client.get(url))
    second_curator_client.post(url, change_form_data(second_curator_client.get(url)))
    mine.update(
        {
            "points-TOTAL_FORMS": "1",
            "points-0-kind": "benefit",
            "points-0-position": "1",
            "points-0-text": "Added by a stale form",
        }
    )
    assert curator_client.post(url, mine).status_code == 200
    assert not model.points.exists()


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
