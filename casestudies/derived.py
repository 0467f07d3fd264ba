"""Values of a case study that are derived from its related rows: its link keys and its search document.

**What they are.**

* *Link keys*: ``model:<id>``, ``council_type:<code>``, ``region:<code>`` and ``service_area:<id>``
  for each of the case study's links, and its own ``stage:<code>`` and ``status:<code>``. The linked
  filters (model, council type, region, service area) are answered together from them: OR within a
  filter, AND across filters.
* *Facet totals*: for each link key, how many **published** case studies have it: the facet counts
  of the unfiltered finder, read in one small query instead of counted over every case study.
* *Search document*: the weighted text a search matches: title and council names (A), summary, the
  names of **public** contacts, of the transformation models and of the service areas (B), body (C);
  accents folded, English stemming (what a query means: ``casestudies.search``).

**How they are kept, per database.** This module defines what they contain.

* PostgreSQL: stored in narrow tables (:class:`~casestudies.models.CaseStudyLinkKeys`,
  :class:`~casestudies.models.CaseStudySearchDocument`, GIN-indexed, and
  :class:`~casestudies.models.CaseStudyFacetTotal`) and kept by triggers declared on the models with
  django-pgtrigger (``Meta.triggers``, built by :func:`rederive_triggers` and friends below; the
  totals by :func:`facet_total_triggers`, on the link keys themselves). Every write path (the admin,
  actions, imports, fixtures, ``QuerySet.update()``, raw SQL in psql) changes the tables the triggers
  sit on, so none needs a refresh call.
* Other databases (the embedded SQLite default, a small library): nothing is stored; the same
  questions are answered at query time with ``EXISTS`` (and, for search, the stemming function of
  ``casestudies.search``).

Which of the two a database does is decided in one place, :func:`stored_on`; the readers
(``CaseStudyQuerySet.with_links()`` and ``CaseStudyQuerySet.search()`` in casestudies/models.py, the
facet counts in casestudies/filters.py) ask it rather than testing the database themselves.
"""

from __future__ import annotations

import pgtrigger
from django.db import connections

from .search import ACCENTED, UNACCENTED

STORED_ON_VENDOR = "postgresql"


def stored_on(alias: str) -> bool:
    """Whether the database ``alias`` stores the derived values (PostgreSQL: the tables and triggers
    of this module) or they are answered at query time (elsewhere). The one place that chooses:
    ``CaseStudyQuerySet.with_links()``, ``CaseStudyQuerySet.search()`` and the facet counts ask it."""
    return connections[alias].vendor == STORED_ON_VENDOR


# --- Link keys ------------------------------------------------------------------------------------

# kind -> SQL selecting that kind's key values for the case study ``cs`` (PostgreSQL).
LINK_KEY_SQL = {
    "model": "SELECT l.model_id::text FROM casestudies_casestudymodel l WHERE l.case_study_id = cs.id",
    "council_type": (
        "SELECT c.council_type FROM casestudies_casestudycouncil l"
        " JOIN councils_council c ON c.id = l.council_id WHERE l.case_study_id = cs.id"
    ),
    "region": (
        "SELECT c.region FROM casestudies_casestudycouncil l"
        " JOIN councils_council c ON c.id = l.council_id WHERE l.case_study_id = cs.id"
    ),
    "service_area": (
        "SELECT l.servicearea_id::text FROM casestudies_casestudy_service_areas l WHERE l.casestudy_id = cs.id"
    ),
    "stage": "SELECT cs.stage",
    "status": "SELECT cs.status",
}
PUBLISHED_KEY = "status:published"


def link_key(kind: str, value: object) -> str:
    return f"{kind}:{value}"


def _link_keys_sql() -> str:
    parts = " UNION ALL ".join(
        f"SELECT '{kind}:' || key FROM ({sql}) {kind}(key)" for kind, sql in LINK_KEY_SQL.items()
    )
    return f"(SELECT COALESCE(array_agg(DISTINCT key ORDER BY key), '{{}}') FROM ({parts}) keys(key))"


# --- Search document ------------------------------------------------------------------------------

