"""The benchmark's scenarios, in one place: our URL, and the raw SQL that fetches the same rows.

Each raw query is the physical limit for its response: one hand-written statement through psycopg,
serialised with orjson in the benchmark process. ``{slug}`` in a path or query is replaced by a
published synthetic case study chosen at run time.

The raw SQL returns what our endpoint returns, field for field (checked against
casestudies/serializers.py, casestudies/api.py and the finder's templates; the list row's columns
and the CSV's are tested against ``CaseStudySerializer`` and our CSV in
tests/bench/test_bench_harness.py):
* API list rows: every field of ``CaseStudySerializer`` in its order (slug, title, url, api_url,
  models with slug/name/api_url, primary_model, councils with slug/name/type/region/role/api_url,
  partnership with slug/name/formed_year/api_url, service_areas with slug/name/api_url, years,
  is_ongoing, stage, programme with slug/name/api_url, summary, headline_annual_saving,
  headline_saving_status), 20 per page, plus the total;
* facets: the total plus, for each of model, council_type, region, service_area and stage, the
  count of matching case studies with every *other* filter applied (``case_study_facets``);
* figures summary: per model, the counts and sums of ``_summary_aggregates`` over the figures of
  published case studies, plus the total counting each figure once (``FigureQuerySet.summary``);
* the HTML finder: the page of cards as rendered (councils with type, region and abolition, model
  names, years, the headline figure) plus the total plus the facets, in one statement;
* CSV: every column of the case-study CSV (``api.csv_export.csv_columns_of(CaseStudySerializer)``):
  the serializer's fields in order, lists "; "-joined, each nested reference as one column per field
  of it (``councils`` (slugs), ``councils_name``, …, ``councils_api_url``; ``partnership``,
  ``partnership_name``, …).

Derived values are read where the application reads them: the linked filters from the link-keys
table, search from the search-document table (both kept by triggers, casestudies/derived.py), and
the headline annual saving computed per row from the figures (``headline_saving``), as
``CaseStudyQuerySet.with_headline_saving()`` does.
Keep these in step with the API's page size, fields and filter semantics when those change.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_SIZE = 20
FILTER = "model=sharing&council_type=district&region=south_east"
SEARCH = "telecare"
# Absolute URLs are built by the server from the request; the raw side builds the same strings.
ORIGIN = "http://127.0.0.1"


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    raw_sql: str
    kind: str = "json"  # json, html or csv
    wrk: bool = False  # also measure throughput with wrk


PUBLISHED = "cs.status = 'published'"
# The filter's three parameters as CaseStudyFilter applies them on PostgreSQL: one condition on
# the link-keys table (CaseStudyQuerySet.with_links, casestudies/derived.py), OR within a
# parameter (``&&``), AND across parameters.
KEY_GROUPS = {
    "model": "ARRAY['model:' || (SELECT id FROM transform_models_transformationmodel WHERE slug = 'sharing')]",
    "council_type": "'{council_type:district}'::text[]",
    "region": "'{region:south_east}'::text[]",
}


def filtered(without: str = "") -> str:
    """The filtered list's WHERE clause, leaving out one parameter (for its facet)."""
    groups = [f"keys && {group}" for name, group in KEY_GROUPS.items() if name != without]
    linked = f"cs.id IN (SELECT case_study_id FROM casestudies_casestudylinkkeys WHERE {' AND '.join(groups)})"
    return "\n  AND ".join([PUBLISHED, linked])


FILTERED = filtered()
# Full-text search: the case study's search document (CaseStudySearchDocument), joined.
SEARCH_QUERY = f"websearch_to_tsquery('english', '{SEARCH}')"
SEARCH_JOIN = "JOIN casestudies_casestudysearchdocument d ON d.case_study_id = cs.id"
SEARCHED = f"{PUBLISHED} AND d.vector @@ {SEARCH_QUERY}"


def _best_candidate(case: str, column: str) -> str:
    """``column`` of the best headline candidate of the case study aliased ``case``
    (casestudies.models.best_headline_candidate): its own councils' saving figures with a per-year
    amount (applies_to blank, or naming every council of the case), achieved before expected, then
    the largest per-year amount."""
    return f"""(SELECT f.{column} FROM casestudies_figure f
    WHERE f.case_study_id = {case}.id AND f.kind = 'saving' AND f.status IN ('achieved', 'expected')
      AND f.annualised_high IS NOT NULL
      AND (NOT EXISTS (SELECT 1 FROM casestudies_figure_applies_to a WHERE a.figure_id = f.id)
           OR NOT EXISTS (SELECT 1 FROM casestudies_casestudycouncil l WHERE l.case_study_id = f.case_study_id
                          AND NOT EXISTS (SELECT 1 FROM casestudies_figure_applies_to a
                                          WHERE a.figure_id = f.id AND a.council_id = l.council_id)))
    ORDER BY f.status = 'expected', f.annualised_high DESC, f.position LIMIT 1)"""


