"""The listing indexes exist on PostgreSQL after migrating, and the derived-rows migrations reverse.

Most listing indexes are declared in the models' ``Meta.indexes`` (partial ones on published case
studies, the figure index, the GIN indexes of the derived tables); migration 0004 still creates the
few that the model state cannot express or that sit on automatic many-to-many tables.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.postgres

# Declared in Meta.indexes: name -> what its definition must say (pg_indexes.indexdef).
MODEL_INDEXES = {
    "casestudy_published_title_idx": ("ON public.casestudies_casestudy USING btree (title, id)", "published"),
    "casestudy_published_id_idx": ("ON public.casestudies_casestudy USING btree (id)", "published"),
    "figure_kind_status_case_idx": ("ON public.casestudies_figure USING btree (kind, status, case_study_id)",),
    "casestudy_link_keys_gin": ("ON public.casestudies_casestudylinkkeys USING gin (keys)",),
    "casestudy_search_vector_gin": ("ON public.casestudies_casestudysearchdocument USING gin (vector)",),
}
# Still created by migration 0004's raw SQL.
MIGRATION_INDEXES = {
    "casestudy_published_year_idx": (
        "ON public.casestudies_casestudy USING btree (start_year DESC NULLS LAST, id)",
        "published",
    ),
    # ASC NULLS LAST is the default order, so PostgreSQL shows it as plain (start_year, id).
    "casestudy_published_year_asc_idx": ("ON public.casestudies_casestudy USING btree (start_year, id)", "published"),
    "casestudy_areas_area_case_idx": (
        "ON public.casestudies_casestudy_service_areas USING btree (servicearea_id, casestudy_id)",
    ),
    "casestudy_reading_source_case_idx": (
        "ON public.casestudies_casestudy_further_reading USING btree (source_id, casestudy_id)",
    ),
}
# What migration 0008 removed: the saving index went with its column, the filter-keys table with
# its functions and triggers (0005), the listing function (0006).
GONE_INDEXES = {"casestudy_published_saving_idx"}

BEFORE = ("casestudies", "0007_published_id_index")


def index_definitions() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
        return dict(cursor.fetchall())


def tables() -> set[str]:
    return set(connection.introspection.table_names())


def columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, table)}


def trigger_count() -> int:
    """Triggers installed by django-pgtrigger (named ``pgtrigger_…``) in this schema, on the tables of
    the casestudies models (their proxies' included; other apps' own triggers, such as the releases',
    are theirs)."""
    tables = sorted({model._meta.db_table for model in apps.get_app_config("casestudies").get_models()})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgname LIKE 'pgtrigger_%%' "
            "AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY(%s)",
            [tables],
        )
        return cursor.fetchone()[0]


def declared_triggers() -> int:
    return sum(len(getattr(model._meta, "triggers", [])) for model in apps.get_app_config("casestudies").get_models())


@pytest.mark.parametrize("name", sorted({**MODEL_INDEXES, **MIGRATION_INDEXES}))
def test_listing_index_exists_after_migrating_with_its_definition(db, name) -> None:
    definition = index_definitions().get(name)
    assert definition is not None, f"{name} is missing"
    for part in {**MODEL_INDEXES, **MIGRATION_INDEXES}[name]:
        if part == "published":
            assert "WHERE ((status)::text = 'published'::text)" in definition, definition
        else:
            assert part in definition, definition


def test_every_index_the_models_declare_exists(db) -> None:
    declared = {
        index.name
        for model in apps.get_app_config("casestudies").get_models()
        if model._meta.can_migrate(connection)
        for index in model._meta.indexes
    }
    assert set(MODEL_INDEXES) <= declared
    assert declared <= set(index_definitions())


def test_hand_written_objects_of_earlier_migrations_are_gone(db) -> None:
    assert not GONE_INDEXES & set(index_definitions())
    assert "casestudies_filterkeys" not in tables()
    assert not {"search_vector", "headline_annual_saving"} & columns("casestudies_casestudy")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proname LIKE 'casestudy\\_%%'")
        assert cursor.fetchone()[0] == 0  # no filter-keys or listing functions left


def test_every_declared_trigger_is_installed(db) -> None:
    # Proxies (councils, service-area links) declare theirs too; all are casestudies models.
    assert trigger_count() == declared_triggers() > 0


def test_derived_rows_migrations_reverse_to_0007_and_forward_again(transactional_db) -> None:
    from tests.factories import CaseStudyFactory, CouncilFactory

    case = CaseStudyFactory(title="Telecare in Kent", councils=[CouncilFactory(region="london")])
    executor = MigrationExecutor(connection)
    # Forward again to every app's latest: going back also unapplies what depends on casestudies'
    # migrations (councils' 0005 reads LoadedFixture), which a casestudies-only target would leave out.
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE])

    # At 0007: the columns the derived tables replaced are back; the tables, their indexes and the
    # triggers are gone. (0008's reverse does not recreate the hand-written SQL it dropped.)
    assert {"search_vector", "headline_annual_saving"} <= columns("casestudies_casestudy")
    assert not {"casestudies_casestudylinkkeys", "casestudies_casestudysearchdocument"} & tables()
    assert not {"casestudy_link_keys_gin", "casestudy_search_vector_gin"} & set(index_definitions())
    assert trigger_count() == 0
    assert set(MIGRATION_INDEXES) <= set(index_definitions())  # 0004's are untouched

    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    definitions = index_definitions()
    assert set(MODEL_INDEXES) | set(MIGRATION_INDEXES) <= set(definitions)
    assert trigger_count() == declared_triggers()
    assert not {"search_vector", "headline_annual_saving"} & columns("casestudies_casestudy")
    # The forward migration gave the existing case study its derived rows again.
    from casestudies.models import CaseStudy, CaseStudyLinkKeys

    assert "region:london" in CaseStudyLinkKeys.objects.get(case_study=case).keys
    assert list(CaseStudy.objects.search("telecare")) == [case]
