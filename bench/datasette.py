"""Datasette, the benchmark's yardstick: a throwaway install, a SQLite export of the library, its URLs.

Datasette is never a dependency of the project: ``install()`` puts it in a virtual environment of
its own under the benchmark's work directory (``/tmp/ctl-bench-datasette``), and ``export()``
writes the published case studies of the PostgreSQL library, with their links, to a SQLite file
that ``serve()`` hands to ``datasette serve --immutable`` with facet suggestions off: Datasette at
its fastest (its SQL time limit raised to 20 s, so that a busy machine slows it rather than failing
it). The export carries what our list, search and detail answer from:

* ``casestudy``: one row per published case study, the headline annual saving computed as we
  compute it (``bench.scenarios.headline_saving``), body included; ``casestudy_fts``: FTS5 over
  title + summary + body (porter stemming, like PostgreSQL's ``english`` configuration), ranked by
  FTS5's ``rank``;
* the link tables ``casestudy_model``, ``casestudy_council``, ``casestudy_service_area`` and the
  rows of the detail, ``figure``, ``outcome``, ``contact`` (public contacts only), every one
  indexed on its case study, and the filter's columns indexed with it.

The export is rebuilt when the library changes (a stamp of counts and the last update beside the
file) or ``EXPORT_VERSION`` does; otherwise the previous file is reused.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
WORKDIR = Path("/tmp/ctl-bench-datasette")
REQUIREMENT = "datasette==0.65.5"
DATABASE = "library"  # the SQLite file's name, which is Datasette's database name in its URLs
EXPORT_VERSION = 2  # bump when the export's tables change, so an old file is not reused

SCHEMA = """
CREATE TABLE casestudy (id INTEGER PRIMARY KEY, slug TEXT NOT NULL, title TEXT, summary TEXT, body TEXT,
    start_year INT, end_year INT, is_ongoing INT, stage TEXT, partnership TEXT, programme TEXT,
    source_section TEXT, headline_annual_saving INT);
CREATE TABLE casestudy_model (case_study_id INT, model TEXT, is_primary INT, display_order INT);
CREATE TABLE casestudy_council (case_study_id INT, slug TEXT, council TEXT, council_type TEXT, region TEXT,
    role TEXT, position INT);
CREATE TABLE casestudy_service_area (case_study_id INT, service_area TEXT, name TEXT);
CREATE TABLE figure (case_study_id INT, position INT, council TEXT, kind TEXT, label TEXT, measure TEXT,
    amount_low INT, amount_high INT, percent_low REAL, percent_high REAL, period TEXT, period_years INT,
    period_start_year INT, period_end_year INT, annualised_low INT, annualised_high INT, status TEXT, quote TEXT);
CREATE TABLE outcome (case_study_id INT, position INT, council TEXT, metric TEXT, value REAL, unit TEXT,
    status TEXT, quote TEXT);
CREATE TABLE contact (case_study_id INT, position INT, name TEXT, role TEXT, organisation TEXT, council TEXT,
    email TEXT, published_year INT, last_verified TEXT);
"""

INDEXES = """
CREATE UNIQUE INDEX cs_slug ON casestudy (slug);
CREATE INDEX cs_title ON casestudy (title, id);
CREATE INDEX csm ON casestudy_model (model, case_study_id);
CREATE INDEX csm_case ON casestudy_model (case_study_id);
CREATE INDEX csc_type ON casestudy_council (council_type, case_study_id);
CREATE INDEX csc_region ON casestudy_council (region, case_study_id);
CREATE INDEX csc_case ON casestudy_council (case_study_id);
CREATE INDEX cssa ON casestudy_service_area (service_area, case_study_id);
CREATE INDEX cssa_case ON casestudy_service_area (case_study_id);
CREATE INDEX figure_case ON figure (case_study_id, position);
CREATE INDEX outcome_case ON outcome (case_study_id, position);
CREATE INDEX contact_case ON contact (case_study_id, position);
CREATE VIRTUAL TABLE casestudy_fts USING fts5 (title, summary, body, content='casestudy', content_rowid='id',
    tokenize='porter unicode61');