def headline_saving(case: str) -> str:
    """The headline annual saving of the case study aliased ``case``, computed as it is read
    (casestudies.models.headline_annual_saving): its largest achieved per-year saving, else its
    largest expected one."""
    return _best_candidate(case, "annualised_high")


def headline_status(case: str) -> str:
    """Whether that headline saving is achieved or expected (casestudies.models.headline_saving_status)."""
    return _best_candidate(case, "status")


# Every field of CaseStudySerializer, for the row ``p`` (joined to pa = partnership, pr = programme).
API = f"{ORIGIN}/api/v1"
CARD_COLUMNS = f"""p.slug, p.title,
  '{ORIGIN}/case-studies/' || p.slug || '/' AS url,
  '{API}/case-studies/' || p.slug || '/' AS api_url,
  coalesce((SELECT json_agg(json_build_object('slug', m.slug, 'name', m.name,
                                     'api_url', '{API}/transformation-models/' || m.slug || '/')
                   ORDER BY l.is_primary DESC, m.display_order, m.name)
     FROM casestudies_casestudymodel l JOIN transform_models_transformationmodel m ON m.id = l.model_id
    WHERE l.case_study_id = p.id), '[]') AS models,
  (SELECT m.slug FROM casestudies_casestudymodel l JOIN transform_models_transformationmodel m ON m.id = l.model_id
    WHERE l.case_study_id = p.id AND l.is_primary) AS primary_model,
  coalesce((SELECT json_agg(json_build_object('slug', c.slug, 'name', c.name, 'council_type', c.council_type,
                                     'region', c.region, 'role', l.role,
                                     'api_url', '{API}/councils/' || c.slug || '/') ORDER BY l.role, l.position)
     FROM casestudies_casestudycouncil l JOIN councils_council c ON c.id = l.council_id
    WHERE l.case_study_id = p.id), '[]') AS councils,
  CASE WHEN pa.id IS NOT NULL THEN json_build_object('slug', pa.slug, 'name', pa.name, 'formed_year', pa.formed_year,
                                            'api_url', '{API}/partnerships/' || pa.slug || '/') END AS partnership,
  coalesce((SELECT json_agg(json_build_object('slug', s.slug, 'name', s.name,
                                     'api_url', '{API}/service-areas/' || s.slug || '/') ORDER BY s.name)
     FROM casestudies_casestudy_service_areas l JOIN casestudies_servicearea s ON s.id = l.servicearea_id
    WHERE l.casestudy_id = p.id), '[]') AS service_areas,
  p.start_year, p.end_year, p.is_ongoing, p.stage,
  CASE WHEN pr.id IS NOT NULL THEN json_build_object('slug', pr.slug, 'name', pr.name,
                                            'api_url', '{API}/programmes/' || pr.slug || '/') END AS programme,
  p.summary,
  {headline_saving("p")} AS headline_annual_saving,
  {headline_status("p")} AS headline_saving_status"""
CARD_JOINS = """LEFT JOIN councils_partnership pa ON pa.id = p.partnership_id
LEFT JOIN casestudies_programme pr ON pr.id = p.programme_id"""


def page_sql(where: str, order: tuple[str, ...] = ("title", "id"), rank: str = "", join: str = "") -> str:
    """One page of API rows plus the total, in one statement (``rank``: an extra ranked column;
    ``join``: a table the condition reads, joined to ``cs``)."""
    inner = ", ".join(order)
    outer = ", ".join(f"p.{column}" for column in order)
    cases = f"casestudies_casestudy cs {join}".strip()
    return f"""SELECT (SELECT count(*) FROM {cases} WHERE {where}) AS total, {CARD_COLUMNS}
FROM (SELECT cs.* {rank} FROM {cases} WHERE {where} ORDER BY {inner} LIMIT {PAGE_SIZE}) p
{CARD_JOINS}
ORDER BY {outer}"""


def _matching(without: str) -> str:
    return f"SELECT cs.id FROM casestudies_casestudy cs WHERE {filtered(without)}"


