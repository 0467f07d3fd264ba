"""What a council officer takes away: comparisons (with and without JavaScript), printing, the live
finder's errors, and pages that reflow on a 320 px screen with charts that stay legible."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser

COMPARE = "/case-studies/compare/?compare=shire-shared-back-office,old-market"

# One of every page type (the 404 page included), with the factory library of tests/browser/conftest.py.
PAGE_TYPES = [
    "/",
    "/case-studies/",
    "/case-studies/?model=nonsense&year_from=abc",
    "/case-studies/shire-shared-back-office/",
    COMPARE,
    "/case-studies/compare/?compare=shire-shared-back-office",
    "/models/",
    "/models/sharing/",
    "/models/compare/",
    "/councils/",
    "/councils/?council_type=northern_ireland_district_and_more",
    "/councils/old-market/",
    "/councils/partnerships/shire-shared/",
    "/surveys/",
    "/surveys/changing-places/",
    "/programmes/delivering-differently/",
    "/themes/",
    "/about-the-data/",
    "/privacy/",
    "/suggest/",
    "/suggest/sent/?reference=S-ABCDEF",
    "/no-such-page/",
]

OVERFLOW = "document.documentElement.scrollWidth > window.innerWidth"

NEW_PAGE_TYPES = [
    "/case-studies/compare/",
    COMPARE,
    "/case-studies/compare/?compare=shire-shared-back-office,old-market,riverside-commissioning,nope,more",
    "/case-studies/?compare=shire-shared-back-office",
    "/case-studies/shire-shared-back-office/?compare=old-market",
    "/suggest/",
    "/suggest/sent/?reference=S-ABCDEF",
]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", NEW_PAGE_TYPES)
def test_new_pages_have_no_accessibility_violations(live_server, library, page, axe_check, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert axe_check(page) == []
    assert page.csp_violations == []


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_page_reflows_at_320_px_without_horizontal_scrolling(live_server, library, page, path):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(live_server.url + path)
    assert not page.evaluate(OVERFLOW), page.evaluate("document.documentElement.scrollWidth")


CURATED_PAGES = [
    "/",
    "/case-studies/",
    "/case-studies/barnet-commissioning-council/",
    "/case-studies/west-suffolk-shared-services/",
    "/case-studies/compare/?compare=barnet-commissioning-council,essex-traded-services,west-suffolk-shared-services",
    "/models/",
    "/models/sharing/",
    "/models/compare/",
    "/councils/",
    "/councils/london-borough-of-barnet/",
    "/surveys/changing-places/",
    "/about-the-data/",
]


@pytest.fixture
def curated(transactional_db) -> None:
    call_command("load_library", verbosity=0)


def test_the_curated_library_reflows_at_320_px(live_server, curated, page):
    page.set_viewport_size({"width": 320, "height": 700})
    too_wide = {}
    for path in CURATED_PAGES:
        page.goto(live_server.url + path)
        if page.evaluate(OVERFLOW):
            too_wide[path] = page.evaluate("document.documentElement.scrollWidth")
    assert too_wide == {}


# The visible chart's smallest text in screen pixels, and the labels that stick out of its drawing.
CHART_TEXT = """() => [...document.querySelectorAll('svg.ctl-chart')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => {
    const box = svg.viewBox.baseVal;
    const texts = [...svg.querySelectorAll('text')];
    const smallest = Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a));
    const clipped = texts.filter(t => {
      const b = t.getBBox();
      return b.x < box.x - 1.5 || b.x + b.width > box.x + box.width + 1.5;
    }).map(t => t.textContent);
    return {smallest, clipped};
  })"""


@pytest.mark.parametrize("width", [390, 1280])
def test_chart_text_is_legible_and_never_clipped(live_server, curated, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/models/sharing/", "/models/commissioning/", "/surveys/changing-places/"):
        page.goto(live_server.url + path)
        charts = page.evaluate(CHART_TEXT)
        assert len(charts) == 1, path
        assert charts[0]["smallest"] >= 12, (path, charts[0]["smallest"])
        assert charts[0]["clipped"] == [], path


def test_live_finder_update_shows_the_same_errors_as_the_full_page(live_server, library, page):
    page.goto(live_server.url + "/case-studies/")
    page.fill("#year_from", "abc")
    page.check("#model-1")
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error: ")
    assert "Started in or after: Enter a whole number." in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("#year_from-error").inner_text() == "Error:\nEnter a whole number."
    assert "govuk-input--error" in page.locator("#year_from").get_attribute("class")
    # Focus stays on the box just ticked; the summary's link still moves focus to the field.
    assert page.evaluate("document.activeElement.id") == "model-1"
    page.locator(".govuk-error-summary").get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "year_from"
    # Corrected, the errors go.
    page.fill("#year_from", "2010")
    page.uncheck("#model-1")
    page.wait_for_selector(".govuk-error-summary", state="detached")
    assert not page.title().startswith("Error: ")
    assert page.locator("#year_from-error").count() == 0


def test_cases_are_compared_from_the_finder_without_javascript(live_server, library, page_without_js):
    page = page_without_js
    page.goto(live_server.url + "/case-studies/")
    page.check("#compare-shire-shared-back-office")
    page.check("#compare-old-market")
    page.get_by_role("button", name="Compare selected case studies").click()
    page.wait_for_url("**/case-studies/compare/?compare=**")
    assert page.url.endswith("?compare=old-market,shire-shared-back-office")
    assert page.locator("h1").inner_text() == "Compare case studies"
    headers = page.locator(".ctl-compare-table thead th").all_inner_texts()
    assert [header.splitlines()[0] for header in headers] == ["Old Market single workforce", "Shire shared back office"]


def test_a_case_study_page_adds_itself_to_the_comparison_without_javascript(live_server, library, page_without_js):
    page = page_without_js
    page.goto(live_server.url + "/case-studies/shire-shared-back-office/")
    page.get_by_role("button", name="Add to comparison").click()
    # On to the finder, this case already ticked, to choose another.
    page.wait_for_url("**/case-studies/?compare=shire-shared-back-office")
    assert page.locator("#compare-shire-shared-back-office").is_checked()
    page.check("#compare-riverside-commissioning")
    page.get_by_role("button", name="Compare selected case studies").click()
    page.wait_for_url("**/case-studies/compare/?compare=**")
    assert page.locator(".ctl-compare-table thead th").count() == 2


def test_comparison_is_stacked_case_by_case_on_a_phone(live_server, library, page):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + COMPARE)
    assert page.locator(".ctl-compare-table").is_hidden()
    assert page.locator(".ctl-compare-case").count() == 2
    assert page.locator(".ctl-compare-case h2").first.is_visible()
    assert not page.evaluate(OVERFLOW)


# The text a link prints after itself (GOV.UK Frontend's print style), for the first few content links.
PRINTED_LINKS = """() => [...document.querySelectorAll('main a.govuk-link')]
  .filter(a => a.offsetParent !== null && /^(\/|https?:)/.test(a.getAttribute('href')))
  .map(a => [a.getAttribute('href'), getComputedStyle(a, '::after').content])"""


@pytest.mark.parametrize("path", ["/case-studies/shire-shared-back-office/", COMPARE])
def test_pages_print_without_navigation_and_with_links_written_out(live_server, library, page, path):
    page.goto(live_server.url + path)
    page.emulate_media(media="print")
    for chrome in (".govuk-service-navigation", ".govuk-template__header", ".govuk-breadcrumbs", ".govuk-footer"):
        assert page.locator(chrome).is_hidden(), chrome
    assert all(not button.is_visible() for button in page.get_by_role("button").all())
    links = page.evaluate(PRINTED_LINKS)
    assert links
    for href, after in links:
        assert href in after, (href, after)
    # The source sentences and the citation print too.
    assert page.locator(".ctl-quote").first.is_visible()
    assert page.locator(".ctl-citation").is_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_suggestion_forms_errors_are_accessible(live_server, library, page, axe_check, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/suggest/")
    page.get_by_role("button", name="Send the suggestion").click()
    page.wait_for_selector(".govuk-error-summary")
    assert page.title().startswith("Error: ")
    assert axe_check(page) == []
    assert not page.evaluate(OVERFLOW)


def test_a_suggestion_is_sent_without_javascript(live_server, library, page_without_js):
    page = page_without_js
    page.goto(live_server.url + "/suggest/")
    page.select_option("#council", label="Riverside District Council")
    page.fill("#title", "Shared refuse collection")
    page.fill("#what_they_did", "We merged our refuse service with the next district.")
    page.fill("#source_url", "https://www.example.gov.uk/report.pdf")
    page.fill("#contact_name", "Sam Officer")
    page.fill("#contact_email", "sam@example.gov.uk")
    page.check("#consent")
    page.get_by_role("button", name="Send the suggestion").click()
    page.wait_for_url("**/suggest/sent/?reference=S-*")
    assert page.locator(".govuk-panel__body strong").inner_text().startswith("S-")
