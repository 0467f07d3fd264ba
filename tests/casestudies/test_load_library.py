"""The start-up command (``make run`` runs ``load_library``) never destroys a curator's work."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from casestudies.models import CaseStudy, Contact, Figure
from tests.factories import UserFactory
from tests.helpers.admin_form_data import change_form_data

pytestmark = pytest.mark.django_db

BARNET = "barnet-commissioning-council"


def start_up() -> str:
    out = io.StringIO()
    call_command("load_library", stdout=out)
    return out.getvalue()


def test_a_fresh_database_gets_the_whole_library() -> None:
    message = start_up()
    assert CaseStudy.objects.count() == 24
    assert Contact.objects.count() == 17
    assert "added" in message and "24 case studies" in message


def test_a_summary_corrected_in_the_admin_survives_the_next_start(curator_client) -> None:
    start_up()
    case = CaseStudy.objects.get(slug=BARNET)
    url = reverse("admin:casestudies_casestudy_change", args=[case.pk])
    data = change_form_data(curator_client.get(url))
    data["summary"] = "Corrected by a curator."
    assert curator_client.post(url, data).status_code == 302

    message = start_up()

    case.refresh_from_db()
    assert case.summary == "Corrected by a curator."
    assert case.history.first().summary == "Corrected by a curator."  # history and live data agree
    assert "added nothing new" in message


def test_a_contact_hidden_by_a_curator_stays_hidden(curator_client) -> None:
    start_up()
    contact = Contact.objects.filter(is_public=True).first()
    curator_client.post(
        reverse("admin:casestudies_contact_changelist"),
        {"action": "hide_from_public", "_selected_action": [contact.pk]},
    )
    start_up()
    contact.refresh_from_db()
    assert contact.is_public is False


def test_a_case_study_deleted_by_a_curator_is_not_brought_back(curator_client) -> None:
    start_up()
    case = CaseStudy.objects.get(slug=BARNET)
    response = curator_client.post(reverse("admin:casestudies_casestudy_delete", args=[case.pk]), {"post": "yes"})
    assert response.status_code == 302
    message = start_up()
    assert not CaseStudy.objects.filter(slug=BARNET).exists()
    assert "stay deleted" in message


def test_a_record_missing_from_the_library_is_added_without_touching_the_rest() -> None:
    start_up()
    figure = Figure.objects.order_by("pk").first()
    case = figure.case_study
    case.title = "Edited title"
    case._history_user = UserFactory(username="editor")  # as the admin attributes a curator's save
    case.save()
    # A record the library never had, as when a new release ships one: no row, no history.
    Figure.objects.filter(pk=figure.pk).delete()
    Figure.history.filter(id=figure.pk).delete()

    start_up()

    assert Figure.objects.filter(case_study=case, position=figure.position).exists()
    case.refresh_from_db()
    assert case.title == "Edited title"


def shipped_fixtures_with(tmp_path, slug: str, **fields: str):
    """A copy of fixtures/ in which the case study ``slug`` has new values (a shipped correction)."""
    import json
    import shutil
    from pathlib import Path

    from django.conf import settings

    folder = tmp_path / "fixtures"
    shutil.copytree(Path(settings.BASE_DIR) / "fixtures", folder)
    path = folder / "05_case_studies.json"
    rows = json.loads(path.read_text())
    for row in rows:
        if row["fields"].get("slug") == slug:
            row["fields"].update(fields)
    path.write_text(json.dumps(rows))
    return folder


def test_a_shipped_correction_reaches_a_record_no_curator_edited(tmp_path) -> None:
    start_up()
    folder = shipped_fixtures_with(tmp_path, BARNET, summary="Corrected in a new release.")
    call_command("load_library", fixtures_dir=folder, stdout=io.StringIO())
    assert CaseStudy.objects.get(slug=BARNET).summary == "Corrected in a new release."


def test_a_shipped_correction_to_an_edited_record_is_listed_as_a_conflict(curator_client, tmp_path) -> None:
    from casestudies.models import FixtureConflict

    start_up()
    case = CaseStudy.objects.get(slug=BARNET)
    url = reverse("admin:casestudies_casestudy_change", args=[case.pk])
    data = change_form_data(curator_client.get(url))
    data["summary"] = "The curator's summary."
    curator_client.post(url, data)

    out = io.StringIO()
    call_command(
        "load_library", fixtures_dir=shipped_fixtures_with(tmp_path, BARNET, summary="The release's."), stdout=out
    )

    case.refresh_from_db()
    assert case.summary == "The curator's summary."
    (conflict,) = FixtureConflict.objects.all()
    assert (conflict.field, conflict.fixture_value, conflict.library_value) == (
        "summary",
        "The release's.",
        "The curator's summary.",
    )
    assert "Fixture conflicts" in out.getvalue()
    listed = curator_client.get(reverse("admin:casestudies_fixtureconflict_changelist")).content.decode()
    assert "The release&#x27;s." in listed

    curator_client.post(
        reverse("admin:casestudies_fixtureconflict_changelist"),
        {"action": "use_fixture_value", "_selected_action": [conflict.pk]},
    )
    case.refresh_from_db()
    assert case.summary == "The release's." and not FixtureConflict.objects.exists()


def test_an_erased_contact_never_comes_back(curator_client) -> None:
    start_up()
    contact = Contact.objects.first()
    erase = {"action": "erase", "_selected_action": [contact.pk], "confirm": "yes"}
    curator_client.post(reverse("admin:casestudies_contact_changelist"), erase)
    start_up()
    assert not Contact.objects.filter(case_study=contact.case_study, position=contact.position).exists()


def test_reset_refuses_without_yes_and_says_what_it_would_replace() -> None:
    from django.core.management.base import CommandError

    start_up()
    with pytest.raises(CommandError, match=r"24 case studies.*--yes"):
        call_command("reset_library")
    assert CaseStudy.objects.count() == 24


def test_reset_backs_up_then_puts_the_fixtures_back(tmp_path) -> None:
    start_up()
    CaseStudy.objects.filter(slug=BARNET).update(summary="A curator's edit.")
    call_command("reset_library", yes=True, backup_dir=tmp_path / "backups", stdout=io.StringIO())
    assert CaseStudy.objects.get(slug=BARNET).summary != "A curator's edit."
    assert CaseStudy.objects.count() == 24
    (backup,) = (tmp_path / "backups").glob("*.json")
    assert "A curator's edit." in backup.read_text()


@pytest.mark.slow
def test_make_run_twice_keeps_an_edit_made_between_the_runs(tmp_path) -> None:
    """Through the real start-up path: `make startup` (what `make run` does before serving), an edit,
    `make startup` again."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'library.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "PYTHONPATH": str(root),
    }

    def make_startup() -> None:
        result = subprocess.run(["make", "-s", "startup"], cwd=root, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr

    edit = (
        "from casestudies.models import CaseStudy, Contact;"
        f"CaseStudy.objects.filter(slug='{BARNET}').update(summary='Kept by make run');"
        "Contact.objects.filter(pk=Contact.objects.order_by('pk').first().pk).update(is_public=False)"
    )
    check = (
        "from casestudies.models import CaseStudy, Contact;"
        f"print(CaseStudy.objects.get(slug='{BARNET}').summary, Contact.objects.filter(is_public=False).count())"
    )
    make_startup()
    subprocess.run([sys.executable, "manage.py", "shell", "-c", edit], cwd=root, env=env, check=True)
    make_startup()
    shown = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", check], cwd=root, env=env, capture_output=True, text=True
    )
    assert shown.stdout.strip().splitlines()[-1] == "Kept by make run 1"
