"""A database that cannot answer (a statement past the timeout, or no database at all) is the
site's own 503 with Retry-After: HTML for pages, JSON for the API; the site recovers by itself
(config/database_outage.py, DATABASE_STATEMENT_TIMEOUT_MS). Real PostgreSQL, real sockets."""

from __future__ import annotations

import copy
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

from config.settings import with_statement_timeout
from tests.factories import CaseStudyFactory
from tests.helpers.tcp_proxy import TCPProxy

pytestmark = pytest.mark.postgres

SLOW_URLS = "tests.helpers.failing_urls"


@pytest.fixture
def reconnect(transactional_db) -> Iterator[Callable[..., None]]:
    """Reopen the default connection with changed settings (restored afterwards)."""
    original = copy.deepcopy(connection.settings_dict)

    def apply(**changes) -> None:
        connection.close()
        connection.settings_dict.update(changes)

    yield apply
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(original)


@pytest.fixture
def dead_port() -> int:
    with socket.socket() as sock:  # bound then closed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def tiny_timeout(reconnect) -> None:
    options = {k: v for k, v in connection.settings_dict.get("OPTIONS", {}).items() if k != "options"}
    reconnect(
        OPTIONS=with_statement_timeout({"ENGINE": connection.settings_dict["ENGINE"], "OPTIONS": options}, 100)[
            "OPTIONS"
        ]
    )


def assert_503_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert "Sorry, the service is unavailable" in content
    assert "Traceback" not in content and "statement" not in content and "connection" not in content


def assert_503_json(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"] == "application/json"
    assert "Try again" in response.json()["detail"]


def statement_timeout_of(*code: str, env: dict[str, str] | None = None) -> str:
    """``statement_timeout`` of a connection opened by a fresh process that runs ``code`` first."""
    return setting_of("statement_timeout", *code, env=env)


def setting_of(name: str, *code: str, env: dict[str, str] | None = None) -> str:
    """The PostgreSQL setting ``name`` of a connection opened by a fresh process that runs ``code`` first."""
    script = "; ".join(
        [
            *code,
            "from django.db import connection",
            "cursor = connection.cursor()",
            f"cursor.execute(\"SELECT setting FROM pg_settings WHERE name = '{name}'\")",
            "print(cursor.fetchone()[0])",
        ]
    )
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_STATEMENT_TIMEOUT_MS", "DATABASE_JIT")}
    db = connection.settings_dict
    environment["DATABASE_URL"] = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    environment.update(env or {})
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=120, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def test_web_connections_carry_the_statement_timeout(db) -> None:
    assert statement_timeout_of("import config.wsgi") == "5000"  # the default
    assert statement_timeout_of("import config.wsgi", env={"DATABASE_STATEMENT_TIMEOUT_MS": "250"}) == "250"


def test_web_connections_run_without_the_jit_compiler_unless_asked(db) -> None:
    """JIT compiling is for long analytical statements; ours are estimated costly but run in
    milliseconds, and compiling them took longer than running them (docs/performance.md)."""
    assert setting_of("jit", "import config.wsgi") == "off"
    assert setting_of("jit", "import config.wsgi", env={"DATABASE_JIT": "on"}) == "on"
    assert setting_of("jit", "import config.wsgi", env={"DATABASE_JIT": ""}) == "on"  # the server's default


def test_management_commands_run_without_it(db, settings) -> None:
    """manage.py exempts commands (migrate, load_library, restore…) unless the environment says otherwise."""
    manage = (
        "import sys",
        "sys.argv = ['manage.py', 'shell', '-c', 'pass']",
        f"import os; os.chdir({str(settings.BASE_DIR)!r}); sys.path.insert(0, os.getcwd())",
        "import manage; manage.main()",
    )
    assert statement_timeout_of(*manage) == "0"
    assert statement_timeout_of(*manage, env={"DATABASE_STATEMENT_TIMEOUT_MS": "250"}) == "250"


@pytest.mark.urls(SLOW_URLS)
def test_a_page_whose_query_outlasts_the_timeout_is_the_sites_503(client, tiny_timeout) -> None:
    assert_503_page(client.get("/slow/"))


@pytest.mark.urls(SLOW_URLS)
def test_an_api_request_whose_query_outlasts_the_timeout_is_a_json_503(client, tiny_timeout) -> None:
    assert_503_json(client.get("/api/v1/slow/"))


@pytest.mark.parametrize("path", ["/", "/case-studies/?model=sharing", "/councils/"])
def test_pages_answer_503_when_the_database_is_unreachable(client, reconnect, dead_port, path) -> None:
    reconnect(PORT=dead_port)
    assert_503_page(client.get(path))


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/case-studies/",
        "/api/v1/case-studies/?format=csv",
        "/api/v1/figures/?format=csv",
        "/api/v1/case-studies/facets/",
        "/api/v1/councils/x/",
    ],
)
def test_the_api_answers_json_503_when_the_database_is_unreachable(client, reconnect, dead_port, path) -> None:
    reconnect(PORT=dead_port)
    assert_503_json(client.get(path))


def test_a_curators_request_is_503_too_when_the_database_is_unreachable(curator_client, reconnect, dead_port) -> None:
    """Loading the session fails in a middleware, before any view: handler500 answers the 503."""
    reconnect(PORT=dead_port)
    curator_client.raise_request_exception = False
    assert_503_page(curator_client.get("/case-studies/"))


def wsgi_get(app: WSGIHandler, path: str) -> tuple[int, dict[str, str], bytes]:
    """GET ``path`` as a WSGI server would. Unlike the test client, this runs Django's per-request
    connection handling (``close_old_connections`` when a request starts and ends), which is what
    lets a real server drop a broken connection and open a new one."""
    environ = {"PATH_INFO": path, "HTTP_HOST": "testserver", "SERVER_NAME": "testserver"}
    setup_testing_defaults(environ)
    status_and_headers: list = []
    result = app(environ, lambda status, headers, exc_info=None: status_and_headers.extend([status, headers]))
    try:
        body = b"".join(result)
    finally:
        result.close()
    status, headers = status_and_headers
    return int(status.split()[0]), dict(headers), body


def test_the_site_recovers_by_itself_when_the_database_returns(reconnect, settings) -> None:
    settings.LIBRARY_CACHE_SECONDS = 0  # every request asks the database
    CaseStudyFactory(slug="still-here")
    proxy = TCPProxy((connection.settings_dict["HOST"] or "127.0.0.1", int(connection.settings_dict["PORT"] or 5432)))
    reconnect(HOST="127.0.0.1", PORT=proxy.start().port)
    app = WSGIHandler()
    try:
        assert wsgi_get(app, "/case-studies/still-here/")[0] == 200
        proxy.stop()  # the database goes away: open connections drop, new ones are refused
        status, headers, body = wsgi_get(app, "/case-studies/still-here/")
        assert (status, headers["Retry-After"]) == (503, "30") and b"Sorry, the service is unavailable" in body
        status, headers, body = wsgi_get(app, "/api/v1/case-studies/")
        assert (status, headers["Content-Type"]) == (503, "application/json")
        proxy.start()  # back, on the same address; nothing restarted, no setting changed
        assert wsgi_get(app, "/case-studies/still-here/")[0] == 200
        assert wsgi_get(app, "/api/v1/case-studies/")[0] == 200
    finally:
        proxy.stop()
