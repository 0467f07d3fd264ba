"""The load test's pure pieces: the URL mix, the wrk Lua script and its per-status counts."""

from __future__ import annotations

from bench.load_test import filled, lua_script, mixed_paths, parse_cache_hits, parse_statuses


def test_mix_has_api_and_html_lists_searches_facets_and_details() -> None:
    paths = [filled(path, "case-a") for path in mixed_paths()]
    assert "/api/v1/case-studies/?page=1" in paths
    assert any(p.startswith("/api/v1/case-studies/?q=") for p in paths)
    assert any(p.startswith("/api/v1/case-studies/facets/?") for p in paths)
    assert any(p.startswith("/case-studies/?") for p in paths)
    assert {"/api/v1/case-studies/case-a/", "/case-studies/case-a/"} <= set(paths)


def test_placeholders_are_filled_with_a_page_and_a_slug() -> None:
    assert filled("/x/?page={page}", "s", 7) == "/x/?page=7"
    assert filled("/x/{slug}/", "case-b") == "/x/case-b/"


def test_lua_script_rotates_through_every_path_and_fills_pages_and_slugs() -> None:
    script = lua_script(["/a/?page={page}", "/b/{slug}/"], ["one", "two"], pages=9)
    assert '"/a/?page={page}",\n  "/b/{slug}/"' in script
    assert '"one",\n  "two"' in script
    assert "local pages = 9" in script
    assert "paths[(counter % #paths) + 1]" in script
    assert 'string.gsub(path, "{page}"' in script and 'string.gsub(path, "{slug}"' in script


def test_lua_script_escapes_quotes_in_paths() -> None:
    assert r'"/q/?s=\"x\""' in lua_script(['/q/?s="x"'], ["s"])


def test_status_counts_are_read_from_the_scripts_report() -> None:
    output = "Requests/sec: 10.0\nstatus 200: 580\nstatus 503: 2\nlatency p50: 12.0 ms\n"
    assert parse_statuses(output) == {200: 580, 503: 2}


def test_cache_hits_are_counted_by_the_script_and_read_back() -> None:
    assert 'headers["X-Library-Cache"] == "hit"' in lua_script(["/a/"], ["s"])
    assert parse_cache_hits("status 200: 9\ncache hits: 7\n") == 7
    assert parse_cache_hits("status 200: 9\n") is None
