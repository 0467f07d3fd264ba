"""Issue 17's workloads: what researchers, officers and crawlers really run, ours beside Datasette's.

``bench/run.py --workloads`` runs these alone; plain ``bench/run.py`` (``make bench``) runs the
earlier scenarios first, then these. In one run, against the same 100k synthetic library:

1. our server **cold** (``LIBRARY_CACHE_SECONDS=0``): gunicorn as ``bench/run.py`` starts it.
   Before anything is timed, the harness follows the ``next`` links of our cursor pages from
   ``?cursor=`` to collect ``--crawl-pages`` distinct cursor URLs (skipped, with a message, when
   the server has no cursor pages); then each workload below; then the deep-page latencies;
2. our server **as deployed** (the application's default settings, each worker's own memory
   cache, no Redis), freshly started, the same workloads;
3. **Datasette** 0.65 over a SQLite export of the same rows (bench/datasette.py), its keyset
   ``_next`` URLs collected the same way, then its side of each workload;
4. in-process, cold: every SQL statement of the HTML finder timed (p50 over ``--facet-runs``
   requests), unfiltered and with the three filters, so each facet group's counting shows.

A **walk** is a list of distinct URLs that wrk requests once each (bench/once.lua), then stops:
the crawl of pages 1–N, the crawl of cursor pages, the detail harvest. A **load** is one URL for
``--wrk-duration`` seconds (search, filtered list, HTML finder), which is cold only when the cache
is off. Every wrk run has 32 connections (2 threads for a load, 1 for a walk) and a 10 s timeout,
and is reported as requests/s, p50, p99 and errors (answers other than 200, socket errors, URLs
of a walk never sent). A walk stops when its last URL is sent and one more answer is in
(bench/once.lua says why), so its request count leaves out the few answers still in flight then.
Writes ``bench/results/workloads.md`` and prints it.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.scenarios import FILTER  # noqa: E402

ONCE_SCRIPT = ROOT / "bench" / "once.lua"
API_LIST = "/api/v1/case-studies/"
CURSOR_START = API_LIST + "?cursor="
FINDER = "/case-studies/"
# A rare topic of the synthetic library (1.4 % of cases), a common one (13 %) and two words.
SEARCH_TERMS = ("telecare", "reablement", "homelessness prevention")
WARMUP_PATH = "/api/v1/transformation-models/"  # touches the database, shares no cache with a workload
THREADS = 2  # wrk threads of a load (as bench/run.py runs wrk)
# A walk runs one wrk thread driving all 32 connections: a thread that has finished its share
# leaves a connection or two open and idle (bench/once.lua), each holding a gunicorn sync worker
# until wrk exits, which would starve the other thread's last requests; with one thread, wrk
# exits as soon as the walk is done. One wrk thread sends tens of thousands of requests a second,
# far more than the servers answer, so the walk measures the server, not wrk.
WALK_THREADS = 1
CONNECTIONS = 32
TIMEOUT_SECONDS = 10


# --- pure helpers (tested in tests/bench/test_workloads.py) --------------------------------------


def page_urls(count: int, base: str = API_LIST) -> list[str]:
    """Pages 1–count of the unfiltered list, by page number (the API's page size, 20)."""
    return [f"{base}?page={number}" for number in range(1, count + 1)]


def spread(items: list[str], count: int) -> list[str]:
    """``count`` items spread evenly over the list (all of it if it is shorter)."""
    if count >= len(items):
        return list(items)
    step = len(items) / count
    return [items[int(index * step)] for index in range(count)]


def detail_urls(slugs: Iterable[str]) -> list[str]:
    return [f"{API_LIST}{urllib.parse.quote(slug)}/" for slug in slugs]


def search_url(words: str) -> str:
    return f"{API_LIST}?{urllib.parse.urlencode({'q': words})}"


def relative(url: str) -> str:
    """The path and query of an absolute URL (the server builds its links from the request)."""
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]+)*)")
_REL = re.compile(r';\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))', re.IGNORECASE)