SEARCH_CONFIG = "english"
# (weight, SQL text of the case study ``cs``): the search document, on PostgreSQL.
SEARCH_PARTS = (
    ("A", "cs.title"),
    (
        "A",
        "(SELECT string_agg(c.name, ' ' ORDER BY l.role, l.position) FROM casestudies_casestudycouncil l"
        " JOIN councils_council c ON c.id = l.council_id WHERE l.case_study_id = cs.id)",
    ),
    ("B", "cs.summary"),
    (
        "B",
        "(SELECT string_agg(k.name, ' ' ORDER BY k.position) FROM casestudies_contact k"
        " WHERE k.case_study_id = cs.id AND k.is_public)",
    ),
    (
        "B",
        "(SELECT string_agg(m.name, ' ' ORDER BY m.name) FROM casestudies_casestudymodel l"
        " JOIN transform_models_transformationmodel m ON m.id = l.model_id WHERE l.case_study_id = cs.id)",
    ),
    (
        "B",
        "(SELECT string_agg(a.name, ' ' ORDER BY a.name) FROM casestudies_casestudy_service_areas l"
        " JOIN casestudies_servicearea a ON a.id = l.servicearea_id WHERE l.casestudy_id = cs.id)",
    ),
    ("C", "cs.body"),
)


def _search_vector_sql() -> str:
    # Accents folded as casestudies.search folds a query, with PostgreSQL's built-in translate().
    folded = "translate(coalesce({text}, ''), '{accented}', '{plain}')"
    return " || ".join(
        f"setweight(to_tsvector('{SEARCH_CONFIG}', "
        f"{folded.format(text=text, accented=ACCENTED, plain=UNACCENTED)}), '{weight}')"
        for weight, text in SEARCH_PARTS
    )


# --- Keeping them on PostgreSQL -------------------------------------------------------------------


def _rederive_link_keys_sql(case_ids_sql: str) -> str:
    return f"""
      INSERT INTO casestudies_casestudylinkkeys (case_study_id, keys)
      SELECT cs.id, {_link_keys_sql()} FROM casestudies_casestudy cs WHERE cs.id IN ({case_ids_sql})
      ON CONFLICT (case_study_id) DO UPDATE SET keys = EXCLUDED.keys
      WHERE casestudies_casestudylinkkeys.keys IS DISTINCT FROM EXCLUDED.keys;"""


def _rederive_sql(case_ids_sql: str) -> str:
    """Recompute both derived rows of the case studies whose ids ``case_ids_sql`` selects."""
    return f"""{_rederive_link_keys_sql(case_ids_sql)}
      INSERT INTO casestudies_casestudysearchdocument (case_study_id, vector)
      SELECT cs.id, {_search_vector_sql()} FROM casestudies_casestudy cs WHERE cs.id IN ({case_ids_sql})
      ON CONFLICT (case_study_id) DO UPDATE SET vector = EXCLUDED.vector
      WHERE casestudies_casestudysearchdocument.vector IS DISTINCT FROM EXCLUDED.vector;
      RETURN NULL;"""


def rederive_all_link_keys_sql() -> str:
    """The statement that recomputes every case study's link keys (a migration that changes what they hold)."""
    return _rederive_link_keys_sql("SELECT id FROM casestudies_casestudy")


def rederive_all_sql() -> str:
    """The statement that fills both tables for every case study (the migration that creates them)."""
    return _rederive_sql("SELECT id FROM casestudies_casestudy").removesuffix("RETURN NULL;")


def _statement_trigger(name: str, operation: pgtrigger.Operation, func: str) -> pgtrigger.Trigger:
    referencing = {
        pgtrigger.Insert: pgtrigger.Referencing(new="new_rows"),
        pgtrigger.Delete: pgtrigger.Referencing(old="old_rows"),
        pgtrigger.Update: pgtrigger.Referencing(old="old_rows", new="new_rows"),
    }[operation]
    return pgtrigger.Trigger(
        name=name,
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        referencing=referencing,
        func=func,
    )


def rederive_triggers(prefix: str, case_study_column: str = "case_study_id") -> list[pgtrigger.Trigger]:
    """For a table of rows that belong to a case study (links, contacts): when rows are added, removed
    or changed, rederive the case studies they belong (or belonged) to. One trigger per event,
    because PostgreSQL gives transition tables only to single-event triggers."""
    column = case_study_column
    return [
        _statement_trigger(f"{prefix}_added", pgtrigger.Insert, _rederive_sql(f"SELECT {column} FROM new_rows")),
        _statement_trigger(f"{prefix}_removed", pgtrigger.Delete, _rederive_sql(f"SELECT {column} FROM old_rows")),
        _statement_trigger(
            f"{prefix}_changed",
            pgtrigger.Update,
            _rederive_sql(f"SELECT {column} FROM old_rows UNION SELECT {column} FROM new_rows"),
        ),
    ]


