"""Filter keys on PostgreSQL: a narrow, GIN-indexed table that answers the linked filters at once.

``model``, ``council_type``, ``region`` and ``service_area`` each test a case study's links
(``EXISTS`` over a link table, joined to councils for type and region). On 100,000 case studies
three of them together cost 80–130 ms to count, cold: the count dominated the page. This adds
``casestudies_filterkeys (case_study_id, keys text[])``: each case study's ``model:<id>``,
``council_type:<code>``, ``region:<code>`` and ``service_area:<id>``, with a GIN index, so all
the linked filters of a request become one condition on one small table
(``keys && {…} AND keys && {…}``) that the index answers together (docs/performance.md).

Kept by triggers in the database, so every write path keeps it right (the admin, imports,
fixtures, the generator's bulk inserts, psql): statement-level triggers on the three link tables
recompute the case studies whose links changed; councils recompute their case studies when they
change (or arrive after their links, as a fixture may load them); a new case study gets its row
(replacing any left from an earlier row with the same id), a deleted one loses it, and truncating
case studies empties the table. No foreign key, so that Django's flush (``TRUNCATE`` of the tables
it knows) is not blocked by a table it does not know.

PostgreSQL only (like 0002 and 0004); Django's model state is unchanged: the table is not a
model, queries reach it through ``CaseStudyQuerySet.with_links``. Other databases keep ``EXISTS``.
"""

from django.db import migrations

FORWARD = r"""
CREATE TABLE casestudies_filterkeys (
  case_study_id bigint PRIMARY KEY,
  keys text[] NOT NULL
);
CREATE INDEX casestudies_filterkeys_keys_gin ON casestudies_filterkeys USING gin (keys);

CREATE FUNCTION casestudy_filter_keys(case_id bigint) RETURNS text[] LANGUAGE sql STABLE AS $$
  SELECT COALESCE(array_agg(DISTINCT key ORDER BY key), '{}') FROM (
    SELECT 'model:' || l.model_id FROM casestudies_casestudymodel l WHERE l.case_study_id = case_id
    UNION ALL
    SELECT 'council_type:' || c.council_type FROM casestudies_casestudycouncil l
      JOIN councils_council c ON c.id = l.council_id WHERE l.case_study_id = case_id
    UNION ALL
    SELECT 'region:' || c.region FROM casestudies_casestudycouncil l
      JOIN councils_council c ON c.id = l.council_id WHERE l.case_study_id = case_id
    UNION ALL
    SELECT 'service_area:' || l.servicearea_id FROM casestudies_casestudy_service_areas l
     WHERE l.casestudy_id = case_id
  ) keys(key)
$$;

-- Recompute the keys of these case studies (those that still exist).
CREATE FUNCTION casestudy_filter_keys_refresh(case_ids bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO casestudies_filterkeys (case_study_id, keys)
  SELECT cs.id, casestudy_filter_keys(cs.id) FROM casestudies_casestudy cs WHERE cs.id = ANY(case_ids)
  ON CONFLICT (case_study_id) DO UPDATE SET keys = EXCLUDED.keys
  WHERE casestudies_filterkeys.keys IS DISTINCT FROM EXCLUDED.keys
$$;

-- A link table's rows changed: TG_ARGV[0] names its case-study column; "changed" holds the rows.
CREATE FUNCTION casestudy_filter_keys_links_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM casestudy_filter_keys_refresh(
    ARRAY(SELECT DISTINCT (to_jsonb(changed) ->> TG_ARGV[0])::bigint FROM changed));
  RETURN NULL;
END
$$;

CREATE FUNCTION casestudy_filter_keys_councils_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM casestudy_filter_keys_refresh(ARRAY(
    SELECT DISTINCT l.case_study_id FROM casestudies_casestudycouncil l JOIN changed ON changed.id = l.council_id));
  RETURN NULL;
END
$$;

CREATE FUNCTION casestudy_filter_keys_case_studies_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM casestudy_filter_keys_refresh(ARRAY(SELECT id FROM changed));
  RETURN NULL;
END
$$;

CREATE FUNCTION casestudy_filter_keys_case_studies_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM casestudies_filterkeys WHERE case_study_id IN (SELECT id FROM changed);
  RETURN NULL;
END
$$;

CREATE FUNCTION casestudy_filter_keys_case_studies_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE casestudies_filterkeys;
  RETURN NULL;
END
$$;

CREATE TRIGGER filter_keys_case_studies_added AFTER INSERT ON casestudies_casestudy
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION casestudy_filter_keys_case_studies_added();
CREATE TRIGGER filter_keys_case_studies_removed AFTER DELETE ON casestudies_casestudy
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION casestudy_filter_keys_case_studies_removed();
CREATE TRIGGER filter_keys_case_studies_truncated AFTER TRUNCATE ON casestudies_casestudy
  FOR EACH STATEMENT EXECUTE FUNCTION casestudy_filter_keys_case_studies_truncated();
CREATE TRIGGER filter_keys_councils_added AFTER INSERT ON councils_council
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION casestudy_filter_keys_councils_changed();
CREATE TRIGGER filter_keys_councils_changed AFTER UPDATE ON councils_council
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION casestudy_filter_keys_councils_changed();
"""

