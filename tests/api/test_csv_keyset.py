"""The CSV export without server-side cursors (``DATABASE_DISABLE_SERVER_SIDE_CURSORS``, for
PgBouncer in transaction pooling): keyset batches give the same file as the cursor, one statement
of at most a batch per step, and no cursor held open (api/keyset.py)."""

from __future__ import annotations

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F

from api.csv_export import CSVListMixin
from api.keyset import id_batches
from casestudies.models import CaseStudy, Figure
from tests.factories import CaseStudyFactory, FigureFactory, ProgrammeFactory, SurveyFactory, ThemeFactory

pytestmark = pytest.mark.django_db

BATCH = 2


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch) -> None:
    """Batches of two, so that a handful of rows crosses several batch boundaries."""
    monkeypatch.setattr(CSVListMixin, "csv_chunk_size", BATCH)


def server_side_cursors(monkeypatch, allowed: bool) -> None:
    """What DATABASE_DISABLE_SERVER_SIDE_CURSORS=1 sets on every database (config/settings.py)."""
    monkeypatch.setitem(connections[DEFAULT_DB_ALIAS].settings_dict, "DISABLE_SERVER_SIDE_CURSORS", not allowed)


@pytest.fixture
def awkward_library(library) -> None:
    """More rows than a batch, with equal titles, equal savings and missing years and savings."""
    for year in (None, 2012, None):
        case = CaseStudyFactory(title="Shared services", start_year=year, summary="A council shared services.")
        if year:
            FigureFactory(case_study=case, amount_low=500_000, amount_high=500_000)
    CaseStudyFactory(title="Barnet one council", start_year=None)
    for name in ("Zeta", "Alpha", "Alpha"):
        SurveyFactory(title=name, year=2020)
        ThemeFactory(title=name)
    ProgrammeFactory.create_batch(3)


def export(api, path: str, params: dict) -> bytes:
    response = api(path, {**params, "format": "csv"})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("case-studies/", {}),
        ("case-studies/", {"ordering": "year"}),
        ("case-studies/", {"ordering": "-year"}),
        ("case-studies/", {"ordering": "annual_saving"}),
        ("case-studies/", {"ordering": "-annual_saving,title"}),
        ("case-studies/", {"q": "council"}),
        ("case-studies/", {"model": "sharing"}),
        ("figures/", {}),
        ("councils/", {}),
        ("surveys/", {}),
        ("themes/", {}),
        ("service-areas/", {}),
        ("programmes/", {}),
        ("transformation-models/", {}),
    ],
)
@pytest.mark.usefixtures("awkward_library")
def test_export_without_server_side_cursors_is_the_same_file(api, monkeypatch, path, params) -> None:
    server_side_cursors(monkeypatch, allowed=True)
    through_a_cursor = export(api, path, params)
    server_side_cursors(monkeypatch, allowed=False)
    assert export(api, path, params) == through_a_cursor
    assert through_a_cursor.count(b"\n") > 1  # a header and rows


@pytest.mark.postgres
def test_export_without_server_side_cursors_reads_a_batch_per_statement(
    api, monkeypatch, django_assert_num_queries
) -> None:
    CaseStudyFactory.create_batch(5)
    server_side_cursors(monkeypatch, allowed=False)
    # 5 rows in batches of 2: for each of the 3 batches, its keys (LIMIT 2), then its rows by id.
    with django_assert_num_queries(6) as captured:
        export(api, "case-studies/", {})
    keys = [query["sql"] for query in captured.captured_queries if query["sql"].endswith(f"LIMIT {BATCH}")]
    assert len(keys) == 3


@pytest.mark.postgres
@pytest.mark.parametrize(("allowed", "open_cursors"), [(True, 1), (False, 0)])
def test_export_holds_a_server_side_cursor_only_where_allowed(api, monkeypatch, allowed, open_cursors) -> None:
    CaseStudyFactory.create_batch(5)
    server_side_cursors(monkeypatch, allowed=allowed)
    content = iter(api("case-studies/", {"format": "csv"}).streaming_content)
    next(content), next(content)  # the header and the first row: the export is under way
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors WHERE name LIKE '\\_django\\_curs\\_%%'")
        assert cursor.fetchone()[0] == open_cursors
    list(content)


# --- The batches themselves -----------------------------------------------------------------


@pytest.mark.parametrize(
    "ordering",
    [
        ["title"],
        ["-title"],
        ["start_year"],
        ["-start_year"],
        [F("start_year").asc(nulls_first=True), "-title"],
        [F("start_year").desc(nulls_last=True)],
        ["-start_year", "-pk"],
    ],
)
@pytest.mark.usefixtures("awkward_library")
def test_batches_follow_the_querysets_order(ordering) -> None:
    queryset = CaseStudy.objects.order_by(*ordering)
    batches = list(id_batches(queryset, BATCH))
    assert all(len(batch) <= BATCH for batch in batches)
    assert [pk for batch in batches for pk in batch] == list(
        queryset.order_by(*ordering, "pk").values_list("pk", flat=True)
    )


@pytest.mark.usefixtures("awkward_library")
def test_batches_use_the_models_default_order() -> None:
    batches = id_batches(CaseStudy.objects.all(), BATCH)  # Meta.ordering: title
    assert [pk for batch in batches for pk in batch] == list(
        CaseStudy.objects.order_by("title", "pk").values_list("pk", flat=True)
    )


def test_a_random_order_cannot_be_read_in_batches() -> None:
    with pytest.raises(ValueError, match="random"):
        next(id_batches(CaseStudy.objects.order_by("?"), BATCH))


def test_an_order_by_a_relation_must_name_its_column() -> None:
    with pytest.raises(ValueError, match="case_study_id"):
        next(id_batches(Figure.objects.all(), BATCH))  # Meta.ordering: case_study, position
