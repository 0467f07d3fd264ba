"""Indexes for the case-study finder's filters and orderings on PostgreSQL (issue 6).

Found with bench/explain_filters.py on 100,000 synthetic case studies (docs/performance.md):
* partial indexes on published case studies for each ordering the FilterSet offers, so the first
  page is read in index order instead of sorting every published row;
* figure (kind, status, case_study) for the figure_kind / figure_status filter's EXISTS;
* the reverse direction of the automatic many-to-many tables (service areas, further reading),
  whose only composite index starts with the case study.

PostgreSQL only (like 0002), built CONCURRENTLY so that migrating a live library does not lock
the tables; hence a non-atomic migration. Django's model state is unchanged.
"""

from django.db import migrations

INDEXES = {
    "casestudy_published_title_idx": ("casestudies_casestudy (title, id) WHERE status = 'published'"),
    "casestudy_published_year_idx": (
        "casestudies_casestudy (start_year DESC NULLS LAST, id) WHERE status = 'published'"
    ),
    "casestudy_published_year_asc_idx": (
        "casestudies_casestudy (start_year ASC NULLS LAST, id) WHERE status = 'published'"
    ),
    "casestudy_published_saving_idx": (
        "casestudies_casestudy (headline_annual_saving DESC NULLS LAST, id) WHERE status = 'published'"
    ),
    "figure_kind_status_case_idx": "casestudies_figure (kind, status, case_study_id)",
    "casestudy_areas_area_case_idx": "casestudies_casestudy_service_areas (servicearea_id, casestudy_id)",
    "casestudy_reading_source_case_idx": "casestudies_casestudy_further_reading (source_id, casestudy_id)",
}


def create_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("casestudies", "0003_casestudy_version")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
