"""The benchmark's scenarios, in one place: our URL, and the raw SQL that fetches the same rows.

Each raw query is the physical limit for its response: one hand-written statement through psycopg,
serialised with orjson in the benchmark process. ``{slug}`` in a path or query is replaced by a
published synthetic case study chosen at run time. Keep these in step with the API's page size,
fields and filter semantics (casestudies/filters.py) when those change.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_SIZE = 20
FILTER = "model=sharing&council_type=district&region=south_east"
SEARCH = "telecare"


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    raw_sql: str
    kind: str = "json"  # json, html or csv
    wrk: bool = False  # also measure throughput with wrk


PUBLISHED = "cs.status = 'published'"
FILTERED = f"""{PUBLISHED}
  AND EXISTS (SELECT 1 FROM casestudies_casestudymodel l JOIN transform_models_transformationmodel m
              ON m.id = l.model_id WHERE l.case_study_id = cs.id AND m.slug = 'sharing')
  AND EXISTS (SELECT 1 FROM casestudies_casestudycouncil l JOIN councils_council c ON c.id = l.council_id
              WHERE l.case_study_id = cs.id AND c.council_type = 'district')
  AND EXISTS (SELECT 1 FROM casestudies_casestudycouncil l JOIN councils_council c ON c.id = l.council_id
              WHERE l.case_study_id = cs.id AND c.region = 'south_east')"""
SEARCHED = f"{PUBLISHED} AND cs.search_vector @@ websearch_to_tsquery('english', '{SEARCH}')"

CARD_COLUMNS = """p.slug, p.title, p.summary, p.start_year, p.end_year, p.is_ongoing, p.stage,
  p.headline_annual_saving,
  (SELECT json_agg(json_build_object('slug', c.slug, 'name', c.name, 'council_type', c.council_type,
                                     'region', c.region, 'role', l.role) ORDER BY l.role, l.position)
     FROM casestudies_casestudycouncil l JOIN councils_council c ON c.id = l.council_id
    WHERE l.case_study_id = p.id) AS councils,
  (SELECT json_agg(m.slug ORDER BY l.is_primary DESC, m.display_order)
     FROM casestudies_casestudymodel l JOIN transform_models_transformationmodel m ON m.id = l.model_id
    WHERE l.case_study_id = p.id) AS models,
  (SELECT json_agg(s.slug ORDER BY s.name)
     FROM casestudies_casestudy_service_areas l JOIN casestudies_servicearea s ON s.id = l.servicearea_id
    WHERE l.casestudy_id = p.id) AS service_areas"""


def page_sql(where: str, order: str = "title, id", rank: str = "") -> str:
    """One page of result cards plus the total, in one statement (``rank``: an extra ranked column)."""
    return f"""SELECT (SELECT count(*) FROM casestudies_casestudy cs WHERE {where}) AS total, {CARD_COLUMNS}
FROM (SELECT cs.* {rank} FROM casestudies_casestudy cs WHERE {where} ORDER BY {order} LIMIT {PAGE_SIZE}) p
ORDER BY {order}"""


# Facet counts for the filtered list: each facet counts with every *other* filter applied.
def _matching(without: str) -> str:
    where = FILTERED
    drop = {
        "model": "m.slug = 'sharing'",
        "council_type": "c.council_type = 'district'",
        "region": "c.region = 'south_east'",
    }
    if without in drop:
        where = where.replace(drop[without], "TRUE")
    return f"SELECT cs.id FROM casestudies_casestudy cs WHERE {where}"


FACETS_SQL = f"""SELECT 'model' AS facet, m.slug AS value, count(*) AS n
  FROM casestudies_casestudymodel l JOIN transform_models_transformationmodel m ON m.id = l.model_id
 WHERE l.case_study_id IN ({_matching("model")}) GROUP BY m.slug
UNION ALL
SELECT 'council_type', c.council_type, count(DISTINCT l.case_study_id)
  FROM casestudies_casestudycouncil l JOIN councils_council c ON c.id = l.council_id
 WHERE l.case_study_id IN ({_matching("council_type")}) GROUP BY c.council_type
UNION ALL
SELECT 'region', c.region, count(DISTINCT l.case_study_id)
  FROM casestudies_casestudycouncil l JOIN councils_council c ON c.id = l.council_id
 WHERE l.case_study_id IN ({_matching("region")}) GROUP BY c.region
