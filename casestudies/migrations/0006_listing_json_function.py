"""The API list's rows as one PL/pgSQL function, so that PostgreSQL plans them once per connection.

``CaseStudyQuerySet.listing_page`` answers a page of the case-study list with one statement: the
page's ids, the rows with their models, councils and service areas as JSON, and the total. Planning
that statement cost ≈ 1.0–1.6 ms of an 8 ms page on 100,000 case studies, every request: the row
part alone has four correlated subqueries. Its plan does not depend on which ids are asked for, so
it moves into ``casestudy_listing_json(ids, …)``: PL/pgSQL keeps the plan of the statement inside it
for the life of the connection (a generic plan after five calls), while the page and count, whose
best plan does depend on the filters, are still planned for each request (docs/performance.md).

The rows are what ``CaseStudySerializer`` gives for ``for_listing()``, field for field and in the
order of ``casestudies.models.LISTING_FIELDS``; a test compares them. To change a field, add a
migration that replaces this function (``CREATE OR REPLACE FUNCTION``) and the serializer together.

PostgreSQL only (like 0002, 0004, 0005); other databases build the rows with the serializer.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION casestudy_listing_json(
  ids bigint[], url_before text, url_after text, api_url_before text, api_url_after text
) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
  -- Orders as for_listing() prefetches: models primary first, then display order and name;
  -- councils by role and position; service areas by name. Rows in the order of ids.
  RETURN (
    SELECT COALESCE(json_agg(json_build_object(
      'slug', r.slug,
      'title', r.title,
      'url', url_before || r.slug || url_after,
      'api_url', api_url_before || r.slug || api_url_after,
      'models', r.models,
      'primary_model', r.primary_model,
      'councils', r.councils,
      'partnership', r.partnership,
      'service_areas', r.service_areas,
      'start_year', r.start_year,
      'end_year', r.end_year,
      'is_ongoing', r.is_ongoing,
      'stage', r.stage,
      'programme', r.programme,
      'summary', r.summary,
      'headline_annual_saving', r.headline_annual_saving
    ) ORDER BY array_position(ids, r.id)), '[]')::text
    FROM (
      SELECT p.id, p.slug, p.title,
        COALESCE((SELECT json_agg(m.slug ORDER BY l.is_primary DESC, m.display_order, m.name)
           FROM casestudies_casestudymodel l
           JOIN transform_models_transformationmodel m ON m.id = l.model_id
          WHERE l.case_study_id = p.id), '[]') AS models,
        (SELECT m.slug FROM casestudies_casestudymodel l
           JOIN transform_models_transformationmodel m ON m.id = l.model_id
          WHERE l.case_study_id = p.id AND l.is_primary
          ORDER BY m.display_order, m.name LIMIT 1) AS primary_model,
        COALESCE((SELECT json_agg(json_build_object('slug', c.slug, 'name', c.name,
                                                    'council_type', c.council_type, 'region', c.region,
                                                    'role', l.role) ORDER BY l.role, l.position)
           FROM casestudies_casestudycouncil l JOIN councils_council c ON c.id = l.council_id
          WHERE l.case_study_id = p.id), '[]') AS councils,
        pa.slug AS partnership,
        COALESCE((SELECT json_agg(s.slug ORDER BY s.name)
           FROM casestudies_casestudy_service_areas l
           JOIN casestudies_servicearea s ON s.id = l.servicearea_id
          WHERE l.casestudy_id = p.id), '[]') AS service_areas,
        p.start_year, p.end_year, p.is_ongoing, p.stage, pr.slug AS programme, p.summary,
        p.headline_annual_saving
      FROM casestudies_casestudy p
      LEFT JOIN councils_partnership pa ON pa.id = p.partnership_id
      LEFT JOIN casestudies_programme pr ON pr.id = p.programme_id
      WHERE p.id = ANY(ids)
    ) r
  );
END
$$;
"""

BACKWARD = "DROP FUNCTION IF EXISTS casestudy_listing_json(bigint[], text, text, text, text);"


def add_function(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def drop_function(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0005_filter_keys")]

    operations = [migrations.RunPython(add_function, drop_function)]
