"""Benchmark: our endpoints through gunicorn, side by side with the raw SQL + orjson limit.

Usage (``make bench`` runs this):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctl_bench .venv/bin/python bench/run.py \
        [--requests 50] [--wrk-duration 30] [--generate] [--datasette] [--workloads | --scenarios]

Without ``--workloads`` or ``--scenarios`` it runs both: first the scenarios described below, then
issue 17's workloads (bench/workloads.py: crawls, searches, filtered list, finder, detail harvest,
ours cold and as deployed beside Datasette, written to bench/results/workloads.md).

Steps: check that DATABASE_URL is PostgreSQL holding the synthetic library (or generate it);
collect static files; start gunicorn (config.wsgi, 2 × cores + 1 workers, DEBUG off) on a free
loopback port; for each scenario in bench/scenarios.py, after warm-up requests (5 per worker, 5
raw), measure p50/p95 over N sequential requests and the raw baseline in this process; count SQL
queries per request in-process; sample the gunicorn workers' RSS while the CSV streams; run wrk
on the scenarios marked for it; optionally the same with Datasette over a SQLite export
(bench/datasette.py). Writes bench/results/latest.md and prints it. Only 127.0.0.1.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
BENCH_SECRET = "bench-only-secret-key-not-for-production-use-0123456789"
# Sent with every request so that a deployment-style HTTPS redirect (SECURE_PROXY_SSL_HEADER) is not hit.
HEADERS = {"X-Forwarded-Proto": "https", "Accept": "*/*"}

sys.path.insert(0, str(ROOT))


# --- pure helpers (unit-tested in tests/bench/test_bench_harness.py) -------------------------------


def percentile(values: Iterable[float], pct: float) -> float:
    """The pct-th percentile with linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    if not 0 <= pct <= 100:
        raise ValueError("pct must be between 0 and 100")
    position = (len(ordered) - 1) * pct / 100
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


@dataclass
class WrkResult:
    requests_per_second: float
    requests: int
    non_2xx: int = 0
    socket_errors: dict[str, int] = field(default_factory=dict)
    latency_p50_ms: float | None = None
    latency_p99_ms: float | None = None

    @property
    def errors(self) -> int:
        return self.non_2xx + sum(self.socket_errors.values())


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output: str) -> WrkResult:
    """Requests/s, request count, non-2xx/3xx responses and socket errors from wrk's report."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    if not rps or not total:
        raise ValueError("not a wrk report:\n" + output)
    result = WrkResult(requests_per_second=float(rps.group(1)), requests=int(total.group(1)))
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result.non_2xx = int(match.group(1))
    if match := re.search(r"Socket errors:\s+(.+)", output):
        result.socket_errors = {name: int(n) for name, n in re.findall(r"(\w+) (\d+)", match.group(1))}
    if match := re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE):
        result.latency_p50_ms = float(match.group(1)) * _UNIT_MS[match.group(2)]
    if match := re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE):
        result.latency_p99_ms = float(match.group(1)) * _UNIT_MS[match.group(2)]
    return result


def ratio(ours: float | None, raw: float | None) -> str:
    if not ours or not raw:
        return "–"
    return f"{ours / raw:.1f}×"


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


@dataclass
class ScenarioResult:
    name: str
    path: str
    status: str = "ok"
    ours_p50: float | None = None
    ours_p95: float | None = None
    raw_p50: float | None = None
    raw_p95: float | None = None
    queries: int | None = None
    bytes: int | None = None


def render_markdown(
    results: list[ScenarioResult],
    wrk: dict[str, WrkResult],
    csv_memory_mb: float | None,
    machine: str,
    commands: list[str],
    requests: int,
) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine}",
        "",
        f"Library cache (LIBRARY_CACHE_SECONDS): {library_cache_mode()}",
        "",
        f"Latency over {requests} sequential requests through gunicorn (ms), against the raw baseline "
        "(one hand-written SQL query through psycopg + orjson, same process).",
        "",
        "| scenario | ours p50 | ours p95 | raw p50 | raw p95 | ours/raw (p50) | SQL queries | status |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        queries = "–" if r.queries is None else str(r.queries)
        lines.append(
            f"| {r.name} | {ms(r.ours_p50)} | {ms(r.ours_p95)} | {ms(r.raw_p50)} | {ms(r.raw_p95)} "
            f"| {ratio(r.ours_p50, r.raw_p50)} | {queries} | {r.status} |"
        )
    if wrk:
        lines += ["", "Throughput (wrk, 2 threads, 32 connections):", ""]
        lines += ["| target | requests/s | requests | errors (non-2xx + socket) |", "| --- | ---: | ---: | ---: |"]
        for name, w in wrk.items():
            lines.append(f"| {name} | {w.requests_per_second:.1f} | {w.requests} | {w.errors} |")
    lines += ["", f"CSV export peak RSS growth of a gunicorn worker: {ms(csv_memory_mb)} MB", ""]
    lines += ["Commands:", "", "```", *commands, "```", ""]
    return "\n".join(lines)


def collect_static() -> None:
    """gunicorn serves the static files through WhiteNoise, which needs them collected."""
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        env=bench_env(),
        check=False,
        timeout=600,
    )


def add_library_cache_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--library-cache-seconds",
        type=int,
        default=None,
        help="LIBRARY_CACHE_SECONDS for the server; 0 = every request computes its answer (default: the app's).",
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- measuring -----------------------------------------------------------------------------------


def http_get(port: int, path: str, timeout: float = 120.0) -> tuple[int, int]:
    """GET on loopback, reading the whole body; returns (status, bytes)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
        return response.status, size
    finally:
        connection.close()


