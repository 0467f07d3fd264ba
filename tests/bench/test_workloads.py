"""Issue 17's workloads, their pure pieces: URL lists, next links, the report, wrk's once-each walk."""

from __future__ import annotations

import collections
import http.server
import json
import shutil
import socket
import sqlite3
import threading
import urllib.parse
from pathlib import Path

import pytest

from bench import datasette
from bench.run import parse_wrk
from bench.workloads import (
    COMPARISONS,
    CONNECTIONS,
    SEARCH_TERMS,
    DeepPage,
    Measurement,
    collect_cursor_urls,
    datasette_next,
    deep_table,
    detail_urls,
    error_breakdown,
    follow,
    link_header,
    our_next,
    page_urls,
    parse_walk,
    ratios_table,
    relative,
    search_url,
    spread,
    statement_label,
    throughput_table,
    walk,
    workload_list,
)


def test_crawl_pages_are_page_numbers_one_to_n_each_once() -> None:
    pages = page_urls(4000)
    assert pages[0] == "/api/v1/case-studies/?page=1"
    assert pages[-1] == "/api/v1/case-studies/?page=4000"
    assert len(set(pages)) == 4000


def test_spread_takes_evenly_spaced_distinct_items() -> None:
    items = [f"s{n}" for n in range(100)]
    chosen = spread(items, 10)
    assert chosen == [f"s{n}" for n in range(0, 100, 10)]
    assert spread(items[:3], 10) == items[:3]


def test_detail_and_search_urls_are_quoted() -> None:
    assert detail_urls(["synthetic-a b"]) == ["/api/v1/case-studies/synthetic-a%20b/"]
    assert search_url("homelessness prevention") == "/api/v1/case-studies/?q=homelessness+prevention"


def test_search_terms_are_a_rare_word_a_common_word_and_two_words() -> None:
    assert SEARCH_TERMS[:2] == ("telecare", "reablement")
    assert len(SEARCH_TERMS[2].split()) == 2


def test_relative_keeps_path_and_query_of_an_absolute_link() -> None:
    assert relative("http://127.0.0.1:8000/api/v1/case-studies/?cursor=cD0x") == "/api/v1/case-studies/?cursor=cD0x"
    assert relative("https://example.org/x/") == "/x/"


def test_link_header_gives_targets_by_relation() -> None:
    header = '<https://h/a/?cursor=b>; rel="next", <https://h/a/?cursor=z>; rel=prev'
    assert link_header(header) == {"next": "https://h/a/?cursor=b", "prev": "https://h/a/?cursor=z"}


def test_link_header_with_several_relations_and_parameters() -> None:
    header = '<https://h/a/?page=2>; title="more"; rel="next last"'
    assert link_header(header) == {"next": "https://h/a/?page=2", "last": "https://h/a/?page=2"}
    assert link_header(None) == {}


def test_our_next_link_comes_from_the_body_first() -> None:
    body = {"next": "http://127.0.0.1/api/v1/case-studies/?cursor=b", "results": []}
    assert our_next(body, {"Link": '<http://127.0.0.1/other/>; rel="next"'}) == "/api/v1/case-studies/?cursor=b"


def test_our_next_link_falls_back_to_the_link_header() -> None:
    headers = {"link": '<http://127.0.0.1/api/v1/case-studies/?cursor=c>; rel="next"'}
    assert our_next({"next": None}, headers) == "/api/v1/case-studies/?cursor=c"
    assert our_next({"next": None}, {}) is None


def test_datasette_next_link_is_its_next_url() -> None:
    body = {"rows": [], "next": "x,1", "next_url": "http://127.0.0.1:9/library/casestudy.json?_next=x%2C1"}
    assert datasette_next(body, {}) == "/library/casestudy.json?_next=x%2C1"
    assert datasette_next({"rows": [], "next_url": None}, {}) is None


def chain(pages: int, status: int = 200):
    """A fake server: /p/1 → /p/2 → … → /p/pages (no next)."""
    requested: list[str] = []

    def fetch(path: str) -> tuple[int, dict[str, str], bytes]:
        requested.append(path)
        number = int(path.rsplit("/", 1)[1])
        following = f"http://h/p/{number + 1}" if number < pages else None
        return status, {}, json.dumps({"next": following}).encode()

    return fetch, requested


