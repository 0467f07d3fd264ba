"""make backup / make restore: a round trip into an empty database reproduces every row and relation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casestudies.management.commands.backup_library import BACKUP_LABELS, DERIVED_MODELS
from casestudies.models import CaseStudy, Figure
from tests.factories import (
    CaseStudyFactory,
    ContactFactory,
    CouncilFactory,
    FigureFactory,
    FindingFactory,
    OutcomeFactory,
    PartnershipFactory,
    ProgrammeFactory,
    RecommendationFactory,
    ServiceAreaFactory,
    SourceFactory,
    SurveyFactory,
    ThemeFactory,
    TransformationModelFactory,
    UserFactory,
)
from tests.helpers.scratch_database import manage, scratch_postgres_database, scratch_sqlite_database

pytestmark = pytest.mark.django_db


def build_varied_library() -> None:
    """Something of every kind, with the relations that are easy to lose."""
    curator = UserFactory(username="jane", first_name="Jane", is_staff=True)
    successor = CouncilFactory(name="North Northamptonshire Council", slug="north-northamptonshire")
    abolished = CouncilFactory(slug="corby", abolished_on="2021-04-01", successors=[successor])
    partner = CouncilFactory(slug="kettering", abolished_on="2021-04-01", successors=[successor])
    partnership = PartnershipFactory(slug="shared-services")
    partnership.members.set([abolished, partner])
    sharing = TransformationModelFactory(slug="sharing", name="Sharing")
    commissioning = TransformationModelFactory(slug="commissioning", name="Commissioning")
    theme = ThemeFactory()
    theme.transformation_models.set([sharing])
    waste, care = ServiceAreaFactory(slug="waste"), ServiceAreaFactory(slug="adult-social-care")
    source = SourceFactory(slug="localis-2016")
    case = CaseStudyFactory(
        slug="shared-back-office",
        councils=[abolished, partner],
        models=[sharing, commissioning],
        service_areas=[waste, care],
        partnership=partnership,
        source=source,
        programme=ProgrammeFactory(slug="delivering-differently", source=source),
    )
    case.further_reading.set([SourceFactory(slug="further-1")])
    FigureFactory(case_study=case, applies_to=[abolished], period=Figure.Period.PER_YEAR)
    FigureFactory(case_study=case, period=Figure.Period.ONE_OFF, kind=Figure.Kind.INVESTMENT)
    FigureFactory(case_study=case, period=Figure.Period.TOTAL, period_years=4, amount_low=None)
    FigureFactory(
        case_study=case,
        period=Figure.Period.CUMULATIVE,
        period_start_year=2010,
        period_end_year=2015,
        status=Figure.Status.EXPECTED,
    )
    FigureFactory(
        case_study=case, measure=Figure.Measure.PERCENT, amount_low=None, amount_high=None, percent_high="12.50"
    )
    OutcomeFactory(case_study=case, council=partner)
    ContactFactory(case_study=case, council=abolished, is_public=True)
    ContactFactory(case_study=case, is_public=False, name="Hidden Person")
    CaseStudyFactory(slug="a-draft", status=CaseStudy.Status.DRAFT, stage=CaseStudy.Stage.PROPOSAL)
    survey = SurveyFactory(slug="changing-places", source=source)
    FindingFactory(survey=survey, percentage="62.50")
    FindingFactory(survey=survey, percentage=None, category="barrier")
    RecommendationFactory(survey=survey)
    # A change made by a named curator, as the admin records it.
    case._history_user = curator
    case.title = "Shared back office (edited)"
    case.save()


def parsed(path: Path) -> list[dict]:
    return sorted(json.loads(path.read_text()), key=lambda row: (row["model"], json.dumps(row.get("pk"))))


def round_trip(tmp_path: Path, database_url: str) -> tuple[list[dict], list[dict]]:
    build_varied_library()
    call_command("backup_library", output_dir=tmp_path, no_pg_dump=True)
    (backup,) = tmp_path.glob("*.json")

    manage("migrate", "--noinput", database_url=database_url)
    manage("restore_library", str(backup), database_url=database_url)
    restored = tmp_path / "restored.json"
    excluded = [f"--exclude={label}" for label in DERIVED_MODELS]
    manage(
        "dumpdata",
        *BACKUP_LABELS,
        *excluded,
        "--natural-foreign",
        "--format=exact-json",  # every column compared exactly, timestamps to the microsecond
        "--output",
        str(restored),
        database_url=database_url,
    )
    return parsed(backup), parsed(restored)


@pytest.mark.postgres
def test_round_trip_into_an_empty_postgres_database_reproduces_every_row(tmp_path) -> None:
    with scratch_postgres_database("roundtrip") as url:
        original, restored = round_trip(tmp_path, url)
    assert len(original) > 40
    assert {row["model"] for row in original} >= {"casestudies.historicalcasestudy", "auth.user", "councils.council"}
    assert restored == original


@pytest.mark.postgres
def test_a_restored_library_has_its_facet_totals_rebuilt_by_the_triggers(tmp_path) -> None:
    from casestudies.models import CaseStudyFacetTotal

    with scratch_postgres_database("totals") as url:
        round_trip(tmp_path, url)
        totals = tmp_path / "totals.json"
        manage("dumpdata", "casestudies.CaseStudyFacetTotal", "--output", str(totals), database_url=url)
    restored = {row["pk"]: row["fields"]["count"] for row in json.loads(totals.read_text()) if row["fields"]["count"]}
    original = dict(CaseStudyFacetTotal.objects.filter(count__gt=0).values_list("key", "count"))
    assert original and restored == original


def test_round_trip_into_an_empty_sqlite_database_reproduces_every_row(tmp_path, postgres_or_sqlite) -> None:
    original, restored = round_trip(tmp_path, scratch_sqlite_database(tmp_path))
    assert restored == original


@pytest.fixture
def postgres_or_sqlite() -> None:
    """The SQLite target is only comparable from an SQLite source (the search vector differs)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL round trip covers this database")


def test_restore_refuses_a_database_that_has_data(tmp_path) -> None:
    backup = tmp_path / "backup.json"
    backup.write_text("[]")
    CaseStudyFactory()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_library", str(backup))


def test_restore_points_pg_dump_archives_to_pg_restore(tmp_path) -> None:
    with pytest.raises(CommandError, match="pg_restore"):
        call_command("restore_library", str(tmp_path / "x.dump"))


@pytest.mark.postgres
def test_backup_on_postgres_also_writes_a_pg_dump_archive(tmp_path) -> None:
    call_command("backup_library", output_dir=tmp_path)
    (archive,) = tmp_path.glob("*.dump")
    assert archive.read_bytes().startswith(b"PGDMP")


def test_restore_with_force_loads_over_existing_data(tmp_path) -> None:
    build_varied_library()
    call_command("backup_library", output_dir=tmp_path, no_pg_dump=True)
    (backup,) = tmp_path.glob("*.json")
    CaseStudy.objects.filter(slug="shared-back-office").update(title="Changed after the backup")

    call_command("restore_library", str(backup), force=True)

    assert CaseStudy.objects.get(slug="shared-back-office").title == "Shared back office (edited)"


def test_backups_are_readable_by_their_owner_only(tmp_path) -> None:
    import stat

    CaseStudyFactory()
    call_command("backup_library", output_dir=tmp_path / "backups", no_pg_dump=True)
    (backup,) = (tmp_path / "backups").glob("*.json")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert backup.stat().st_size > 0