def timed(run: Callable[[], object], count: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        run()
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def raw_runner(conninfo: str, sql: str, kind: str) -> Callable[[], int]:
    import orjson
    import psycopg
    from psycopg.rows import dict_row

    # As the application's connections run by default (JIT off: config/settings.py, DATABASE_JIT),
    # so that both sides get the same executor; the raw side has no statement timeout.
    connection = psycopg.connect(conninfo, autocommit=True, options="-c jit=off")

    if kind == "csv":

        def run() -> int:
            sink = io.StringIO()
            writer = csv.writer(sink)
            with connection.transaction(), connection.cursor(name="bench_csv") as cursor:
                cursor.itersize = 2000
                cursor.execute(sql)
                for row in cursor:
                    writer.writerow(row)
                    if sink.tell() > 1 << 20:
                        sink.seek(0)
                        sink.truncate()
            return 0

        return run

    def run() -> int:
        with connection.cursor(row_factory=dict_row) as cursor:
            cursor.execute(sql)
            return len(orjson.dumps(cursor.fetchall(), default=str))

    return run


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(entry.name))
    return pids


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def csv_peak_growth(master: int, port: int, path: str) -> float:
    """Stream the CSV once while sampling every worker's RSS; the largest growth over its start."""
    workers = worker_pids(master)
    start = {pid: rss_mb(pid) for pid in workers}
    peak = dict(start)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in workers:
                peak[pid] = max(peak[pid], rss_mb(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        http_get(port, path, timeout=600)
    finally:
        done.set()
        sampler.join(timeout=5)
    return max(peak[pid] - start[pid] for pid in workers) if workers else 0.0


def run_wrk(port: int, path: str, duration: int) -> WrkResult:
    command = ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", "--timeout", "10s"]
    command += [arg for name, value in HEADERS.items() for arg in ("-H", f"{name}: {value}")]
    command.append(f"http://{HOST}:{port}{path}")
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    return parse_wrk(output)


# --- setting up ----------------------------------------------------------------------------------


# None: the application's default (counts, facets and anonymous responses cached, as deployed);
# 0: every request computes its answer (the cold path). Set by --library-cache-seconds.
LIBRARY_CACHE_SECONDS: int | None = None


def library_cache_mode() -> str:
    if LIBRARY_CACHE_SECONDS == 0:
        return "off: every request computes its answer"
    where = "in Redis, shared by the workers" if os.environ.get("REDIS_URL") else "in each worker's memory"
    if LIBRARY_CACHE_SECONDS is None:
        return (
            "the application's default (counts, facets and anonymous responses cached until the library "
            f"changes), {where}"
        )
    return f"{LIBRARY_CACHE_SECONDS} s, {where}"


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=BENCH_SECRET,
        DJANGO_ALLOWED_HOSTS=f"{HOST},testserver",
        DJANGO_LOG_LEVEL="WARNING",
        # Plain HTTP on loopback: in production TLS ends at the load balancer, so don't redirect here.
        DJANGO_SECURE_SSL_REDIRECT="0",
        # The benchmark measures the server, not the anonymous rate limit (which would answer 429).
        API_THROTTLE_ANON="off",
    )
    # The application's default unless a mode sets it: an earlier step of the same run (the
    # scenarios' in-process query counts, say) may have left its own value in this process.
    env.pop("LIBRARY_CACHE_SECONDS", None)
    if LIBRARY_CACHE_SECONDS is not None:
        env["LIBRARY_CACHE_SECONDS"] = str(LIBRARY_CACHE_SECONDS)
    return env


def check_database(database_url: str, minimum: int, generate: bool) -> None:
    import psycopg

    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point to PostgreSQL (e.g. postgres://postgres@127.0.0.1:5432/ctl_bench).")
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=bench_env(), check=True, timeout=1800)
    with psycopg.connect(database_url) as connection:
        count = connection.execute(
            "SELECT count(*) FROM casestudies_casestudy WHERE slug LIKE 'synthetic-%%'"
        ).fetchone()[0]
    if count >= minimum:
        return
    if not generate:
        sys.exit(
            f"The database holds {count} synthetic case studies, fewer than {minimum}. Run "
            f"`bench/generate.py --case-studies {minimum}` or pass --generate."
        )
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--case-studies", str(minimum), "--seed", "42"],
        env=bench_env(),
        check=True,
        timeout=7200,
    )