# The facets endpoint: the total, then each facet counted with every *other* filter applied.
FACETS_SQL = f"""SELECT 'count' AS facet, NULL AS value, count(*) AS n FROM casestudies_casestudy cs WHERE {FILTERED}
UNION ALL
SELECT 'model', m.slug, count(*)
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

SOURCE_OBJECT = """json_build_object('slug', s.slug, 'kind', s.kind, 'title', s.title, 'author', s.author,
          'publisher', s.publisher, 'year', s.year, 'url', NULLIF(s.url, ''), 'citation', s.citation)"""

# Every field of CaseStudyDetailSerializer.
DETAIL_SQL = f"""SELECT {CARD_COLUMNS},
  coalesce((SELECT json_agg(json_build_object('model', m.slug, 'is_primary', l.is_primary,
          'classification', CASE WHEN l.classified_by = 'library' THEN 'editorial' ELSE 'source' END,
          'basis_quote', l.basis_quote) ORDER BY l.is_primary DESC, m.display_order, m.name)
     FROM casestudies_casestudymodel l JOIN transform_models_transformationmodel m ON m.id = l.model_id
    WHERE l.case_study_id = p.id), '[]') AS model_classifications,
  p.body,
  coalesce((SELECT json_agg(json_build_object(
          'council', (SELECT min(c.slug) FROM casestudies_figure_applies_to a
                      JOIN councils_council c ON c.id = a.council_id WHERE a.figure_id = f.id
                      HAVING count(*) = 1),
          'position', f.position, 'kind', f.kind, 'label', f.label, 'measure', f.measure,
          'low', CASE WHEN f.measure = 'money' THEN f.amount_low ELSE f.percent_low END,
          'high', CASE WHEN f.measure = 'money' THEN f.amount_high ELSE f.percent_high END,
          'period', f.period, 'period_years', f.period_years, 'period_start_year', f.period_start_year,
          'period_end_year', f.period_end_year, 'annualised_low', f.annualised_low,
          'annualised_high', f.annualised_high, 'status', f.status, 'quote', f.quote,
          'applies_to', coalesce((SELECT json_agg(c.slug ORDER BY c.name) FROM casestudies_figure_applies_to a
                                  JOIN councils_council c ON c.id = a.council_id WHERE a.figure_id = f.id), '[]'),
          'recurrence', f.recurrence, 'part_of', w.position, 'evidence', f.evidence) ORDER BY f.position)
     FROM casestudies_figure f LEFT JOIN casestudies_figure w ON w.id = f.part_of_id
    WHERE f.case_study_id = p.id), '[]') AS figures,
  coalesce((SELECT json_agg(json_build_object('council', c.slug, 'position', o.position, 'metric', o.metric,
          'baseline', o.baseline, 'baseline_year', o.baseline_year, 'value', o.value, 'value_year', o.value_year,
          'unit', o.unit, 'status', o.status, 'quote', o.quote) ORDER BY o.position)
     FROM casestudies_outcome o LEFT JOIN councils_council c ON c.id = o.council_id
    WHERE o.case_study_id = p.id), '[]') AS outcomes,
  coalesce((SELECT json_agg(json_build_object('name', k.name, 'role', k.role, 'organisation', k.organisation,
          'council', c.slug, 'council_abolished', c.abolished_on IS NOT NULL, 'council_successor',
          (SELECT min(s.slug) FROM councils_succession l JOIN councils_council s ON s.id = l.successor_id
            WHERE l.predecessor_id = c.id HAVING count(*) = 1),
          'council_successors', coalesce((SELECT json_agg(s.slug ORDER BY s.name, s.id) FROM councils_succession l
            JOIN councils_council s ON s.id = l.successor_id WHERE l.predecessor_id = c.id), '[]'),
          'email', NULLIF(k.email, ''), 'published_year', k.published_year, 'last_verified', k.last_verified,
          'needs_checking', (k.last_verified IS NULL OR k.last_verified < current_date - 365
                             OR c.abolished_on IS NOT NULL))
          ORDER BY k.position)
     FROM casestudies_contact k LEFT JOIN councils_council c ON c.id = k.council_id
    WHERE k.case_study_id = p.id AND k.is_public), '[]') AS contacts,
  coalesce((SELECT json_agg({SOURCE_OBJECT} ORDER BY s.title)
     FROM casestudies_casestudy_further_reading r JOIN casestudies_source s ON s.id = r.source_id
    WHERE r.casestudy_id = p.id), '[]') AS further_reading,
  (SELECT {SOURCE_OBJECT} FROM casestudies_source s WHERE s.id = p.source_id) AS source,
  p.source_section