INSERT INTO casestudy_fts (casestudy_fts) VALUES ('rebuild');
"""

PUBLISHED_LINK = "JOIN casestudies_casestudy cs ON cs.id = {alias}.case_study_id AND cs.status = 'published'"


def _export_queries() -> dict[str, str]:
    """The PostgreSQL statement that fills each SQLite table, in the table's column order."""
    from bench.scenarios import headline_saving

    return {
        "casestudy": f"""SELECT cs.id, cs.slug, cs.title, cs.summary, cs.body, cs.start_year, cs.end_year,
              cs.is_ongoing::int, cs.stage, pa.slug, pr.slug, cs.source_section, {headline_saving("cs")}
         FROM casestudies_casestudy cs
         LEFT JOIN councils_partnership pa ON pa.id = cs.partnership_id
         LEFT JOIN casestudies_programme pr ON pr.id = cs.programme_id
        WHERE cs.status = 'published'""",
        "casestudy_model": f"""SELECT l.case_study_id, m.slug, l.is_primary::int, m.display_order
         FROM casestudies_casestudymodel l {PUBLISHED_LINK.format(alias="l")}
         JOIN transform_models_transformationmodel m ON m.id = l.model_id""",
        "casestudy_council": f"""SELECT l.case_study_id, c.slug, c.name, c.council_type, c.region, l.role, l.position
         FROM casestudies_casestudycouncil l {PUBLISHED_LINK.format(alias="l")}
         JOIN councils_council c ON c.id = l.council_id""",
        "casestudy_service_area": """SELECT l.casestudy_id, s.slug, s.name
         FROM casestudies_casestudy_service_areas l
         JOIN casestudies_casestudy cs ON cs.id = l.casestudy_id AND cs.status = 'published'
         JOIN casestudies_servicearea s ON s.id = l.servicearea_id""",
        "figure": f"""SELECT f.case_study_id, f.position,
              (SELECT min(c.slug) FROM casestudies_figure_applies_to a JOIN councils_council c ON c.id = a.council_id
                WHERE a.figure_id = f.id HAVING count(*) = 1) AS slug,
              f.kind, f.label, f.measure, f.amount_low,
              f.amount_high, f.percent_low::float8, f.percent_high::float8, f.period, f.period_years,
              f.period_start_year, f.period_end_year, f.annualised_low, f.annualised_high, f.status, f.quote
         FROM casestudies_figure f {PUBLISHED_LINK.format(alias="f")}""",
        "outcome": f"""SELECT o.case_study_id, o.position, c.slug, o.metric, o.value::float8, o.unit, o.status, o.quote
         FROM casestudies_outcome o {PUBLISHED_LINK.format(alias="o")}
         LEFT JOIN councils_council c ON c.id = o.council_id""",
        "contact": f"""SELECT k.case_study_id, k.position, k.name, k.role, k.organisation, c.slug, k.email,
              k.published_year, k.last_verified::text
         FROM casestudies_contact k {PUBLISHED_LINK.format(alias="k")}
         LEFT JOIN councils_council c ON c.id = k.council_id
        WHERE k.is_public""",
    }


def _stamp(pg: Any, database_url: str) -> str:
    row = pg.execute(
        "SELECT count(*), max(id), max(updated_at)::text FROM casestudies_casestudy WHERE status = 'published'"
    ).fetchone()
    figures = pg.execute("SELECT count(*), max(id) FROM casestudies_figure").fetchone()
    database = urllib.parse.urlsplit(database_url).path
    return json.dumps([EXPORT_VERSION, database, *row, *figures])


def export(database_url: str, db_path: Path) -> bool:
    """Write the SQLite export unless an up-to-date one is there; True if it was (re)written."""
    import psycopg

    stamp_path = db_path.with_suffix(".stamp")
    with psycopg.connect(database_url) as pg:
        stamp = _stamp(pg, database_url)
        if db_path.exists() and stamp_path.exists() and stamp_path.read_text() == stamp:
            return False
        stamp_path.unlink(missing_ok=True)
        write_export(pg, db_path)
    stamp_path.write_text(stamp)
    return True


def write_export(pg: Any, db_path: Path) -> None:
    """The SQLite file from the PostgreSQL connection ``pg`` (psycopg), replacing any earlier one."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.unlink(missing_ok=True)
    sqlite = sqlite3.connect(db_path)
    try:
        sqlite.executescript(SCHEMA)
        with pg.transaction():
            for table, query in _export_queries().items():
                with pg.cursor(name=f"export_{table}") as cursor:
                    cursor.itersize = 5000
                    cursor.execute(query)
                    columns = len(cursor.description)
                    insert = f"INSERT INTO {table} VALUES ({', '.join('?' * columns)})"
                    while rows := cursor.fetchmany(5000):
                        sqlite.executemany(insert, rows)
        sqlite.executescript(INDEXES)
        sqlite.execute("ANALYZE")
        sqlite.commit()
    finally:
        sqlite.close()


def install(workdir: Path = WORKDIR) -> Path | str:
    """The ``datasette`` executable of the throwaway virtual environment (created if missing), or
    the reason it could not be installed."""
    venv = workdir / "datasette-venv"
    binary = venv / "bin" / "datasette"
    if binary.exists():
        return binary
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    installed = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", REQUIREMENT], capture_output=True, text=True, timeout=900
    )
    if installed.returncode:
        lines = installed.stderr.strip().splitlines() or ["(no output)"]
        return "datasette did not install: " + lines[-1]
    return binary


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def serve(binary: Path, db_path: Path) -> Iterator[int]:
    """``datasette serve --immutable`` on a free loopback port, facet suggestions off; yields the
    port and stops the server afterwards."""
    port = _free_port()
    command = [str(binary), "serve", "--immutable", str(db_path), "-h", HOST, "-p", str(port)]
    # No facet suggestions (work our pages do not do); a time limit no query of the benchmark
    # reaches on a quiet machine, so that a busy one slows Datasette down instead of failing it.
    command += ["--setting", "suggest_facets", "off", "--setting", "sql_time_limit_ms", "20000"]
    server = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise RuntimeError("datasette exited during start-up")
            try:
                socket.create_connection((HOST, port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("datasette did not start listening within 120 s") from None
                time.sleep(0.3)
        yield port
    finally:
        from bench.run import stop

        stop(server)


def sql_path(query: str, **params: str) -> str:
    """The path of Datasette's SQL JSON API for ``query`` with named parameters, rows as an array."""
    return f"/{DATABASE}.json?" + urllib.parse.urlencode({"sql": query, "_shape": "array", **params})


