"""The load test's pure pieces: the URL mix, the wrk Lua script and its per-status counts."""

from __future__ import annotations

from bench.load_test import lua_script, mixed_paths, parse_statuses


def test_mix_has_api_and_html_lists_searches_facets_and_details() -> None:
    paths = mixed_paths(["case-a", "case-b"])
    assert "/api/v1/case-studies/" in paths
    assert any(p.startswith("/api/v1/case-studies/?q=") for p in paths)
    assert any(p.startswith("/api/v1/case-studies/facets/?") for p in paths)
    assert any(p.startswith("/case-studies/?") for p in paths)
    assert {"/api/v1/case-studies/case-a/", "/case-studies/case-b/"} <= set(paths)


def test_lua_script_rotates_through_every_path() -> None:
    script = lua_script(["/a/", "/b/?x=1&y=2"])
    assert '"/a/",\n  "/b/?x=1&y=2"' in script
    assert "paths[(counter % #paths) + 1]" in script


def test_lua_script_escapes_quotes_in_paths() -> None:
    assert r'"/q/?s=\"x\""' in lua_script(['/q/?s="x"'])


def test_status_counts_are_read_from_the_scripts_report() -> None:
    output = "Requests/sec: 10.0\nstatus 200: 580\nstatus 503: 2\nlatency p50: 12.0 ms\n"
    assert parse_statuses(output) == {200: 580, 503: 2}