# As docs/deployment.md runs it: 2 × cores + 1 sync workers.
DEFAULT_WORKERS = 2 * (os.cpu_count() or 1) + 1
# Requests before the timed ones, per gunicorn worker (ours) and for the raw connection, so that
# both sides are measured as a server that has been running a while: each worker has connected
# to PostgreSQL and PostgreSQL keeps the plans of repeated statements (psycopg prepares the raw
# query after five runs; PL/pgSQL keeps a function's plans per connection).
WARMUP_PER_WORKER = 5


def start_gunicorn(port: int, workers: int = DEFAULT_WORKERS) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--timeout",
        "600",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=bench_env(), start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn exited during start-up; see its output above.")
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    sys.exit("gunicorn did not start listening within 60 s.")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def count_queries(paths: list[str]) -> dict[str, int | None]:
    """SQL queries per request, measured in-process with Django's test client."""
    os.environ.update(bench_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers=HEADERS)
    counts: dict[str, int | None] = {}
    for path in paths:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, secure=True)
            if response.streaming:
                for _chunk in response.streaming_content:
                    pass
        counts[path] = len(captured) if response.status_code == 200 else None
    connection.close()
    return counts


def sample_slug(database_url: str) -> str:
    import psycopg

    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            "SELECT slug FROM casestudies_casestudy WHERE status = 'published' AND slug LIKE 'synthetic-%%' "
            "ORDER BY slug LIMIT 1 OFFSET 500"
        ).fetchone()
    return row[0] if row else "missing"


def machine_description() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        total_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {total_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{platform.node()}: {cpu} × {os.cpu_count()}{memory}; Python {platform.python_version()}"


# --- optional: Datasette over a SQLite export ----------------------------------------------------


def datasette_throughput(database_url: str, duration: int) -> dict[str, WrkResult] | str:
    """wrk against Datasette serving the filtered list's rows from SQLite (bench/datasette.py),
    without and with their total; a reason string if unavailable."""
    from bench import datasette

    binary = datasette.install()
    if isinstance(binary, str):
        return binary
    db_path = datasette.WORKDIR / f"{datasette.DATABASE}.db"
    datasette.export(database_url, db_path)
    queries = {
        "Datasette: same filtered rows (SQLite)": datasette.FILTERED_ROWS,
        "Datasette: same rows and their total (SQLite)": datasette.FILTERED_ROWS_AND_TOTAL,
    }
    results: dict[str, WrkResult] = {}
    with datasette.serve(binary, db_path) as port:
        for name, query in queries.items():
            path = datasette.sql_path(query)
            status, _size = http_get(port, path)
            if status != 200:
                return f"datasette answered {status}"
            results[name] = run_wrk(port, path, duration)
    return results


# --- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=50, help="Sequential requests per scenario (default 50).")
    parser.add_argument("--csv-requests", type=int, default=3, help="Requests for the CSV scenario (default 3).")
    parser.add_argument("--wrk-duration", type=int, default=30, help="Seconds per wrk run (default 30).")
    parser.add_argument("--min-cases", type=int, default=100_000, help="Synthetic case studies required.")
    parser.add_argument("--generate", action="store_true", help="Generate the synthetic data if missing.")
    parser.add_argument(
        "--datasette", action="store_true", help="Scenarios: also measure Datasette on the filtered list."
    )
    parser.add_argument("--only", action="append", default=[], help="Run only scenarios whose name contains this.")
    parser.add_argument(
        "--workers", type=int, default=DEFAULT_WORKERS, help=f"gunicorn workers (default {DEFAULT_WORKERS})."
    )
    add_library_cache_option(parser)
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--workloads", action="store_true", help="Only issue 17's workloads (bench/workloads.py), not the scenarios."
    )
    which.add_argument("--scenarios", action="store_true", help="Only the scenarios, not issue 17's workloads.")
    workloads = parser.add_argument_group("issue 17's workloads (bench/workloads.py)")
    workloads.add_argument("--crawl-pages", type=int, default=4000, help="Pages of each crawl (default 4000).")
    workloads.add_argument("--details", type=int, default=2000, help="Case studies of the detail harvest (2000).")
    workloads.add_argument(
        "--walk-cap", type=int, default=900, help="Seconds after which a walk of distinct URLs is cut off (900)."
    )
    workloads.add_argument(
        "--facet-runs", type=int, default=20, help="In-process finder requests timed per page (default 20; 0: none)."
    )
    workloads.add_argument(
        "--mode",
        action="append",
        choices=("cold", "deployed"),
        help="Our server's modes (default both: cold, then as deployed).",
    )
    workloads.add_argument("--no-datasette", action="store_true", help="Workloads without Datasette's side.")
    workloads.add_argument(
        "--workload",
        action="append",
        default=[],
        help="Only workloads whose key contains this: crawl-pages, crawl-cursor, crawl-keyset, search, "
        "filtered, finder, details, deep, facets (repeatable).",
    )
    args = parser.parse_args(argv)
    global LIBRARY_CACHE_SECONDS
    LIBRARY_CACHE_SECONDS = args.library_cache_seconds

    database_url = os.environ.get("DATABASE_URL", "")
    check_database(database_url, args.min_cases, args.generate)
    commands = [
        f"DATABASE_URL={re.sub(r'//[^@/]*@', '//…@', database_url)} make bench",
        "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
    ]
    if not args.workloads:
        run_scenarios(args, database_url, commands)
    if not args.scenarios:
        if shutil.which("wrk") is None:
            sys.exit("wrk is not installed (Debian package wrk); the workloads need it.")
        from bench.workloads import WorkloadArgs, run_workloads

        report = run_workloads(
            database_url,
            WorkloadArgs(
                crawl_pages=args.crawl_pages,
                details=args.details,
                wrk_duration=args.wrk_duration,
                walk_cap=args.walk_cap,
                requests=args.requests,
                facet_runs=args.facet_runs,
                workers=args.workers,
                modes=tuple(args.mode or ("cold", "deployed")),
                datasette=not args.no_datasette,
                only=args.workload,
            ),
            commands,
        )
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "workloads.md").write_text(report)
        print(report)
    return 0


