"""The benchmark harness's pure pieces: percentiles, wrk parsing, the report, the scenario list."""

from __future__ import annotations

import csv
import io

import pytest

from bench.run import ScenarioResult, WrkResult, parse_wrk, percentile, ratio, render_markdown
from bench.scenarios import CSV_SQL, ORIGIN, SCENARIOS

SCENARIO = {s.name: s for s in SCENARIOS}

WRK_OK = """Running 30s test @ http://127.0.0.1:8765/api/v1/case-studies/?model=sharing
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    41.52ms   10.11ms 120.33ms   70.12%
    Req/Sec   386.21     40.55   480.00     68.00%
  Latency Distribution
     50%   40.10ms
     75%   47.00ms
     90%   55.31ms
     99%   80.02ms
  23105 requests in 30.03s, 120.50MB read
Requests/sec:    769.39
Transfer/sec:      4.01MB
"""

WRK_ERRORS = """Running 30s test @ http://127.0.0.1:8765/api/v1/case-studies/?q=telecare
  2 threads and 32 connections
  Latency Distribution
     50%    1.20s
  1502 requests in 30.10s, 7.50MB read
  Socket errors: connect 0, read 3, write 0, timeout 12
  Non-2xx or 3xx responses: 7
Requests/sec:     49.90
Transfer/sec:    255.10KB
"""


def test_median_of_odd_count_is_the_middle_value() -> None:
    assert percentile([5, 1, 3], 50) == 3


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([10, 20, 30, 40], 50) == 25
    assert percentile(range(1, 101), 95) == pytest.approx(95.05)


def test_percentile_extremes_are_min_and_max() -> None:
    assert percentile([7, 2, 9], 0) == 2
    assert percentile([7, 2, 9], 100) == 9


def test_percentile_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)


def test_wrk_report_gives_requests_per_second_and_no_errors() -> None:
    result = parse_wrk(WRK_OK)
    assert result.requests_per_second == 769.39
    assert result.requests == 23105
    assert result.errors == 0
    assert result.latency_p50_ms == pytest.approx(40.10)


def test_wrk_errors_add_non_2xx_and_socket_errors() -> None:
    result = parse_wrk(WRK_ERRORS)
    assert result.non_2xx == 7
    assert result.socket_errors == {"connect": 0, "read": 3, "write": 0, "timeout": 12}
    assert result.errors == 22
    assert result.latency_p50_ms == pytest.approx(1200)


def test_garbage_is_not_a_wrk_report() -> None:
    with pytest.raises(ValueError):
        parse_wrk("wrk: command failed")


def test_ratio_is_ours_over_raw_and_blank_without_both() -> None:
    assert ratio(30.0, 10.0) == "3.0×"
    assert ratio(None, 10.0) == "–"


def test_report_has_a_row_per_scenario_and_the_wrk_table() -> None:
    results = [
        ScenarioResult("API list", "/api/v1/case-studies/", ours_p50=12.0, ours_p95=15.0, raw_p50=6.0, raw_p95=7.0),
        ScenarioResult("API facets", "/api/v1/case-studies/facets/", status="HTTP 404", raw_p50=3.0, raw_p95=4.0),
    ]
    report = render_markdown(
        results, {"ours: API list": WrkResult(500.0, 15000)}, 12.5, "test machine", ["make bench"], 50
    )
    assert "| API list | 12.0 | 15.0 | 6.0 | 7.0 | 2.0× | – | ok |" in report
    assert "| API facets | – | – | 3.0 | 4.0 | – | – | HTTP 404 |" in report
    assert "| ours: API list | 500.0 | 15000 | 0 |" in report
    assert "12.5 MB" in report


def test_scenarios_cover_every_endpoint_the_issue_names() -> None:
    paths = [s.path for s in SCENARIOS]
    assert "/api/v1/case-studies/" in paths
    assert any("/facets/" in p for p in paths)
    assert any("{slug}" in p for p in paths)
    assert any(p.startswith("/api/v1/figures/summary/") for p in paths)
    assert any(p.startswith("/case-studies/?") for p in paths)
    assert any("format=csv" in p for p in paths)
    assert {s.name for s in SCENARIOS if s.wrk} == {"API list, model+type+region", "API full-text search"}


def test_every_scenario_has_raw_sql() -> None:
    assert all(s.raw_sql.lstrip().upper().startswith(("SELECT", "WITH")) for s in SCENARIOS)


@pytest.mark.postgres
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_raw_sql_runs_on_the_schema(scenario, db) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(scenario.raw_sql.replace("{slug}", "no-such-case"))
        cursor.fetchall()


# --- The benchmark's expectation is derived from the serializer -----------------------------------
# The raw side must fetch what our endpoint sends, or the comparison measures different work. On a
# small library, the raw list row has exactly CaseStudySerializer's fields (plus the page's total),
# in its order and with its values; the raw CSV has our CSV's header and cells.


