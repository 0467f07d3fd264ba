"""'Councils like mine' in the browser: with and without JavaScript, accessible at 1280 and 390 px,
reflowing at 320 px (the factory library of tests/browser/conftest.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGE = "/councils-like-mine/"
LIKE_MINE_PAGES = [
    PAGE,
    f"{PAGE}?council=greater-unitary",  # results, a predecessor's first
    f"{PAGE}?council=Council",  # several match: choose one
    f"{PAGE}?council=Atlantis",  # none: the error summary
]
OVERFLOW = "document.documentElement.scrollWidth > window.innerWidth"


def _results(page) -> list[str]:
    return page.locator("#results ~ ol .ctl-card__title").all_inner_texts()


def _find_case_studies_like(page, name: str) -> None:
    """Send the form and wait for the page it leads to (a GET form: a new page, with or without
    JavaScript), so that what follows reads that page and not the one being left."""
    page.get_by_label("Which council are you?").fill(name)
    with page.expect_navigation():
        page.get_by_role("button", name="Find case studies").click()


@pytest.mark.parametrize("javascript", [False, True])
def test_an_officer_finds_case_studies_from_councils_like_theirs(live_server, library, browser, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Councils like mine: case studies from councils like yours").click()
    _find_case_studies_like(page, "Greater Unitary Council")
    assert "council=Greater+Unitary+Council" in page.url
    expect(page.get_by_role("heading", name="Case studies from councils like Greater Unitary Council")).to_be_visible()
    assert _results(page)[0] == "Old Market single workforce"
    why = page.locator("#results ~ ol .ctl-card").first.inner_text()
    assert "Why: Old Market District Council: a predecessor of Greater Unitary Council, also in the South East." in why
    context.close()


def test_a_name_matching_several_councils_offers_them_without_javascript(live_server, library, page_without_js):
    page = page_without_js
    page.goto(live_server.url + PAGE)
    _find_case_studies_like(page, "Council")
    page.get_by_role("link", name="Riverside District Council").click()
    expect(
        page.get_by_role("heading", name="Case studies from councils like Riverside District Council")
    ).to_be_visible()
    assert "Shire commissioning proposal" in _results(page)


def test_an_unknown_council_shows_the_error_summary_that_leads_to_the_field(live_server, library, page):
    page.goto(live_server.url + PAGE)
    _find_case_studies_like(page, "Atlantis")
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "No current UK council is called “Atlantis”" in summary.inner_text()
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "council"


def test_the_field_offers_every_current_council_to_choose_from(live_server, library, page):
    page.goto(live_server.url + PAGE)
    options = page.locator("#council-names option").evaluate_all("options => options.map(o => o.value)")
    assert "Greater Unitary Council" in options
    assert "Old Market District Council" not in options  # abolished
    assert page.get_by_label("Which council are you?").get_attribute("list") == "council-names"


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", LIKE_MINE_PAGES)
def test_councils_like_mine_has_no_accessibility_violations(live_server, library, page, axe_check, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert axe_check(page) == []
    assert page.csp_violations == []


@pytest.mark.parametrize("path", LIKE_MINE_PAGES)
def test_councils_like_mine_reflows_at_320_px_without_horizontal_scrolling(live_server, library, page, path):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(live_server.url + path)
    assert not page.evaluate(OVERFLOW), page.evaluate("document.documentElement.scrollWidth")