FROM casestudies_casestudy p
{CARD_JOINS}
WHERE p.slug = '{{slug}}' AND p.status = 'published'"""


def _summary_aggregates(f: str) -> str:
    columns = [f"count({f}.id) AS figure_count"]
    for status in ("achieved", "expected"):
        where = f"FILTER (WHERE {f}.status = '{status}')"
        columns += [
            f"count({f}.id) {where} AS {status}_count",
            f"count({f}.annualised_high) {where} AS {status}_annualised_count",
            f"coalesce(sum({f}.annualised_low) {where}, 0) AS {status}_annualised_low",
            f"coalesce(sum({f}.annualised_high) {where}, 0) AS {status}_annualised_high",
        ]
    return ",\n       ".join(columns)


# /figures/summary/?group_by=model: per model (a figure counts once in each of its case's models,
# the link is unique per case and model), then the total counting each figure once.
FIGURES_SUMMARY_SQL = f"""WITH f AS (
  SELECT f.* FROM casestudies_figure f
    JOIN casestudies_casestudy cs ON cs.id = f.case_study_id AND cs.status = 'published')
SELECT m.slug AS key, m.name AS label, {_summary_aggregates("f")}
  FROM f JOIN casestudies_casestudymodel l ON l.case_study_id = f.case_study_id
  JOIN transform_models_transformationmodel m ON m.id = l.model_id
 GROUP BY m.slug, m.name, m.display_order
UNION ALL
SELECT NULL, 'total', {_summary_aggregates("f")} FROM f"""

# The finder page: what the cards render (casestudy_card.html), the total, and the facets.
HTML_CARD_COLUMNS = """p.slug, p.title, p.summary, p.start_year, p.end_year, p.is_ongoing, p.stage,
  coalesce((SELECT json_agg(json_build_object('name', c.name, 'council_type', c.council_type, 'region', c.region,
                                     'abolished_on', c.abolished_on) ORDER BY l.role, l.position)
     FROM casestudies_casestudycouncil l JOIN councils_council c ON c.id = l.council_id
    WHERE l.case_study_id = p.id), '[]') AS councils,
  coalesce((SELECT json_agg(m.name ORDER BY l.is_primary DESC, m.display_order, m.name)
     FROM casestudies_casestudymodel l JOIN transform_models_transformationmodel m ON m.id = l.model_id
    WHERE l.case_study_id = p.id), '[]') AS models,
  (SELECT row_to_json(h) FROM (
     SELECT f.kind, f.measure, f.amount_low, f.amount_high, f.percent_low, f.percent_high, f.period,
            f.period_years, f.period_start_year, f.period_end_year, f.status
       FROM casestudies_figure f WHERE f.case_study_id = p.id
      ORDER BY (f.kind <> 'saving'), f.annualised_high DESC NULLS LAST, f.position LIMIT 1) h) AS headline_figure"""

HTML_FINDER_SQL = f"""SELECT
  (SELECT count(*) FROM casestudies_casestudy cs WHERE {FILTERED}) AS total,
  (SELECT json_agg(cards) FROM (
     SELECT {HTML_CARD_COLUMNS}
       FROM (SELECT cs.* FROM casestudies_casestudy cs WHERE {FILTERED} ORDER BY title, id LIMIT {PAGE_SIZE}) p
      ORDER BY p.title, p.id) cards) AS cards,
  (SELECT json_agg(facets) FROM ({FACETS_SQL}) facets) AS facets"""

# Every column of the CSV export (the serializer's fields in order), one row per published case
# study, in title order. Cells as our CSV writes them: lists "; "-joined (councils' in council
# order), booleans ``true``/``false``.
CSV_SQL = f"""WITH councils AS (
  SELECT l.case_study_id,
         string_agg(c.slug, '; ' ORDER BY l.role, l.position) AS slugs,
         string_agg(NULLIF(c.name, ''), '; ' ORDER BY l.role, l.position) AS names,
         string_agg(NULLIF(c.council_type, ''), '; ' ORDER BY l.role, l.position) AS types,
         string_agg(NULLIF(c.region, ''), '; ' ORDER BY l.role, l.position) AS regions,
         string_agg(NULLIF(l.role, ''), '; ' ORDER BY l.role, l.position) AS roles,
         string_agg('{API}/councils/' || c.slug || '/', '; ' ORDER BY l.role, l.position) AS api_urls
    FROM casestudies_casestudycouncil l JOIN councils_council c ON c.id = l.council_id GROUP BY l.case_study_id),