# --- Datasette's side of each workload ----------------------------------------------------------

# The list's columns (ours carries these and more: councils, models, service areas as nested rows).
LIST_COLUMNS = ("slug", "title", "summary", "start_year", "end_year", "is_ongoing", "stage", "headline_annual_saving")
COUNCILS = "(select group_concat(council, '; ') from casestudy_council where case_study_id = cs.id) as councils"
_LIST = ", ".join(f"cs.{column}" for column in LIST_COLUMNS)

# Keyset pages of the table on (title, id), 20 rows, without the count (Datasette at its fastest;
# our cursor pages carry no count either). Followed through each page's ``next_url``.
TABLE_START = f"/{DATABASE}/casestudy.json?" + urllib.parse.urlencode(
    [("_sort", "title"), ("_size", "20"), ("_nocount", "1"), *(("_col", column) for column in LIST_COLUMNS)]
)

# The filtered list (model + council type + region): our FILTER in bench/scenarios.py.
_MATCHING = (
    "exists (select 1 from casestudy_model m where m.case_study_id = cs.id and m.model = 'sharing') and "
    "exists (select 1 from casestudy_council c where c.case_study_id = cs.id and c.council_type = 'district') "
    "and exists (select 1 from casestudy_council c where c.case_study_id = cs.id and c.region = 'south_east')"
)
# SQLite counts fastest with IN lists from the indexes (≈45 ms; EXISTS per row: ≈100 ms).
_COUNTED = (
    "id in (select case_study_id from casestudy_model where model = 'sharing') and "
    "id in (select case_study_id from casestudy_council where council_type = 'district') and "
    "id in (select case_study_id from casestudy_council where region = 'south_east')"
)
FILTERED_ROWS = f"select {_LIST}, {COUNCILS} from casestudy cs where {_MATCHING} order by cs.title, cs.id limit 20"
# Our page also carries the total; Datasette's table pages count too, and this is that work.
FILTERED_ROWS_AND_TOTAL = (
    f"select {_LIST}, {COUNCILS}, (select count(*) from casestudy where {_COUNTED}) as total "
    f"from casestudy cs where {_MATCHING} order by cs.title, cs.id limit 20"
)

# Full-text search, page 1: FTS5 over title + summary + body, best match first (rows only).
SEARCH_ROWS = f"""with hits as (
  select rowid, rank from casestudy_fts where casestudy_fts match :q order by rank limit 20)
select {_LIST}, {COUNCILS} from hits join casestudy cs on cs.id = hits.rowid order by hits.rank"""


def search_path(words: str) -> str:
    """FTS5's query for the words, each a quoted term, all required (as websearch_to_tsquery)."""
    return sql_path(SEARCH_ROWS, q=" ".join('"' + word.replace('"', "") + '"' for word in words.split()))


# A case study's detail: the row and the same links as our detail, each as a JSON array.
DETAIL = """select cs.*,
  (select json_group_array(json_object('slug', slug, 'name', council, 'council_type', council_type,
          'region', region, 'role', role)) from (select * from casestudy_council
     where case_study_id = cs.id order by role, position)) as councils,
  (select json_group_array(model) from (select model from casestudy_model where case_study_id = cs.id
     order by is_primary desc, display_order)) as models,
  (select json_group_array(service_area) from (select service_area from casestudy_service_area
     where case_study_id = cs.id order by name)) as service_areas,
  (select json_group_array(json_object('council', council, 'position', position, 'kind', kind, 'label', label,
          'measure', measure, 'amount_low', amount_low, 'amount_high', amount_high, 'percent_low', percent_low,
          'percent_high', percent_high, 'period', period, 'period_years', period_years,
          'period_start_year', period_start_year, 'period_end_year', period_end_year,
          'annualised_low', annualised_low, 'annualised_high', annualised_high, 'status', status, 'quote', quote))
     from (select * from figure where case_study_id = cs.id order by position)) as figures,
  (select json_group_array(json_object('council', council, 'position', position, 'metric', metric,
          'value', value, 'unit', unit, 'status', status, 'quote', quote))
     from (select * from outcome where case_study_id = cs.id order by position)) as outcomes,
  (select json_group_array(json_object('name', name, 'role', role, 'organisation', organisation,
          'council', council, 'email', email, 'published_year', published_year, 'last_verified', last_verified))
     from (select * from contact where case_study_id = cs.id order by position)) as contacts
from casestudy cs where cs.slug = :slug"""


def detail_path(slug: str) -> str:
    return sql_path(DETAIL, slug=slug)