# (table, its case-study column): four statement triggers each, one per transition table.
LINK_TABLES = (
    ("casestudies_casestudymodel", "case_study_id"),
    ("casestudies_casestudycouncil", "case_study_id"),
    ("casestudies_casestudy_service_areas", "casestudy_id"),
)
LINK_EVENTS = (
    ("added", "INSERT", "NEW"),
    ("removed", "DELETE", "OLD"),
    ("changed_from", "UPDATE", "OLD"),
    ("changed_to", "UPDATE", "NEW"),
)

BACKWARD = """
DROP TRIGGER IF EXISTS filter_keys_case_studies_added ON casestudies_casestudy;
DROP TRIGGER IF EXISTS filter_keys_case_studies_removed ON casestudies_casestudy;
DROP TRIGGER IF EXISTS filter_keys_case_studies_truncated ON casestudies_casestudy;
DROP TRIGGER IF EXISTS filter_keys_councils_added ON councils_council;
DROP TRIGGER IF EXISTS filter_keys_councils_changed ON councils_council;
DROP FUNCTION IF EXISTS casestudy_filter_keys_case_studies_added();
DROP FUNCTION IF EXISTS casestudy_filter_keys_case_studies_removed();
DROP FUNCTION IF EXISTS casestudy_filter_keys_case_studies_truncated();
DROP FUNCTION IF EXISTS casestudy_filter_keys_councils_changed();
DROP FUNCTION IF EXISTS casestudy_filter_keys_links_changed();
DROP FUNCTION IF EXISTS casestudy_filter_keys_refresh(bigint[]);
DROP FUNCTION IF EXISTS casestudy_filter_keys(bigint);
DROP TABLE IF EXISTS casestudies_filterkeys;
"""


def link_trigger_name(table: str, suffix: str) -> str:
    return f"filter_keys_{table.removeprefix('casestudies_')}_{suffix}"


def add_filter_keys(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FORWARD)
    for table, column in LINK_TABLES:
        for suffix, event, transition in LINK_EVENTS:
            schema_editor.execute(
                f"CREATE TRIGGER {link_trigger_name(table, suffix)} AFTER {event} ON {table} "
                f"REFERENCING {transition} TABLE AS changed FOR EACH STATEMENT "
                f"EXECUTE FUNCTION casestudy_filter_keys_links_changed('{column}')"
            )
    schema_editor.execute(
        "INSERT INTO casestudies_filterkeys (case_study_id, keys) "
        "SELECT id, casestudy_filter_keys(id) FROM casestudies_casestudy"
    )
    schema_editor.execute("ANALYZE casestudies_filterkeys")


def drop_filter_keys(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _column in LINK_TABLES:
        for suffix, _event, _transition in LINK_EVENTS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {link_trigger_name(table, suffix)} ON {table}")
    schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0004_listing_indexes"),
        ("councils", "0002_council_version"),
    ]

    operations = [migrations.RunPython(add_filter_keys, drop_filter_keys)]