def link_header(value: str | None) -> dict[str, str]:
    """The targets of an RFC 8288 ``Link`` header by relation type (``rel="next prev"`` gives both)."""
    links: dict[str, str] = {}
    for target, params in _LINK.findall(value or ""):
        for quoted, bare in _REL.findall(params):
            for rel in (quoted or bare).lower().split():
                links.setdefault(rel, target)
    return links


def our_next(body: dict, headers: dict[str, str]) -> str | None:
    """Our page's next link: the body's ``next``, else the ``Link`` header's ``rel="next"``."""
    target = body.get("next") if isinstance(body, dict) else None
    if not target:
        lowered = {name.lower(): value for name, value in headers.items()}
        target = link_header(lowered.get("link")).get("next")
    return relative(target) if target else None


def datasette_next(body: dict, headers: dict[str, str]) -> str | None:
    """Datasette's table page: ``next_url`` in the body (absolute)."""
    target = body.get("next_url") if isinstance(body, dict) else None
    return relative(target) if target else None


Fetch = Callable[[str], tuple[int, dict[str, str], bytes]]


def follow(fetch: Fetch, start: str, count: int, next_of: Callable[[dict, dict[str, str]], str | None]) -> list[str]:
    """The start URL and the next links after it, ``count`` URLs in all (fewer if the pages end).

    Raises ``ValueError`` if a page does not answer 200, or a next link repeats a URL."""
    urls = [start]
    seen = {start}
    while len(urls) < count:
        status, headers, body = fetch(urls[-1])
        if status != 200:
            raise ValueError(f"{urls[-1]} answered {status}")
        following = next_of(json.loads(body), headers)
        if following is None:
            break
        if following in seen:
            raise ValueError(f"the next link of {urls[-1]} is a page already seen: {following}")
        urls.append(following)
        seen.add(following)
    return urls


def once_command(port: int, paths_file: Path, cap_seconds: int, headers: dict[str, str]) -> list[str]:
    """wrk walking the paths of ``paths_file`` once each (bench/once.lua); ``cap_seconds`` bounds it."""
    command = ["wrk", f"-t{WALK_THREADS}", f"-c{CONNECTIONS}", f"-d{cap_seconds}s", "--latency"]
    command += ["--timeout", f"{TIMEOUT_SECONDS}s", "-s", str(ONCE_SCRIPT)]
    command += [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    return [*command, f"http://127.0.0.1:{port}/", "--", str(paths_file), str(WALK_THREADS)]


@dataclass
class WalkCounts:
    sent: int
    answered: int
    statuses: dict[int, int] = field(default_factory=dict)


def parse_walk(output: str) -> WalkCounts:
    """What bench/once.lua's done() printed: paths sent, answered, answers per status."""
    sent = re.search(r"^urls sent: (\d+)$", output, re.MULTILINE)
    answered = re.search(r"^urls answered: (\d+)$", output, re.MULTILINE)
    if not sent or not answered:
        raise ValueError("not a report of bench/once.lua:\n" + output)
    statuses = {int(status): int(n) for status, n in re.findall(r"^status (\d+): (\d+)$", output, re.MULTILINE)}
    return WalkCounts(int(sent.group(1)), int(answered.group(1)), statuses)


def error_breakdown(statuses: dict[int, int], socket_errors: dict[str, int], non_2xx: int = 0) -> str:
    """What the errors were: answers other than 200 by status (or wrk's count of answers over
    399), socket errors by kind."""
    parts = [f"{n} × HTTP {status}" for status, n in sorted(statuses.items()) if status != 200 and n]
    parts += [f"{non_2xx} × HTTP 4xx/5xx"] if non_2xx else []
    parts += [f"{n} × {kind}" for kind, n in socket_errors.items() if n]
    return ", ".join(parts)


def statement_label(sql: str) -> str:
    """A short name for a SQL statement of a page: what it groups by (a facet's counts), or the
    table it reads. Quoted identifiers lose their quotes; ``"t"."c"`` becomes ``t.c``."""
    text = " ".join(sql.split())
    upper = text.upper()
    if "GROUPING SETS" in upper:
        start = upper.index("GROUPING SETS")
        return "GROUPING SETS " + _columns(text[start + len("GROUPING SETS") :])
    if " GROUP BY " in upper:
        start = upper.rindex(" GROUP BY ") + len(" GROUP BY ")
        end = len(text)
        for stop in (" ORDER BY ", " HAVING ", " LIMIT ", ")"):
            found = upper.find(stop, start)
            if found != -1:
                end = min(end, found)
        grouped = text[start:end]
        if re.fullmatch(r"\s*\d+(\s*,\s*\d+)*\s*", grouped):  # GROUP BY 1, 2: the select list's
            selected = _select_list(text)
            grouped = ", ".join(selected[int(n) - 1] for n in re.findall(r"\d+", grouped) if int(n) <= len(selected))
        return "GROUP BY " + _columns(grouped)
    if re.match(r"SELECT COUNT\(", upper):
        return "COUNT " + _first_table(text)
    return "SELECT " + _first_table(text)


def _select_list(text: str) -> list[str]:
    """The expressions of the outermost SELECT's list, split on its top-level commas."""
    found = re.match(r"\s*SELECT\s+(?:DISTINCT\s+)?", text, re.IGNORECASE)
    if not found:
        return []
    items, depth, current = [], 0, []
    for index in range(found.end(), len(text)):
        char = text[index]
        if depth == 0 and text[index : index + 6].upper() == " FROM ":
            break
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items]