def run_scenarios(args: argparse.Namespace, database_url: str, commands: list[str]) -> None:
    """The scenarios of bench/scenarios.py against their raw SQL; writes bench/results/latest*.md."""
    from bench.scenarios import SCENARIOS

    scenarios = [s for s in SCENARIOS if not args.only or any(part in s.name for part in args.only)]
    slug = sample_slug(database_url)
    collect_static()
    port = free_port()
    server = start_gunicorn(port, args.workers)
    results: list[ScenarioResult] = []
    wrk: dict[str, WrkResult] = {}
    csv_memory: float | None = None
    try:
        for scenario in scenarios:
            path = scenario.path.replace("{slug}", slug)
            sql = scenario.raw_sql.replace("{slug}", slug)
            result = ScenarioResult(scenario.name, path)
            count = args.csv_requests if scenario.kind == "csv" else args.requests
            print(f"… {scenario.name}: {path}", file=sys.stderr)
            status, size = http_get(port, path)
            if status != 200:
                result.status = f"HTTP {status}"
                if status in (301, 302, 308):
                    print(f"  {path} redirects: is an HTTPS redirect on? (DJANGO_SECURE_SSL_REDIRECT)", file=sys.stderr)
            else:
                result.bytes = size
                warmup = 1 if scenario.kind == "csv" else args.workers * WARMUP_PER_WORKER
                samples = timed(lambda path=path: http_get(port, path), count, warmup=warmup)
                result.ours_p50, result.ours_p95 = percentile(samples, 50), percentile(samples, 95)
                if scenario.kind == "csv":
                    csv_memory = csv_peak_growth(server.pid, port, path)
            raw = raw_runner(database_url, sql, scenario.kind)
            raw_samples = timed(raw, count, warmup=1 if scenario.kind == "csv" else WARMUP_PER_WORKER)
            result.raw_p50, result.raw_p95 = percentile(raw_samples, 50), percentile(raw_samples, 95)
            results.append(result)
            if scenario.wrk and status == 200:
                print(f"… wrk {args.wrk_duration}s: {path}", file=sys.stderr)
                wrk[f"ours: {scenario.name}"] = run_wrk(port, path, args.wrk_duration)
    finally:
        stop(server)
    counts = count_queries([r.path for r in results if r.status == "ok"])
    for result in results:
        result.queries = counts.get(result.path)
    if args.datasette:
        if shutil.which("wrk") is None:
            print("wrk not installed; skipping Datasette", file=sys.stderr)
        else:
            outcome = datasette_throughput(database_url, args.wrk_duration)
            if isinstance(outcome, dict):
                wrk.update(outcome)
            else:
                print(outcome, file=sys.stderr)
    report = render_markdown(results, wrk, csv_memory, machine_description(), commands, args.requests)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "latest.md" if LIBRARY_CACHE_SECONDS is None else f"latest-cache-{LIBRARY_CACHE_SECONDS}s.md"
    (RESULTS / name).write_text(report)
    print(report)


if __name__ == "__main__":
    sys.exit(main())