def test_follow_collects_count_urls_by_next_links() -> None:
    fetch, requested = chain(10)
    assert follow(fetch, "/p/1", 4, our_next) == ["/p/1", "/p/2", "/p/3", "/p/4"]
    assert requested == ["/p/1", "/p/2", "/p/3"]  # the last URL is not fetched: it is only listed


def test_follow_stops_when_the_pages_end() -> None:
    fetch, _requested = chain(3)
    assert follow(fetch, "/p/1", 10, our_next) == ["/p/1", "/p/2", "/p/3"]


def test_follow_refuses_an_error_page() -> None:
    fetch, _requested = chain(3, status=400)
    with pytest.raises(ValueError, match="answered 400"):
        follow(fetch, "/p/1", 3, our_next)


def test_follow_refuses_a_next_link_that_loops() -> None:
    def fetch(path: str) -> tuple[int, dict[str, str], bytes]:
        return 200, {}, json.dumps({"next": "http://h/p/1"}).encode()

    with pytest.raises(ValueError, match="already seen"):
        follow(fetch, "/p/1", 3, our_next)


def test_walk_report_is_parsed() -> None:
    output = "Requests/sec: 10.0\nurls sent: 4000\nurls answered: 3970\nstatus 200: 3968\nstatus 500: 2\n"
    counts = parse_walk(output)
    assert (counts.sent, counts.answered, counts.statuses) == (4000, 3970, {200: 3968, 500: 2})


def test_a_report_without_the_walk_counts_is_an_error() -> None:
    with pytest.raises(ValueError):
        parse_walk("Requests/sec: 10.0\n")


def test_wrk_p99_is_read() -> None:
    report = "  Latency Distribution\n     50%   40.10ms\n     99%    1.20s\n  10 requests in 1.00s, 1KB read\n"
    assert parse_wrk(report + "Requests/sec: 10.0\n").latency_p99_ms == pytest.approx(1200)


def test_error_breakdown_names_statuses_and_socket_errors() -> None:
    assert error_breakdown({200: 5, 503: 2}, {"connect": 0, "timeout": 3}) == "2 × HTTP 503, 3 × timeout"
    assert error_breakdown({200: 5}, {}) == ""


@pytest.mark.parametrize(
    ("sql", "label"),
    [
        (
            'SELECT "councils_council"."region" AS "council__region", COUNT(DISTINCT "l"."case_study_id") AS "n" '
            'FROM "casestudies_casestudycouncil" INNER JOIN "councils_council" ON (1) GROUP BY 1 ORDER BY 1 ASC',
            "GROUP BY councils_council.region",
        ),
        ('SELECT "a"."stage", COUNT(*) FROM "a" GROUP BY "a"."stage" ORDER BY "a"."stage"', "GROUP BY a.stage"),
        (
            'SELECT "k"."value", count(*) FROM "k" GROUP BY GROUPING SETS (("k"."facet"), ("k"."value"))',
            "GROUPING SETS k.facet, k.value",
        ),
        ('SELECT COUNT(*) AS "__count" FROM "casestudies_casestudy" WHERE 1', "COUNT casestudies_casestudy"),
        ('SELECT "casestudies_figure"."id" FROM "casestudies_figure" WHERE 1', "SELECT casestudies_figure"),
    ],
)
def test_statement_label_names_what_a_statement_groups_or_reads(sql: str, label: str) -> None:
    assert statement_label(sql) == label


def test_throughput_table_has_a_row_per_measured_side_and_says_why_one_was_not() -> None:
    workloads = workload_list(4000, 2000)
    results = {
        ("crawl-pages", "cold"): Measurement(176.0, 3970, 150.0, 420.0, 0),
        ("crawl-cursor", "cold"): Measurement(note="skipped: no cursor pages"),
        ("crawl-keyset", "datasette"): Measurement(655.0, 3970, 40.0, 90.0, 0),
    }
    table = "\n".join(throughput_table(workloads, results))
    assert (
        "| crawl: pages 1–4,000 of the unfiltered list, each once | ours cold | 176.0 | 3,970 | 150.0 | 420.0 | 0 |"
        in (table)
    )
    assert "| crawl: 4,000 cursor pages, each once | ours cold | – | | | | | skipped: no cursor pages |" in table
    assert "Datasette | 655.0 |" in table
    assert "as deployed" not in table  # not run: no row


