"""Migration 0018 carries the loaded digests of unedited figures and outcomes over to the fields the
fixtures now give, so that ``load_library`` still gives them the shipped corrections. Its frozen
digest must be load_library's, over exactly the fields of the shipped fixture entries."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from django.conf import settings

from casestudies.management.commands import load_library
from tests.factories import CouncilFactory, FigureFactory, OutcomeFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("casestudies.migrations.0018_figure_data")
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "07_figures_outcomes_contacts.json"


def fixture_fields(model: str) -> set[str]:
    entries = [item for item in json.loads(FIXTURE.read_text()) if item["model"] == model]
    return {name for entry in entries for name in entry["fields"]}


def test_new_field_lists_are_the_fields_the_fixtures_give() -> None:
    assert set(migration.FIGURE_FIELDS_AFTER) == fixture_fields("casestudies.figure")
    assert set(migration.OUTCOME_FIELDS_AFTER) == fixture_fields("casestudies.outcome")


def test_frozen_digest_is_load_librarys_digest() -> None:
    figure = FigureFactory(applies_to=[CouncilFactory(), CouncilFactory()], recurrence="recurring")
    outcome = OutcomeFactory(baseline=36, value=4)
    for record, names in ((figure, migration.FIGURE_FIELDS_AFTER), (outcome, migration.OUTCOME_FIELDS_AFTER)):
        expected = load_library._digest(load_library._content(record, None, set(names)))
        assert migration._digest(record, names) == expected