UNION ALL
SELECT 'service_area', s.slug, count(*)
  FROM casestudies_casestudy_service_areas l JOIN casestudies_servicearea s ON s.id = l.servicearea_id
 WHERE l.casestudy_id IN ({_matching("")}) GROUP BY s.slug
UNION ALL
SELECT 'stage', cs.stage, count(*) FROM casestudies_casestudy cs WHERE {FILTERED} GROUP BY cs.stage"""

DETAIL_SQL = f"""SELECT {CARD_COLUMNS}, p.body, p.source_section,
  (SELECT json_agg(json_build_object('kind', f.kind, 'status', f.status, 'measure', f.measure,
          'amount_low', f.amount_low, 'amount_high', f.amount_high, 'percent_low', f.percent_low,
          'percent_high', f.percent_high, 'period', f.period, 'period_years', f.period_years,
          'annualised_high', f.annualised_high, 'quote', f.quote, 'council', c.slug) ORDER BY f.position)
     FROM casestudies_figure f LEFT JOIN councils_council c ON c.id = f.council_id
    WHERE f.case_study_id = p.id) AS figures,
  (SELECT json_agg(json_build_object('metric', o.metric, 'value', o.value, 'unit', o.unit,
          'status', o.status, 'quote', o.quote) ORDER BY o.position)
     FROM casestudies_outcome o WHERE o.case_study_id = p.id) AS outcomes,
  (SELECT json_agg(json_build_object('name', k.name, 'role', k.role, 'email', k.email,
          'published_year', k.published_year) ORDER BY k.position)
     FROM casestudies_contact k WHERE k.case_study_id = p.id AND k.is_public) AS contacts
FROM casestudies_casestudy p WHERE p.slug = '{{slug}}' AND p.status = 'published'"""

FIGURES_SUMMARY_SQL = """SELECT m.slug AS model, f.kind, f.status, count(*) AS figures,
       sum(f.annualised_high) AS annualised_total
  FROM casestudies_figure f
  JOIN casestudies_casestudy cs ON cs.id = f.case_study_id AND cs.status = 'published'
  JOIN casestudies_casestudymodel l ON l.case_study_id = f.case_study_id
  JOIN transform_models_transformationmodel m ON m.id = l.model_id
 GROUP BY m.slug, f.kind, f.status ORDER BY m.slug, f.kind, f.status"""

CSV_SQL = """WITH councils AS (
  SELECT l.case_study_id, string_agg(c.name, '; ' ORDER BY l.role, l.position) AS names
    FROM casestudies_casestudycouncil l JOIN councils_council c ON c.id = l.council_id GROUP BY l.case_study_id),
models AS (
  SELECT l.case_study_id, string_agg(m.slug, '; ' ORDER BY l.is_primary DESC, m.display_order) AS slugs
    FROM casestudies_casestudymodel l JOIN transform_models_transformationmodel m ON m.id = l.model_id
   GROUP BY l.case_study_id)
SELECT cs.slug, cs.title, cs.summary, cs.start_year, cs.end_year, cs.is_ongoing, cs.stage,
       cs.headline_annual_saving, councils.names AS councils, models.slugs AS models
  FROM casestudies_casestudy cs
  LEFT JOIN councils ON councils.case_study_id = cs.id
  LEFT JOIN models ON models.case_study_id = cs.id
 WHERE cs.status = 'published' ORDER BY cs.title, cs.id"""

RANK = ", ts_rank(cs.search_vector, websearch_to_tsquery('english', '" + SEARCH + "')) AS rank"

SCENARIOS: list[Scenario] = [
    Scenario("API list, no filter", "/api/v1/case-studies/", page_sql(PUBLISHED)),
    Scenario("API list, model+type+region", f"/api/v1/case-studies/?{FILTER}", page_sql(FILTERED), wrk=True),
    Scenario(
        "API full-text search",
        f"/api/v1/case-studies/?q={SEARCH}",
        page_sql(SEARCHED, order="rank DESC, title, id", rank=RANK),
        wrk=True,
    ),
    Scenario("API facets", f"/api/v1/case-studies/facets/?{FILTER}", FACETS_SQL),
    Scenario("API detail", "/api/v1/case-studies/{slug}/", DETAIL_SQL),
    Scenario("API figures summary", "/api/v1/figures/summary/?group_by=model", FIGURES_SUMMARY_SQL),
    Scenario("HTML finder, filtered", f"/case-studies/?{FILTER}", page_sql(FILTERED), kind="html"),
    Scenario("CSV of everything", "/api/v1/case-studies/?format=csv", CSV_SQL, kind="csv"),
]