@pytest.fixture
def small_library(db) -> None:
    from casestudies.models import CaseStudy, Figure
    from tests.factories import (
        CaseStudyFactory,
        CouncilFactory,
        FigureFactory,
        PartnershipFactory,
        ProgrammeFactory,
        ServiceAreaFactory,
        TransformationModelFactory,
    )

    sharing = TransformationModelFactory(slug="sharing", name="Sharing", display_order=5)
    holistic = TransformationModelFactory(slug="holistic", name="Holistic", display_order=6)
    libraries = ServiceAreaFactory(slug="libraries", name="Libraries")
    waste = ServiceAreaFactory(slug="waste", name="Waste and recycling")
    kent = CouncilFactory(slug="kent", name="Kent County Council", council_type="county", region="south_east")
    leeds = CouncilFactory(
        slug="leeds", name="Leeds City Council", council_type="metropolitan_borough", region="yorkshire_and_the_humber"
    )
    shared = CaseStudyFactory(
        title="A shared service",
        councils=[kent, leeds],
        models=[holistic, sharing],
        service_areas=[waste, libraries],
        partnership=PartnershipFactory(slug="east-kent"),
        programme=ProgrammeFactory(slug="transformation-fund"),
        end_year=None,
    )
    FigureFactory(case_study=shared, position=1, amount_low=200_000, amount_high=300_000)
    FigureFactory(case_study=shared, position=2, amount_low=900_000, amount_high=900_000)
    FigureFactory(case_study=shared, position=3, kind=Figure.Kind.INCOME, amount_low=5_000_000, amount_high=5_000_000)
    CaseStudyFactory(title="Beta, without figures", councils=[leeds], is_ongoing=False, start_year=2010, end_year=2014)
    CaseStudyFactory(title="A draft", status=CaseStudy.Status.DRAFT, body="Telecare for a district.")
    # Sharing, a district council in the South East (the factories' defaults): the filtered list's.
    CaseStudyFactory(title="Gamma", body="Telecare and assistive technology at home.")
    CaseStudyFactory(title="Delta", councils=[kent], summary="Telecare, telecare everywhere.")


def raw(sql: str) -> tuple[list[str], list[tuple]]:
    """The columns and rows of a raw query, its absolute URLs built for the test client's host."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql.replace(ORIGIN, "http://testserver"))
        return [column.name for column in cursor.description], cursor.fetchall()


@pytest.mark.postgres
def test_raw_list_row_is_the_serializers_row(small_library, anon_client) -> None:
    from casestudies.serializers import CaseStudySerializer

    columns, rows = raw(SCENARIO["API list, no filter"].raw_sql)
    assert columns[0] == "total"
    assert columns[1:] == list(CaseStudySerializer.Meta.fields)
    page = anon_client.get("/api/v1/case-studies/").json()
    assert [row[0] for row in rows] == [page["count"]] * len(rows)
    assert [dict(zip(columns[1:], row[1:], strict=True)) for row in rows] == page["results"]
    assert page["results"][0]["headline_annual_saving"] == 900_000  # the largest saving, not the income


@pytest.mark.postgres
@pytest.mark.parametrize("name", ["API list, model+type+region", "API full-text search"])
def test_raw_filtered_and_searched_rows_are_our_pages(small_library, anon_client, name) -> None:
    columns, rows = raw(SCENARIO[name].raw_sql)
    page = anon_client.get(SCENARIO[name].path).json()
    assert page["results"]  # the library has matches, so the comparison means something
    assert [row[0] for row in rows] == [page["count"]] * len(rows)
    assert [dict(zip(columns[1:], row[1:], strict=True)) for row in rows] == page["results"]


@pytest.mark.postgres
def test_raw_csv_has_our_csv_columns_and_cells(small_library, anon_client) -> None:
    response = anon_client.get("/api/v1/case-studies/?format=csv")
    assert response.status_code == 200
    ours = b"".join(response.streaming_content).decode()
    columns, rows = raw(CSV_SQL)
    assert columns == next(csv.reader(io.StringIO(ours)))
    # Our CSV's api_url keeps the request's ``?format=csv`` (DRF preserves the format parameter in
    # the URLs it builds), a link that answers 404 for a detail; the raw side builds the link
    # without it, as the JSON list does.
    ours = ours.replace("/?format=csv,", "/,")
    sink = io.StringIO()
    writer = csv.writer(sink)
    writer.writerow(columns)
    writer.writerows(rows)
    assert sink.getvalue() == ours


@pytest.mark.postgres
def test_raw_detail_is_the_detail_serializers_representation(small_library, anon_client) -> None:
    from casestudies.models import CaseStudy
    from casestudies.serializers import CaseStudyDetailSerializer
    from tests.factories import ContactFactory, OutcomeFactory

    slug = "case-study-detail"
    case = CaseStudy.objects.get(title="A shared service")
    case.slug = slug
    case.save()
    OutcomeFactory(case_study=case)
    ContactFactory(case_study=case)
    ContactFactory(case_study=case, is_public=False)
    columns, rows = raw(SCENARIO["API detail"].raw_sql.replace("{slug}", slug))
    assert columns == list(CaseStudyDetailSerializer.Meta.fields)
    assert dict(zip(columns, rows[0], strict=True)) == anon_client.get(f"/api/v1/case-studies/{slug}/").json()


def test_the_as_deployed_server_gets_the_apps_cache_setting_whatever_an_earlier_step_left(monkeypatch) -> None:
    from bench import run as bench_run

    # The scenarios' in-process query counts copy the cold setting into this process's environment.
    monkeypatch.setenv("LIBRARY_CACHE_SECONDS", "0")
    monkeypatch.setattr(bench_run, "LIBRARY_CACHE_SECONDS", None)
    assert "LIBRARY_CACHE_SECONDS" not in bench_run.bench_env()
    monkeypatch.setattr(bench_run, "LIBRARY_CACHE_SECONDS", 0)
    assert bench_run.bench_env()["LIBRARY_CACHE_SECONDS"] == "0"
