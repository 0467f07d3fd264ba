"""Remove what migrations 0002 and 0004–0007 created by hand on PostgreSQL.

The filter-keys table with its triggers and functions (0005), the listing function (0006), and the
raw-SQL indexes that now live in the models' ``Meta.indexes`` (0002, 0004, 0007) or went with the
column they indexed. What replaces them is in the model state, from the next migration on:
``CaseStudyLinkKeys`` and ``CaseStudySearchDocument`` with their GIN indexes, triggers declared with
django-pgtrigger (``casestudies/derived.py``), and the partial indexes in ``Meta.indexes``.
``DROP … IF EXISTS``: a database that never had them (SQLite) has nothing to drop.
"""

from django.db import migrations

DROP_ON_POSTGRESQL = """
DROP FUNCTION IF EXISTS casestudy_filter_keys_links_changed() CASCADE;
DROP FUNCTION IF EXISTS casestudy_filter_keys_councils_changed() CASCADE;
DROP FUNCTION IF EXISTS casestudy_filter_keys_case_studies_added() CASCADE;
DROP FUNCTION IF EXISTS casestudy_filter_keys_case_studies_removed() CASCADE;
DROP FUNCTION IF EXISTS casestudy_filter_keys_case_studies_truncated() CASCADE;
DROP FUNCTION IF EXISTS casestudy_filter_keys_refresh(bigint[]);
DROP FUNCTION IF EXISTS casestudy_filter_keys(bigint);
DROP TABLE IF EXISTS casestudies_filterkeys;
DROP FUNCTION IF EXISTS casestudy_listing_json(bigint[], text, text, text, text);
"""
# Indexes made by hand that the model state now declares (same names) or no longer needs.
DROP_INDEXES = [
    "casestudy_search_vector_gin",
    "casestudy_published_title_idx",
    "casestudy_published_saving_idx",
    "casestudy_published_id_idx",
    "figure_kind_status_case_idx",
]


def drop_functions_and_tables(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":  # functions and triggers exist only there
        schema_editor.execute(DROP_ON_POSTGRESQL)


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0007_published_id_index")]

    operations = [
        migrations.RunPython(drop_functions_and_tables, migrations.RunPython.noop),
        *(migrations.RunSQL(f"DROP INDEX IF EXISTS {name}", migrations.RunSQL.noop) for name in DROP_INDEXES),
    ]