def _columns(fragment: str) -> str:
    columns = re.findall(r'"(\w+)"\."(\w+)"', fragment)
    if columns:
        return ", ".join(dict.fromkeys(f"{table}.{column}" for table, column in columns))
    return fragment.strip()[:60]


def _first_table(text: str) -> str:
    found = re.search(r'\bFROM\s+"?(\w+)"?', text, re.IGNORECASE)
    return found.group(1) if found else text[:40]


# --- results and the report ---------------------------------------------------------------------


@dataclass
class Measurement:
    """One workload on one server: throughput and latency from wrk, or why it was not measured."""

    requests_per_second: float | None = None
    requests: int = 0
    p50_ms: float | None = None
    p99_ms: float | None = None
    errors: int = 0
    note: str = ""

    @property
    def measured(self) -> bool:
        return self.requests_per_second is not None


@dataclass(frozen=True)
class Workload:
    key: str
    title: str
    ours: bool = True
    datasette: bool = True


def workload_list(crawl_pages: int, details: int) -> list[Workload]:
    """The workloads, in the report's order."""
    searches = [Workload(f"search:{words}", f"full-text search `{words}`, page 1") for words in SEARCH_TERMS]
    return [
        Workload("crawl-pages", f"crawl: pages 1–{crawl_pages:,} of the unfiltered list, each once", datasette=False),
        Workload("crawl-cursor", f"crawl: {crawl_pages:,} cursor pages, each once", datasette=False),
        Workload("crawl-keyset", f"crawl: {crawl_pages:,} keyset pages (`_next`, title + id), each once", ours=False),
        *searches,
        Workload("filtered", "filtered list (model + council type + region)", datasette=False),
        Workload("filtered-rows", "filtered list: the rows only (no total)", ours=False),
        Workload("filtered-total", "filtered list: the rows and their total", ours=False),
        Workload("finder", "HTML finder, same filter (page + facet counts)", datasette=False),
        Workload("details", f"detail harvest: {details:,} case studies (API JSON), each once"),
    ]


SIDES = (("deployed", "ours as deployed"), ("cold", "ours cold"), ("datasette", "Datasette"))


