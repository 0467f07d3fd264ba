"""EXPLAIN ANALYZE every CaseStudyFilter parameter on the synthetic library (PostgreSQL).

Usage: DATABASE_URL=postgres://…/ctl_bench DJANGO_DEBUG=1 .venv/bin/python bench/explain_filters.py [--verbose]

For each filter it prints the plan's total time for the first page (LIMIT 20) and for the count,
and which indexes the plans use, so a missing index shows up as a Seq Scan on a big table.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402

from casestudies.filters import CaseStudyFilter  # noqa: E402
from casestudies.models import CaseStudy  # noqa: E402

SCENARIOS = [
    ("no filter (title order)", ""),
    ("model", "model=sharing"),
    ("council_type", "council_type=district"),
    ("region", "region=south_east"),
    ("model + council_type + region", "model=sharing&council_type=district&region=south_east"),
    ("service_area", "service_area=libraries"),
    ("council", "council={council}"),
    ("stage", "stage=proposal"),
    ("year range", "year_from=2010&year_to=2012"),
    ("has_figures=false", "has_figures=false"),
    ("figure_kind + figure_status", "figure_kind=income&figure_status=achieved"),
    ("min_annual_saving", "min_annual_saving=5000000"),
    ("ordering=-year", "ordering=-year"),
    ("ordering=-annual_saving", "ordering=-annual_saving"),
    ("q (common topic)", "q=reablement"),
    ("q (rarer topic)", "q=telecare"),
    ("q (common generic word)", "q=council"),
]


def plan(sql: str, params: tuple) -> tuple[float, set[str], list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        lines = [row[0] for row in cursor.fetchall()]
    total = float(re.search(r"Execution Time: ([\d.]+)", lines[-1]).group(1))
    indexes = set(
        re.findall(r"(?:Index|Index Only|Bitmap Index) Scan (?:Backward )?(?:using|on) (\w+)", "\n".join(lines))
    )
    seq = set(re.findall(r"Seq Scan on (\w+)", "\n".join(lines)))
    return total, indexes | {f"SEQ:{t}" for t in seq}, lines


def main() -> None:
    verbose = "--verbose" in sys.argv
    council = CaseStudy.councils.through.objects.values_list("council__slug", flat=True).first()
    base = CaseStudy.objects.published()
    print("| filter | page ms | count ms | indexes / seq scans |")
    print("| --- | ---: | ---: | --- |")
    for name, query in SCENARIOS:
        data = QueryDict(query.format(council=council))
        filterset = CaseStudyFilter(data, queryset=base)
        assert filterset.is_valid(), filterset.errors
        qs = filterset.qs
        page_sql, page_params = qs[:20].query.sql_with_params()
        count_sql, count_params = qs.order_by().values("pk").query.sql_with_params()
        page_ms, page_idx, page_lines = plan(page_sql, page_params)
        count_ms, count_idx, count_lines = plan(f"SELECT count(*) FROM ({count_sql}) AS c", count_params)
        used = ", ".join(sorted(page_idx | count_idx))
        print(f"| {name} | {page_ms:.1f} | {count_ms:.1f} | {used} |")
        if verbose:
            print("\n".join(["", f"-- {name}: page", *page_lines, f"-- {name}: count", *count_lines, ""]))


if __name__ == "__main__":
    main()
