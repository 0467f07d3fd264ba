"""Load test (issue 7): wrk over a mix of public URLs against gunicorn on PostgreSQL; zero errors expected.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctl_bench .venv/bin/python bench/load_test.py \
        [--duration 60] [--connections 32] [--workers N]

Starts gunicorn (config.wsgi, DEBUG off, API rate limit off) on a free loopback port, checks that
every URL of the mix answers 200 once, then runs ``wrk -t2 -c32 -d60s`` with a Lua script that
rotates through the mix (API list, filtered list, search, facets, several details, the HTML finder
and HTML detail pages), and prints requests/s, latency percentiles and errors: non-2xx/3xx answers
(counted per status) plus socket errors (connect, read, write, timeout). Exits 1 if there was any
error. Only 127.0.0.1; wrk and gunicorn are bounded by timeouts and always stopped.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run as bench_run
from bench.run import (
    DEFAULT_WORKERS,
    HEADERS,
    HOST,
    add_library_cache_option,
    collect_static,
    free_port,
    http_get,
    library_cache_mode,
    machine_description,
    parse_wrk,
    start_gunicorn,
    stop,
)
from bench.scenarios import FILTER, SEARCH

DETAILS = 200  # distinct case studies the detail URLs cycle through, API and HTML
PAGES = 50  # pages the paged list URLs cycle through
DETAIL_SLOTS = 5  # detail URLs (API + HTML) in each round of the mix


def mixed_paths() -> list[str]:
    """The URL mix: list, filtered list, search, facets, details, finder and detail pages.

    ``{page}`` and ``{slug}`` are filled in per request by the wrk script, cycling through
    ``PAGES`` pages and ``DETAILS`` case studies, so that many requests ask for something no
    one has asked for yet (a cold answer) rather than replaying a handful of cached URLs.
    """
    paths = [
        "/api/v1/case-studies/?page={page}",
        f"/api/v1/case-studies/?{FILTER}&page={{page}}",
        f"/api/v1/case-studies/?q={SEARCH}",
        "/api/v1/case-studies/?model=holistic&ordering=-year&page={page}",
        f"/api/v1/case-studies/facets/?{FILTER}",
        "/case-studies/?page={page}",
        f"/case-studies/?{FILTER}",
        "/case-studies/?q=reablement",
    ]
    for _slot in range(DETAIL_SLOTS):
        paths += ["/api/v1/case-studies/{slug}/", "/case-studies/{slug}/"]
    return paths


def filled(path: str, slug: str, page: int = 1) -> str:
    return path.replace("{slug}", slug).replace("{page}", str(page))


def _lua_list(values: list[str]) -> str:
    return ",\n  ".join('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values)


def lua_script(paths: list[str], slugs: list[str], pages: int = PAGES) -> str:
    """A wrk script: each thread walks the mix in turn (from its own offset), filling ``{page}``
    and ``{slug}`` from counters of their own, and counts statuses."""
    return f"""local paths = {{
  {_lua_list(paths)}
}}
local slugs = {{
  {_lua_list(slugs)}
}}
local pages = {pages}
local threads = {{}}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("offset", thread_count * 7)
  table.insert(threads, thread)
end

function init(args)
  counter = offset or 0
  statuses = {{}}
  cache_hits = 0
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  path = string.gsub(path, "{{page}}", tostring((counter * 7) % pages + 1))
  path = string.gsub(path, "{{slug}}", slugs[(counter * 13) % #slugs + 1])
  return wrk.format("GET", path)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if headers["X-Library-Cache"] == "hit" then
    cache_hits = cache_hits + 1
  end
end

function done(summary, latency, requests)
  local total = {{}}
  local hits = 0
  for _, thread in ipairs(threads) do
    hits = hits + thread:get("cache_hits")
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  io.write(string.format("cache hits: %d\\n", hits))
  for status, n in pairs(total) do
    io.write(string.format("status %d: %d\\n", status, n))
  end
  for _, p in ipairs({{50, 90, 99}}) do
    io.write(string.format("latency p%d: %.1f ms\\n", p, latency:percentile(p) / 1000))
  end
end
"""


def parse_cache_hits(output: str) -> int | None:
    """Answers served from the library cache (``X-Library-Cache: hit``), as the script counted."""
    found = re.search(r"^cache hits: (\d+)$", output, re.MULTILINE)
    return int(found.group(1)) if found else None


def parse_statuses(output: str) -> dict[int, int]:
    return {int(status): int(n) for status, n in re.findall(r"^status (\d+): (\d+)$", output, re.MULTILINE)}


def sample_slugs(database_url: str, count: int) -> list[str]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT slug FROM casestudies_casestudy WHERE status = 'published' ORDER BY id LIMIT %s",
            [count * 997],
        ).fetchall()
    return [row[0] for row in rows[:: max(1, len(rows) // count)]][:count]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=60, help="Seconds of load (default 60).")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32).")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2).")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn workers.")
    parser.add_argument("--timeout", type=int, default=10, help="wrk's per-request timeout in seconds (default 10).")
    add_library_cache_option(parser)
    args = parser.parse_args(argv)
    bench_run.LIBRARY_CACHE_SECONDS = args.library_cache_seconds

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point to PostgreSQL (e.g. postgres://postgres@127.0.0.1:5432/ctl_bench).")
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian package wrk).")
    paths = mixed_paths()
    slugs = sample_slugs(database_url, DETAILS)
    collect_static()
    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        for path in {filled(path, slugs[0]) for path in paths} | {filled(paths[0], slugs[-1], PAGES)}:
            status, _size = http_get(port, path)
            if status != 200:
                print(f"{path} answered {status} before the load started", file=sys.stderr)
                return 1
        with tempfile.TemporaryDirectory(prefix="ctl-load-") as workdir:
            script = Path(workdir) / "mix.lua"
            script.write_text(lua_script(paths, slugs))
            command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s"]
            command += ["--latency", "--timeout", f"{args.timeout}s", "-s", str(script)]
            command += [arg for name, value in HEADERS.items() for arg in ("-H", f"{name}: {value}")]
            command.append(f"http://{HOST}:{port}/")
            output = subprocess.run(
                command, capture_output=True, text=True, timeout=args.duration + 120, check=True
            ).stdout
    finally:
        stop(server)
    result = parse_wrk(output)
    statuses = parse_statuses(output)
    hits = parse_cache_hits(output)
    print(output)
    print(f"Machine: {machine_description()}")
    print(
        f"gunicorn workers: {args.workers}; library cache: {library_cache_mode()}; {len(paths)} URLs in each "
        f"round of the mix, {{page}} cycling through {PAGES} pages and {{slug}} through {len(slugs)} case studies:"
    )
    for path in paths:
        print(f"  {path}")
    print(
        f"\n{result.requests_per_second:.1f} requests/s, {result.requests} requests, "
        f"p50 {result.latency_p50_ms or 0:.1f} ms; statuses {dict(sorted(statuses.items()))}; "
        f"answered from the library cache: {hits if hits is not None else '?'}; "
        f"errors: {result.non_2xx} non-2xx/3xx + socket errors {result.socket_errors or 'none'} = {result.errors}"
    )
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