def _cell(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def throughput_table(workloads: list[Workload], results: dict[tuple[str, str], Measurement]) -> list[str]:
    lines = [
        "| workload | server | requests/s | requests | p50 ms | p99 ms | errors | notes |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for workload in workloads:
        for side, label in SIDES:
            if not (workload.datasette if side == "datasette" else workload.ours):
                continue
            found = results.get((workload.key, side))
            if found is None:
                continue
            if not found.measured:
                lines.append(f"| {workload.title} | {label} | – | | | | | {found.note or 'not measured'} |")
                continue
            lines.append(
                f"| {workload.title} | {label} | {_cell(found.requests_per_second)} | {found.requests:,} "
                f"| {_cell(found.p50_ms)} | {_cell(found.p99_ms)} | {found.errors} | {found.note} |"
            )
    return lines


def _ratio(ours: Measurement | None, theirs: Measurement | None) -> str:
    if not ours or not theirs or not ours.measured or not theirs.measured or not theirs.requests_per_second:
        return "–"
    return f"{ours.requests_per_second / theirs.requests_per_second:.2f}×"


# (label, our workload, Datasette's workload or our own baseline, target) for the ratios table.
COMPARISONS = (
    ("crawl by page number ÷ Datasette keyset crawl", "crawl-pages", "crawl-keyset", "≥ 1.0×"),
    ("crawl by cursor ÷ Datasette keyset crawl", "crawl-cursor", "crawl-keyset", "≥ 1.0×"),
    *(
        (f"search `{words}` ÷ Datasette FTS5", f"search:{words}", f"search:{words}", "≥ 1.0× cold")
        for words in SEARCH_TERMS
    ),
    ("filtered list ÷ Datasette rows and total", "filtered", "filtered-total", "≥ 1.0× cold"),
    ("filtered list ÷ Datasette rows only", "filtered", "filtered-rows", "–"),
    ("detail harvest ÷ Datasette row + links", "details", "details", "≥ 1.0×"),
)


def ratios_table(results: dict[tuple[str, str], Measurement]) -> list[str]:
    lines = [
        "| ratio (requests/s) | as deployed | cold | target |",
        "| --- | ---: | ---: | --- |",
    ]
    for label, ours, theirs, target in COMPARISONS:
        theirs_result = results.get((theirs, "datasette"))
        lines.append(
            f"| {label} | {_ratio(results.get((ours, 'deployed')), theirs_result)} "
            f"| {_ratio(results.get((ours, 'cold')), theirs_result)} | {target} |"
        )
    lines.append(
        f"| HTML finder ÷ API filtered list (ours, same load) | "
        f"{_ratio(results.get(('finder', 'deployed')), results.get(('filtered', 'deployed')))} | "
        f"{_ratio(results.get(('finder', 'cold')), results.get(('filtered', 'cold')))} | ≥ 0.5× cold |"
    )
    return lines


@dataclass
class DeepPage:
    """Sequential p50 (ms) of the first page and of the page at depth N, one way of paging."""

    label: str
    first_path: str
    deep_path: str
    first_p50: float | None = None
    deep_p50: float | None = None
    note: str = ""


def deep_table(rows: list[DeepPage]) -> list[str]:
    lines = [
        "| paging | first page p50 ms | deep page p50 ms | deep ÷ first | target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        if row.note:
            lines.append(f"| {row.label} | {row.note} | | | |")
            continue
        share = "–" if not row.first_p50 or row.deep_p50 is None else f"{row.deep_p50 / row.first_p50:.2f}×"
        target = "≤ 1.2×" if "cursor" in row.label else "–"
        lines.append(f"| {row.label} | {_cell(row.first_p50)} | {_cell(row.deep_p50)} | {share} | {target} |")
    return lines


@dataclass
class StatementTiming:
    label: str
    p50_ms: float
    max_ms: float


def statements_table(timings: dict[str, tuple[float, list[StatementTiming]]], runs: int) -> list[str]:
    lines = [
        f"| page | statement | p50 ms | max ms (over {runs} requests) |",
        "| --- | --- | ---: | ---: |",
    ]
    for path, (request_p50, statements) in timings.items():
        lines.append(f"| `{path}` | whole request | {request_p50:.1f} | |")
        for statement in statements:
            lines.append(f"| | {statement.label} | {statement.p50_ms:.1f} | {statement.max_ms:.1f} |")
    return lines


def render_report(
    workloads: list[Workload],
    results: dict[tuple[str, str], Measurement],
    deep: list[DeepPage],
    statements: dict[str, tuple[float, list[StatementTiming]]],
    facet_runs: int,
    context: list[str],
    commands: list[str],
) -> str:
    lines = ["# Benchmark: issue 17's workloads (the cold path)", "", *context, ""]
    lines += ["## Throughput (wrk, 32 connections)", "", *throughput_table(workloads, results), ""]
    lines += ["## Ratios", "", *ratios_table(results), ""]
    if deep:
        lines += ["## Deep pages (sequential requests, cold)", "", *deep_table(deep), ""]
    if statements:
        lines += [
            "## The HTML finder's SQL statements, in-process, cold (`GROUP BY` ones are facet counts)",
            "",
            *statements_table(statements, facet_runs),
            "",
        ]
    lines += ["Commands:", "", "```", *commands, "```", ""]
    return "\n".join(lines)


# --- running -------------------------------------------------------------------------------------


def _progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def http_fetch(port: int) -> Fetch:
    """GET on loopback with the benchmark's headers: (status, headers, body)."""
    import http.client

    from bench.run import HEADERS, HOST

    def fetch(path: str) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(HOST, port, timeout=120)
        try:
            connection.request("GET", path, headers=HEADERS)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    return fetch


def _interrupt_until_exit(process: subprocess.Popen) -> None:
    """SIGINT ends wrk's sleep through -d; resent until wrk exits (a signal that a worker thread
    takes before it has exited, or one sent before wrk installs its handler, is lost)."""

    def keep_sending() -> None:
        while process.poll() is None:
            process.send_signal(signal.SIGINT)
            time.sleep(0.1)

    threading.Thread(target=keep_sending, daemon=True).start()


def walk(port: int, paths: list[str], workdir: Path, cap_seconds: int) -> Measurement:
    """wrk requesting each path once (bench/once.lua), stopped when every thread has finished."""
    from bench.run import HEADERS, parse_wrk

    if len(paths) < CONNECTIONS:
        # Fewer paths than connections would leave connections idle from the start (once.lua).
        return Measurement(note=f"not run: fewer than {CONNECTIONS} URLs")
    paths_file = workdir / "paths.txt"
    paths_file.write_text("".join(f"{path}\n" for path in paths))
    process = subprocess.Popen(
        once_command(port, paths_file, cap_seconds, HEADERS),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    killer = threading.Timer(cap_seconds + 60, process.kill)
    killer.start()
    lines: list[str] = []
    finished = 0
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if re.fullmatch(r"thread \d+ finished", line.strip()):
                finished += 1
                if finished == WALK_THREADS:
                    _interrupt_until_exit(process)
        process.wait()
    finally:
        killer.cancel()
    output = "".join(lines)
    try:
        result, counts = parse_wrk(output), parse_walk(output)
    except ValueError:
        return Measurement(note="wrk failed: " + " ".join(output.split())[-200:])
    not_ok = sum(n for status, n in counts.statuses.items() if status != 200)
    unsent = len(paths) - counts.sent
    note = f"only {counts.sent:,} of {len(paths):,} sent before the cap" if unsent else ""
    note = "; ".join(filter(None, [note, error_breakdown(counts.statuses, result.socket_errors)]))
    return Measurement(
        requests_per_second=result.requests_per_second,
        requests=result.requests,
        p50_ms=result.latency_p50_ms,
        p99_ms=result.latency_p99_ms,
        errors=not_ok + sum(result.socket_errors.values()) + unsent,
        note=note,
    )


def load(port: int, path: str, duration: int) -> Measurement:
    """wrk on one URL for ``duration`` seconds, after checking that it answers 200."""
    from bench.run import http_get, run_wrk

    status, _size = http_get(port, path)
    if status != 200:
        return Measurement(note=f"HTTP {status} for {path}")
    result = run_wrk(port, path, duration)
    return Measurement(
        requests_per_second=result.requests_per_second,
        requests=result.requests,
        p50_ms=result.latency_p50_ms,
        p99_ms=result.latency_p99_ms,
        errors=result.errors,
        note=error_breakdown({}, result.socket_errors, non_2xx=result.non_2xx),
    )


@dataclass
class UrlLists:
    pages: list[str]
    details: list[str]
    slugs: list[str]
    cursor: list[str] = field(default_factory=list)
    cursor_note: str = ""


def published_slugs(database_url: str) -> list[str]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT slug FROM casestudies_casestudy WHERE status = 'published' ORDER BY id"
        ).fetchall()
    return [row[0] for row in rows]


def collect_cursor_urls(port: int, count: int) -> tuple[list[str], str]:
    """Our cursor pages from ``?cursor=`` by their next links; ([], why) if there are none."""
    fetch = http_fetch(port)
    status, headers, body = fetch(CURSOR_START)
    if status != 200:
        return [], f"skipped: this server has no cursor pages ({CURSOR_START} answered {status})"
    following = our_next(json.loads(body), headers)
    if not following or "cursor=" not in following:
        return [], f"skipped: the next link of {CURSOR_START} is not a cursor page ({following})"
    try:
        urls = follow(fetch, CURSOR_START, count, our_next)
    except ValueError as error:
        return [], f"skipped: collecting the cursor pages failed: {error}"
    note = "" if len(urls) == count else f"only {len(urls):,} cursor pages"
    return urls, note


def _warm_up(port: int, workers: int) -> None:
    """Every worker connects to PostgreSQL before anything is timed (a URL no workload asks for)."""
    from bench.run import WARMUP_PER_WORKER, http_get

    for _ in range(workers * WARMUP_PER_WORKER):
        http_get(port, WARMUP_PATH)


def wanted(key: str, only: list[str]) -> bool:
    return not only or any(part in key for part in only)


def our_workloads(port: int, lists: UrlLists, args: WorkloadArgs, workdir: Path) -> dict[str, Measurement]:
    results: dict[str, Measurement] = {}
    if wanted("crawl-pages", args.only):
        _progress(f"walk: {len(lists.pages):,} pages by number")
        results["crawl-pages"] = walk(port, lists.pages, workdir, args.walk_cap)
    if wanted("crawl-cursor", args.only):
        if lists.cursor:
            _progress(f"walk: {len(lists.cursor):,} cursor pages")
            results["crawl-cursor"] = walk(port, lists.cursor, workdir, args.walk_cap)
        else:
            results["crawl-cursor"] = Measurement(note=lists.cursor_note)
    loads = {f"search:{words}": search_url(words) for words in SEARCH_TERMS}
    loads["filtered"] = f"{API_LIST}?{FILTER}"
    loads["finder"] = f"{FINDER}?{FILTER}"
    for key, path in loads.items():
        if wanted(key, args.only):
            _progress(f"load {args.wrk_duration}s: {path}")
            results[key] = load(port, path, args.wrk_duration)
    if wanted("details", args.only):
        _progress(f"walk: {len(lists.details):,} details")
        results["details"] = walk(port, lists.details, workdir, args.walk_cap)
    return results


def datasette_workloads(
    port: int, keyset: list[str], slugs: list[str], args: WorkloadArgs, workdir: Path
) -> dict[str, Measurement]:
    from bench import datasette

    results: dict[str, Measurement] = {}
    if wanted("crawl-keyset", args.only):
        _progress(f"walk: {len(keyset):,} Datasette keyset pages")
        results["crawl-keyset"] = walk(port, keyset, workdir, args.walk_cap)
    loads = {f"search:{words}": datasette.search_path(words) for words in SEARCH_TERMS}
    loads["filtered-rows"] = datasette.sql_path(datasette.FILTERED_ROWS)
    loads["filtered-total"] = datasette.sql_path(datasette.FILTERED_ROWS_AND_TOTAL)
    for key, path in loads.items():
        if wanted(key, args.only) or (key.startswith("filtered") and wanted("filtered", args.only)):
            _progress(f"load {args.wrk_duration}s: Datasette {key}")
            results[key] = load(port, path, args.wrk_duration)
    if wanted("details", args.only):
        _progress(f"walk: {len(slugs):,} Datasette details")
        results["details"] = walk(port, [datasette.detail_path(slug) for slug in slugs], workdir, args.walk_cap)
    return results


def deep_page(port: int, label: str, first: str, deep: str, requests: int, warmup: int) -> DeepPage:
    from bench.run import http_get, percentile, timed

    row = DeepPage(label, first, deep)
    for path in (first, deep):
        status, _size = http_get(port, path)
        if status != 200:
            row.note = f"HTTP {status} for {path}"
            return row
    row.first_p50 = percentile(timed(lambda: http_get(port, first), requests, warmup=warmup), 50)
    row.deep_p50 = percentile(timed(lambda: http_get(port, deep), requests, warmup=warmup), 50)
    return row


def finder_statements(paths: list[str], runs: int) -> dict[str, tuple[float, list[StatementTiming]]]:
    """In-process, cold: p50 and max of each SQL statement of each page over ``runs`` requests
    (after two), and of the whole request. Statements are matched across requests by label and
    by their order among statements of the same label."""
    import os

    from bench import run as bench_run

    os.environ.update(bench_run.bench_env())
    os.environ["LIBRARY_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client, override_settings

    from bench.run import HEADERS, percentile

    client = Client(headers=HEADERS)
    timings: dict[str, tuple[float, list[StatementTiming]]] = {}
    for path in paths:
        samples: dict[str, list[float]] = {}
        totals: list[float] = []
        for run in range(runs + 2):
            seen: dict[str, int] = {}
            statements: list[tuple[str, float]] = []

            def timer(execute, sql, params, many, context, statements=statements):
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    statements.append((statement_label(sql), (time.perf_counter() - started) * 1000))

            started = time.perf_counter()
            with override_settings(LIBRARY_CACHE_SECONDS=0), connection.execute_wrapper(timer):
                response = client.get(path, secure=True)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code} in-process")
            if run < 2:
                continue
            totals.append(elapsed)
            for label, ms in statements:
                seen[label] = seen.get(label, 0) + 1
                key = label if seen[label] == 1 else f"{label} (#{seen[label]})"
                samples.setdefault(key, []).append(ms)
        rows = [StatementTiming(key, percentile(values, 50), max(values)) for key, values in samples.items()]
        timings[path] = (percentile(totals, 50), rows)
    connection.close()
    return timings


@dataclass
class WorkloadArgs:
    crawl_pages: int = 4000
    details: int = 2000
    wrk_duration: int = 30
    walk_cap: int = 900
    requests: int = 50
    facet_runs: int = 20
    workers: int = 5
    modes: tuple[str, ...] = ("cold", "deployed")
    datasette: bool = True
    only: list[str] = field(default_factory=list)


def _git_commit() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return found.stdout.strip() or "unknown"


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _collect_cursor(port: int, lists: UrlLists, args: WorkloadArgs) -> None:
    if not (wanted("crawl-cursor", args.only) or wanted("deep", args.only)):
        lists.cursor_note = "not run"
        return
    _progress(f"collecting {args.crawl_pages:,} cursor URLs from {CURSOR_START}")
    lists.cursor, lists.cursor_note = collect_cursor_urls(port, args.crawl_pages)
    if lists.cursor_note:
        _progress(lists.cursor_note)


def run_workloads(database_url: str, args: WorkloadArgs, commands: list[str]) -> str:
    """Every workload on every server, in the order of this module's docstring; the report."""
    import os

    from bench import datasette
    from bench import run as bench_run

    started = time.monotonic()
    load_before = _load_average()
    if os.environ.pop("REDIS_URL", None):
        _progress("REDIS_URL is ignored: the workloads measure the default deployment, each worker's own memory")
    slugs = spread(published_slugs(database_url), args.details)
    lists = UrlLists(pages=page_urls(args.crawl_pages), details=detail_urls(slugs), slugs=slugs)
    workloads = workload_list(args.crawl_pages, args.details)
    results: dict[tuple[str, str], Measurement] = {}
    deep: list[DeepPage] = []
    bench_run.collect_static()
    warmup = args.workers * bench_run.WARMUP_PER_WORKER
    with tempfile.TemporaryDirectory(prefix="ctl-workloads-") as tmp:
        workdir = Path(tmp)
        # Cold first: collecting the cursor URLs through it leaves nothing in a cache that the
        # as-deployed server (started afresh afterwards) could answer from.
        if "cold" not in args.modes and (wanted("crawl-cursor", args.only) or wanted("deep", args.only)):
            # Collected through a cold server of its own, so that no answer of the collection is
            # in the as-deployed server's cache.
            bench_run.LIBRARY_CACHE_SECONDS = 0
            port = bench_run.free_port()
            server = bench_run.start_gunicorn(port, args.workers)
            try:
                _collect_cursor(port, lists, args)
            finally:
                bench_run.stop(server)
        for mode in ("cold", "deployed"):
            if mode not in args.modes:
                continue
            bench_run.LIBRARY_CACHE_SECONDS = 0 if mode == "cold" else None
            port = bench_run.free_port()
            _progress(f"gunicorn {mode}, {args.workers} workers")
            server = bench_run.start_gunicorn(port, args.workers)
            try:
                _warm_up(port, args.workers)
                if mode == "cold":
                    _collect_cursor(port, lists, args)
                for key, measurement in our_workloads(port, lists, args, workdir).items():
                    results[(key, mode)] = measurement
                if mode == "cold" and wanted("deep", args.only):
                    _progress("deep pages")
                    last = len(lists.pages)
                    deep.append(
                        deep_page(
                            port,
                            f"ours, page number: page 1 vs page {last:,}",
                            lists.pages[0],
                            lists.pages[-1],
                            args.requests,
                            warmup,
                        )
                    )
                    if lists.cursor:
                        depth = len(lists.cursor)
                        deep.append(
                            deep_page(
                                port,
                                f"ours, cursor: first vs cursor page {depth:,}",
                                lists.cursor[0],
                                lists.cursor[-1],
                                args.requests,
                                warmup,
                            )
                        )
                    else:
                        deep.append(DeepPage("ours, cursor", "", "", note=lists.cursor_note))
            finally:
                bench_run.stop(server)
        bench_run.LIBRARY_CACHE_SECONDS = None
        datasette_version = "not run"
        if args.datasette:
            binary = datasette.install()
            if isinstance(binary, str):
                _progress(binary)
                datasette_version = binary
            else:
                db_path = datasette.WORKDIR / f"{datasette.DATABASE}.db"
                _progress("SQLite export for Datasette")
                if not datasette.export(database_url, db_path):
                    _progress("(the previous export is up to date)")
                datasette_version = subprocess.run(
                    [str(binary), "--version"], capture_output=True, text=True, check=False
                ).stdout.strip()
                with datasette.serve(binary, db_path) as port:
                    _progress(f"collecting {args.crawl_pages:,} Datasette keyset URLs")
                    keyset: list[str] = []
                    if wanted("crawl-keyset", args.only) or wanted("deep", args.only):
                        keyset = follow(http_fetch(port), datasette.TABLE_START, args.crawl_pages, datasette_next)
                    for key, measurement in datasette_workloads(port, keyset, slugs, args, workdir).items():
                        results[(key, "datasette")] = measurement
                    if wanted("deep", args.only) and keyset:
                        deep.append(
                            deep_page(
                                port,
                                f"Datasette keyset: first vs `_next` page {len(keyset):,}",
                                keyset[0],
                                keyset[-1],
                                args.requests,
                                5,
                            )
                        )
    statements: dict[str, tuple[float, list[StatementTiming]]] = {}
    if wanted("facets", args.only) and args.facet_runs:
        _progress(f"in-process statement timings of the finder, {args.facet_runs} requests each")
        statements = finder_statements([FINDER, f"{FINDER}?{FILTER}"], args.facet_runs)
    minutes = (time.monotonic() - started) / 60
    context = [
        f"Machine: {bench_run.machine_description()}; load average {load_before} before, {_load_average()} after.",
        "",
        f"Commit {_git_commit()}; gunicorn {args.workers} sync workers; {len(published_slugs(database_url)):,} "
        f"published case studies; wrk {CONNECTIONS} connections ({THREADS} threads for a load, {WALK_THREADS} for a "
        f"walk), {TIMEOUT_SECONDS} s timeout, "
        f"loads of {args.wrk_duration} s; {datasette_version}. The run took {minutes:.1f} min.",
        "",
        "Ours cold: `LIBRARY_CACHE_SECONDS=0` (every answer computed). Ours as deployed: the application's "
        "defaults, each worker's own memory cache (no Redis), a freshly started server. Datasette: "
        "`--immutable`, facet suggestions off, its SQL JSON API (rows as an array) and its table pages.",
    ]
    return render_report(workloads, results, deep, statements, args.facet_runs, context, commands)
