"""Values of a case study that are derived from its related rows: its link keys and its search document.

**What they are.**

* *Link keys*: ``model:<id>``, ``council_type:<code>``, ``region:<code>`` and ``service_area:<id>``
  for each of the case study's links. The linked filters (model, council type, region, service area)
  are answered together from them: OR within a filter, AND across filters.
* *Search document*: the weighted text a search matches: title and council names (A), summary and the
  names of **public** contacts (B), body (C), English stemming.

**How they are kept, per database.** This module is their one home on both.

* PostgreSQL: stored in two narrow tables (:class:`~casestudies.models.CaseStudyLinkKeys`,
  :class:`~casestudies.models.CaseStudySearchDocument`, GIN-indexed) and kept by triggers declared
  on the models with django-pgtrigger (``Meta.triggers``, built by :func:`rederive_triggers` and
  friends below). Every write path (the admin, actions, imports, fixtures, ``QuerySet.update()``,
  raw SQL in psql) changes the tables the triggers sit on, so none needs a refresh call.
* Other databases (the embedded SQLite default, a small library): nothing is stored; the same
  questions are answered at query time with ``EXISTS`` and ``icontains`` (:func:`with_links`,
  :func:`search`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pgtrigger
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q, QuerySet

if TYPE_CHECKING:
    from django.db.models import Model

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
}
LINK_KINDS = tuple(LINK_KEY_SQL)


def link_key(kind: str, value: object) -> str:
    return f"{kind}:{value}"


def _link_keys_sql() -> str:
    parts = " UNION ALL ".join(
        f"SELECT '{kind}:' || key FROM ({sql}) {kind}(key)" for kind, sql in LINK_KEY_SQL.items()
    )
    return f"(SELECT COALESCE(array_agg(DISTINCT key ORDER BY key), '{{}}') FROM ({parts}) keys(key))"


def with_links(queryset: QuerySet, groups: Mapping[str, Iterable[Any]]) -> QuerySet:
    """Case studies linked to any value of each group given (kind -> model ids or codes).

    PostgreSQL answers every group with one lookup in the link-keys table's GIN index; elsewhere each
    group is one ``EXISTS`` over its link table.
    """
    groups = {kind: list(values) for kind, values in groups.items() if values}
    if not groups:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        from .models import CaseStudyLinkKeys

        condition = Q()
        for kind, values in groups.items():
            condition &= Q(keys__overlap=[link_key(kind, value) for value in values])
        return queryset.filter(pk__in=CaseStudyLinkKeys.objects.filter(condition).values("case_study_id"))
    for kind, values in groups.items():
        queryset = queryset.filter(Exists(_links_to(kind, values)))
    return queryset


def _links_to(kind: str, values: list[Any]) -> QuerySet:
    from .models import CaseStudy, CaseStudyCouncil, CaseStudyModel

    if kind == "model":
        return CaseStudyModel.objects.filter(case_study=OuterRef("pk"), model__in=values)
    if kind in ("council_type", "region"):
        return CaseStudyCouncil.objects.filter(case_study=OuterRef("pk"), **{f"council__{kind}__in": values})
    return CaseStudy.service_areas.through.objects.filter(casestudy=OuterRef("pk"), servicearea__in=values)


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
    ("C", "cs.body"),
)


def _search_vector_sql() -> str:
    return " || ".join(
        f"setweight(to_tsvector('{SEARCH_CONFIG}', coalesce({text}, '')), '{weight}')" for weight, text in SEARCH_PARTS
    )


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Case studies whose search document matches ``text`` (PostgreSQL: web-search syntax, ranked as
    ``search_rank``; elsewhere every word must appear, case-insensitively, in the same texts)."""
    text = text.strip()
    if not text:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return queryset.filter(search_document__vector=query).annotate(
            search_rank=SearchRank(F("search_document__vector"), query)
        )
    from .models import CaseStudyCouncil, Contact

    for word in text.split():
        councils = CaseStudyCouncil.objects.filter(case_study=OuterRef("pk"), council__name__icontains=word)
        contacts = Contact.objects.filter(case_study=OuterRef("pk"), is_public=True, name__icontains=word)
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(body__icontains=word)
            | Exists(councils)
            | Exists(contacts)
        )
    return queryset


# --- Keeping them on PostgreSQL -------------------------------------------------------------------


def _rederive_sql(case_ids_sql: str) -> str:
    """Recompute both derived rows of the case studies whose ids ``case_ids_sql`` selects."""
    return f"""
      INSERT INTO casestudies_casestudylinkkeys (case_study_id, keys)
      SELECT cs.id, {_link_keys_sql()} FROM casestudies_casestudy cs WHERE cs.id IN ({case_ids_sql})
      ON CONFLICT (case_study_id) DO UPDATE SET keys = EXCLUDED.keys
      WHERE casestudies_casestudylinkkeys.keys IS DISTINCT FROM EXCLUDED.keys;
      INSERT INTO casestudies_casestudysearchdocument (case_study_id, vector)
      SELECT cs.id, {_search_vector_sql()} FROM casestudies_casestudy cs WHERE cs.id IN ({case_ids_sql})
      ON CONFLICT (case_study_id) DO UPDATE SET vector = EXCLUDED.vector
      WHERE casestudies_casestudysearchdocument.vector IS DISTINCT FROM EXCLUDED.vector;
      RETURN NULL;"""


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
        " WHERE (n.title, n.summary, n.body) IS DISTINCT FROM (o.title, o.summary, o.body)"
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


def stored_on(model: type[Model], using: str) -> bool:
    """Whether the derived tables exist on this database (PostgreSQL only)."""
    return model._meta.can_migrate(connections[using])