def case_study_triggers() -> list[pgtrigger.Trigger]:
    """A new case study gets its rows; one whose texts changed is rederived; a deleted one loses them."""
    text_changed = (
        "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id"
        " WHERE (n.title, n.summary, n.body, n.stage, n.status)"
        " IS DISTINCT FROM (o.title, o.summary, o.body, o.stage, o.status)"
    )
    forget = """
      DELETE FROM casestudies_casestudylinkkeys WHERE case_study_id IN (SELECT id FROM old_rows);
      DELETE FROM casestudies_casestudysearchdocument WHERE case_study_id IN (SELECT id FROM old_rows);
      RETURN NULL;"""
    return [
        _statement_trigger("derived_added", pgtrigger.Insert, _rederive_sql("SELECT id FROM new_rows")),
        _statement_trigger("derived_changed", pgtrigger.Update, _rederive_sql(text_changed)),
        _statement_trigger("derived_removed", pgtrigger.Delete, forget),
    ]


def council_triggers() -> list[pgtrigger.Trigger]:
    """A council renamed or re-typed rederives its case studies; so does one that arrives after its
    links (a fixture may load links first: constraints are checked at commit)."""
    linked = "SELECT l.case_study_id FROM casestudies_casestudycouncil l WHERE l.council_id IN ({ids})"
    changed = (
        "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id"
        " WHERE (n.name, n.council_type, n.region) IS DISTINCT FROM (o.name, o.council_type, o.region)"
    )
    return [
        _statement_trigger(
            "derived_council_added", pgtrigger.Insert, _rederive_sql(linked.format(ids="SELECT id FROM new_rows"))
        ),
        _statement_trigger("derived_council_changed", pgtrigger.Update, _rederive_sql(linked.format(ids=changed))),
    ]


def _facet_total_change_sql(changes_sql: str) -> str:
    """Add ``changes_sql``'s (key, change) rows to the totals, in key order (concurrent writers then
    lock the total rows in the same order and cannot deadlock)."""
    return f"""
      INSERT INTO casestudies_casestudyfacettotal (key, count)
      SELECT key, sum(change) FROM ({changes_sql}) changes(key, change)
      GROUP BY key HAVING sum(change) <> 0 ORDER BY key
      ON CONFLICT (key) DO UPDATE SET count = casestudies_casestudyfacettotal.count + EXCLUDED.count;
      RETURN NULL;"""


def _published_keys_sql(rows: str, change: int) -> str:
    return f"SELECT unnest(keys), {change} FROM {rows} WHERE keys @> ARRAY['{PUBLISHED_KEY}']"


def facet_total_triggers() -> list[pgtrigger.Trigger]:
    """On the link keys: every published case study's keys added, removed or changed move the totals.
    (The link keys themselves are only written by the triggers above, so every write path reaches
    here: a case study published, hidden, re-staged, re-linked, or one of its councils re-typed.)"""
    added = _published_keys_sql("new_rows", 1)
    removed = _published_keys_sql("old_rows", -1)
    return [
        _statement_trigger("facet_totals_added", pgtrigger.Insert, _facet_total_change_sql(added)),
        _statement_trigger("facet_totals_removed", pgtrigger.Delete, _facet_total_change_sql(removed)),
        _statement_trigger(
            "facet_totals_changed", pgtrigger.Update, _facet_total_change_sql(f"{added} UNION ALL {removed}")
        ),
    ]


def fill_facet_totals_sql() -> str:
    """Recount every total from the link keys (the migration that creates the totals)."""
    return f"""
      DELETE FROM casestudies_casestudyfacettotal;
      INSERT INTO casestudies_casestudyfacettotal (key, count)
      SELECT key, sum(change) FROM ({_published_keys_sql("casestudies_casestudylinkkeys", 1)}) changes(key, change)
      GROUP BY key"""


def renamed_triggers(prefix: str, link_table: str, link_column: str, case_study_column: str) -> list[pgtrigger.Trigger]:
    """A transformation model or service area renamed rederives the search documents of its case studies."""
    renamed = "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name"
    linked = f"SELECT l.{case_study_column} FROM {link_table} l WHERE l.{link_column} IN ({renamed})"
    return [_statement_trigger(f"{prefix}_renamed", pgtrigger.Update, _rederive_sql(linked))]
