"""What a newcomer does, with and without JavaScript, and with the keyboard only."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _results(page) -> list[str]:
    return page.locator("[data-finder-results] .ctl-card__title a").all_inner_texts()


def test_newcomer_finds_filters_opens_and_downloads(live_server, library, page):
    page.goto(live_server.url + "/")
    # The model cards on the home page link to the finder with that model chosen.
    page.get_by_role("link", name="2 case studies using the Sharing model").click()
    page.wait_for_url("**model=sharing**")
    assert page.locator("#model-field").get_by_label("Sharing").is_checked()
    page.locator("#council_type-field").get_by_label("County council").check()
    page.wait_for_url("**council_type=county**")
    page.wait_for_function("document.querySelector('[data-result-count]').textContent.includes('1 case study')")
    assert _results(page) == ["Shire shared back office"]
    csv = page.get_by_role("link", name="Download these results (CSV)")
    # Parameters in name order: the one canonical form of the query (api/parameters.py).
    assert csv.get_attribute("href") == "/api/v1/case-studies/?council_type=county&model=sharing&format=csv"
    page.get_by_role("link", name="Shire shared back office").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shire shared back office")
    assert page.get_by_text("£2m–£3m").count() >= 1
    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these results (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("slug,")
    assert len(lines) == 2
    assert "Shire shared back office" in lines[1]


def test_newcomer_flow_works_without_javascript(live_server, library, page_without_js):
    page = page_without_js
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Find case studies").first.click()
    page.locator("#model-field").get_by_label("Sharing").check()
    page.locator("#council_type-field").get_by_label("County council").check()
    page.get_by_role("button", name="Apply filters").click()
    assert "model=sharing" in page.url and "council_type=county" in page.url
    assert _results(page) == ["Shire shared back office"]
    csv = page.get_by_role("link", name="Download these results (CSV)")
    assert "format=csv" in csv.get_attribute("href")
    page.get_by_role("link", name="Shire shared back office").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shire shared back office")
    # The source sentence is in a native <details>: it opens without JavaScript.
    page.get_by_text("Source sentence").first.click()
    expect(page.get_by_text("Saves £2-3 million a year.")).to_be_visible()


def test_sorting_without_javascript_uses_its_own_button(live_server, library, page_without_js):
    page = page_without_js
    page.goto(live_server.url + "/case-studies/?model=sharing")
    page.get_by_label("Sort by").select_option("-annual_saving")
    page.get_by_role("button", name="Sort").click()
    assert "ordering=-annual_saving" in page.url and "model=sharing" in page.url
    assert _results(page)[0] == "Shire shared back office"


def _tab_to(page, selector: str, limit: int = 150) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with the Tab key")


def test_filters_can_be_used_with_the_keyboard_only(live_server, library, page):
    page.goto(live_server.url + "/case-studies/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    _tab_to(page, "input[name=model][value=sharing]")
    # The focused checkbox is visibly marked (GOV.UK's yellow focus ring).
    focus_ring = page.evaluate(
        "() => getComputedStyle(document.activeElement.nextElementSibling, '::before').boxShadow"
    )
    assert focus_ring and focus_ring != "none"
    page.keyboard.press("Space")
    page.wait_for_url("**model=sharing**")
    page.wait_for_function("document.querySelector('[data-result-count]').textContent.includes('2 case studies')")
    # Focus stays on the checkbox the user toggled.
    assert page.evaluate("document.activeElement.value") == "sharing"
    _tab_to(page, "#year_from")
    page.keyboard.type("2020")
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**year_from=2020**")
    assert "0 case studies found" in page.locator("[data-result-count]").inner_text()
    assert "model=sharing" in page.url


def test_invalid_filter_shows_an_error_summary_that_links_to_the_field(live_server, library, page):
    page.goto(live_server.url + "/case-studies/?year_from=abc")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "year_from"