def test_ratios_compare_ours_with_datasette_and_the_finder_with_our_list() -> None:
    results = {
        ("crawl-pages", "cold"): Measurement(176.0),
        ("crawl-keyset", "datasette"): Measurement(655.0),
        ("finder", "cold"): Measurement(40.0),
        ("filtered", "cold"): Measurement(160.0),
    }
    table = "\n".join(ratios_table(results))
    assert "| crawl by page number ÷ Datasette keyset crawl | – | 0.27× | ≥ 1.0× |" in table
    assert "| HTML finder ÷ API filtered list (ours, same load) | – | 0.25× | ≥ 0.5× cold |" in table


def test_every_comparison_names_workloads_that_exist() -> None:
    keys = {workload.key for workload in workload_list(10, 10)}
    assert {ours for _label, ours, _theirs, _target in COMPARISONS} <= keys
    assert {theirs for _label, _ours, theirs, _target in COMPARISONS} <= keys


def test_deep_table_gives_the_share_of_the_first_page() -> None:
    rows = [
        DeepPage("ours, cursor: first vs cursor page 4,000", "/a", "/b", 8.0, 9.0),
        DeepPage("x", "", "", note="skipped"),
    ]
    table = "\n".join(deep_table(rows))
    assert "| ours, cursor: first vs cursor page 4,000 | 8.0 | 9.0 | 1.12× | ≤ 1.2× |" in table
    assert "| x | skipped |" in table


# --- Datasette's side --------------------------------------------------------------------------


def test_datasette_search_requires_every_word_as_a_quoted_term() -> None:
    path = datasette.search_path('homelessness "prevention')
    assert "q=%22homelessness%22+%22prevention%22" in path
    assert path.startswith("/library.json?sql=")


def test_datasette_keyset_pages_sort_by_title_without_a_count() -> None:
    assert "_sort=title" in datasette.TABLE_START
    assert "_nocount=1" in datasette.TABLE_START


@pytest.mark.postgres
def test_export_runs_on_the_schema_and_datasettes_queries_run_on_it(tmp_path: Path, db) -> None:
    from django.db import connection

    from casestudies.models import CaseStudy
    from tests.factories import CaseStudyFactory, ContactFactory, FigureFactory, OutcomeFactory

    case = CaseStudyFactory(title="Telecare at home", body="Homelessness prevention through telecare.")
    FigureFactory(case_study=case)
    OutcomeFactory(case_study=case)
    ContactFactory(case_study=case)
    ContactFactory(case_study=case, is_public=False)
    CaseStudyFactory(title="A draft", status=CaseStudy.Status.DRAFT, body="Telecare.")
    connection.ensure_connection()
    db_path = tmp_path / "library.db"
    datasette.write_export(connection.connection, db_path)
    sqlite = sqlite3.connect(db_path)
    assert sqlite.execute("select slug from casestudy").fetchall() == [(case.slug,)]  # published only
    hits = sqlite.execute(datasette.SEARCH_ROWS, {"q": '"telecare"'}).fetchall()
    assert [row[0] for row in hits] == [case.slug]
    assert sqlite.execute(datasette.SEARCH_ROWS, {"q": '"homelessness" "prevention"'}).fetchall()
    detail = sqlite.execute(datasette.DETAIL, {"slug": case.slug}).fetchone()
    columns = [column[0] for column in sqlite.execute(datasette.DETAIL, {"slug": case.slug}).description]
    row = dict(zip(columns, detail, strict=True))
    assert len(json.loads(row["figures"])) == 1
    assert len(json.loads(row["outcomes"])) == 1
    assert len(json.loads(row["contacts"])) == 1  # public contacts only
    sqlite.execute(datasette.FILTERED_ROWS).fetchall()
    sqlite.execute(datasette.FILTERED_ROWS_AND_TOTAL).fetchall()