models AS (
  SELECT l.case_study_id,
         string_agg(m.slug, '; ' ORDER BY l.is_primary DESC, m.display_order, m.name) AS slugs,
         string_agg(NULLIF(m.name, ''), '; ' ORDER BY l.is_primary DESC, m.display_order, m.name) AS names,
         string_agg('{API}/transformation-models/' || m.slug || '/', '; '
                    ORDER BY l.is_primary DESC, m.display_order, m.name) AS api_urls,
         min(m.slug) FILTER (WHERE l.is_primary) AS primary_slug
    FROM casestudies_casestudymodel l JOIN transform_models_transformationmodel m ON m.id = l.model_id
   GROUP BY l.case_study_id),
areas AS (
  SELECT l.casestudy_id, string_agg(s.slug, '; ' ORDER BY s.name) AS slugs,
         string_agg(NULLIF(s.name, ''), '; ' ORDER BY s.name) AS names,
         string_agg('{API}/service-areas/' || s.slug || '/', '; ' ORDER BY s.name) AS api_urls
    FROM casestudies_casestudy_service_areas l JOIN casestudies_servicearea s ON s.id = l.servicearea_id
   GROUP BY l.casestudy_id)
SELECT cs.slug, cs.title,
       '{ORIGIN}/case-studies/' || cs.slug || '/' AS url,
       '{API}/case-studies/' || cs.slug || '/' AS api_url,
       models.slugs AS models, models.names AS models_name, models.api_urls AS models_api_url,
       models.primary_slug AS primary_model,
       councils.slugs AS councils, councils.names AS councils_name, councils.types AS councils_council_type,
       councils.regions AS councils_region, councils.roles AS councils_role, councils.api_urls AS councils_api_url,
       pa.slug AS partnership, pa.name AS partnership_name, pa.formed_year AS partnership_formed_year,
       '{API}/partnerships/' || pa.slug || '/' AS partnership_api_url,
       areas.slugs AS service_areas, areas.names AS service_areas_name, areas.api_urls AS service_areas_api_url,
       cs.start_year, cs.end_year,
       CASE WHEN cs.is_ongoing THEN 'true' ELSE 'false' END AS is_ongoing, cs.stage,
       pr.slug AS programme, pr.name AS programme_name, '{API}/programmes/' || pr.slug || '/' AS programme_api_url,
       cs.summary, {headline_saving("cs")} AS headline_annual_saving,
       {headline_status("cs")} AS headline_saving_status
  FROM casestudies_casestudy cs
  LEFT JOIN councils ON councils.case_study_id = cs.id
  LEFT JOIN models ON models.case_study_id = cs.id
  LEFT JOIN areas ON areas.casestudy_id = cs.id
  LEFT JOIN councils_partnership pa ON pa.id = cs.partnership_id
  LEFT JOIN casestudies_programme pr ON pr.id = cs.programme_id
 WHERE cs.status = 'published' ORDER BY cs.title, cs.id"""

RANK = f", ts_rank(d.vector, {SEARCH_QUERY}) AS rank"

SCENARIOS: list[Scenario] = [
    Scenario("API list, no filter", "/api/v1/case-studies/", page_sql(PUBLISHED)),
    Scenario("API list, model+type+region", f"/api/v1/case-studies/?{FILTER}", page_sql(FILTERED), wrk=True),
    Scenario(
        "API full-text search",
        f"/api/v1/case-studies/?q={SEARCH}",
        page_sql(SEARCHED, order=("rank DESC", "title", "id"), rank=RANK, join=SEARCH_JOIN),
        wrk=True,
    ),
    Scenario("API facets", f"/api/v1/case-studies/facets/?{FILTER}", FACETS_SQL),
    Scenario("API detail", "/api/v1/case-studies/{slug}/", DETAIL_SQL),
    Scenario("API figures summary", "/api/v1/figures/summary/?group_by=model", FIGURES_SUMMARY_SQL),
    Scenario("HTML finder, filtered", f"/case-studies/?{FILTER}", HTML_FINDER_SQL, kind="html"),
    Scenario("CSV of everything", "/api/v1/case-studies/?format=csv", CSV_SQL, kind="csv"),
]