# --- bench/once.lua: each URL once, against servers that answer like gunicorn's sync workers ------


class SyncWorkers:
    """A loopback server like gunicorn's sync workers: each of ``workers`` threads takes one
    connection at a time, answers one request and closes it (so an idle connection holds a worker)."""

    def __init__(self, workers: int, status_of=lambda path: 200) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = self.listener.getsockname()[1]
        self.paths: list[str] = []
        self.status_of = status_of
        self.lock = threading.Lock()
        for _ in range(workers):
            threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            with connection:
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    request += chunk
                if b"\r\n\r\n" not in request:
                    continue
                path = request.split()[1].decode()
                with self.lock:
                    self.paths.append(path)
                status = self.status_of(path)
                connection.sendall(f"HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".encode())

    def close(self) -> None:
        self.listener.close()


needs_wrk = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")


@needs_wrk
def test_walk_requests_every_url_exactly_once_and_stops(tmp_path: Path) -> None:
    server = SyncWorkers(workers=5)
    paths = [f"/p/{n}" for n in range(400)]
    try:
        result = walk(server.port, paths, tmp_path, cap_seconds=60)
    finally:
        server.close()
    counted = collections.Counter(server.paths)
    assert max(counted.values()) == 1
    assert set(counted) <= set(paths)
    # Every path was sent (no note says otherwise); the server read all but, at most, the last
    # ones still in flight when wrk exited.
    assert result.note == ""
    assert len(counted) >= len(paths) - CONNECTIONS
    assert result.errors == 0
    # wrk counts the answers it read before the threads stopped: all but those still in flight.
    assert len(paths) - CONNECTIONS <= result.requests <= len(paths)


@needs_wrk
def test_walk_counts_answers_other_than_200_as_errors(tmp_path: Path) -> None:
    server = SyncWorkers(workers=5, status_of=lambda path: 404 if path.endswith("/7") else 200)
    try:
        result = walk(server.port, [f"/p/{n}" for n in range(200)], tmp_path, cap_seconds=60)
    finally:
        server.close()
    assert result.errors == 1
    assert result.note == "1 × HTTP 404"


def test_walk_needs_a_url_for_every_connection(tmp_path: Path) -> None:
    result = walk(1, ["/a/", "/b/"], tmp_path, cap_seconds=5)
    assert not result.measured
    assert "fewer than" in result.note


class JSONPages(http.server.BaseHTTPRequestHandler):
    """Cursor pages like our API's: ``?cursor=`` starts, each page links the next in ``Link``."""

    pages = 5

    def do_GET(self) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
        if "cursor" not in query:
            self.answer(400, {"detail": "unknown parameter"})
            return
        number = int(query["cursor"][0] or 0)
        following = f"http://127.0.0.1/api/v1/case-studies/?cursor={number + 1}" if number + 1 < self.pages else None
        headers = {"Link": f'<{following}>; rel="next"'} if following else {}
        self.answer(200, {"next": None, "results": []}, headers)

    def answer(self, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def json_pages():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), JSONPages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_cursor_urls_are_collected_from_an_empty_cursor_by_next_links(json_pages) -> None:
    urls, note = collect_cursor_urls(json_pages.server_address[1], 3)
    assert urls == ["/api/v1/case-studies/?cursor=", "/api/v1/case-studies/?cursor=1", "/api/v1/case-studies/?cursor=2"]
    assert note == ""


def test_cursor_collection_says_when_the_pages_run_out(json_pages) -> None:
    urls, note = collect_cursor_urls(json_pages.server_address[1], 10)
    assert len(urls) == JSONPages.pages
    assert note == "only 5 cursor pages"


def test_cursor_crawl_is_skipped_when_the_server_has_no_cursor_pages(json_pages, monkeypatch) -> None:
    monkeypatch.setattr("bench.workloads.CURSOR_START", "/api/v1/case-studies/?page=1")
    urls, note = collect_cursor_urls(json_pages.server_address[1], 3)
    assert urls == []
    assert note.startswith("skipped: this server has no cursor pages") and "answered 400" in note
