"""axe-core finds no WCAG 2.2 AA violation on any page type, and the CSP blocks nothing we serve."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/case-studies/",
    "/case-studies/?model=sharing&council_type=county&region=south_east",
    "/case-studies/?model=nonsense&year_from=abc",
    "/case-studies/shire-shared-back-office/",
    "/case-studies/old-market/",
    "/case-studies/compare/",
    "/case-studies/compare/?compare=shire-shared-back-office,old-market,riverside-commissioning",
    "/case-studies/compare/?compare=shire-shared-back-office",
    "/models/",
    "/models/sharing/",
    "/models/compare/",
    "/councils/",
    "/councils/?council_type=castle",
    "/councils/old-market/",
    "/councils/partnerships/",
    "/councils/partnerships/?council=atlantis",
    "/councils/partnerships/shire-shared/",
    "/surveys/changing-places/",
    "/programmes/",
    "/programmes/delivering-differently/",
    "/themes/",
    "/about-the-data/",
    "/privacy/",
    "/api/v1/docs/",
    "/no-such-page/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_violations(live_server, library, page, axe_check, path):
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert axe_check(page) == []
    assert page.csp_violations == []


def test_admin_login_works_under_the_csp(live_server, library, page, settings):
    page.goto(f"{live_server.url}/{settings.ADMIN_URL}login/")
    assert page.locator("#id_username").is_visible()
    assert page.csp_violations == []


def test_the_api_console_works_under_the_csp(live_server, library, page):
    """Swagger UI starts from its own script file (no inline script, no hash in the policy) and
    draws every operation; it is linked from the accessible reference at /api/v1/docs/."""
    response = page.goto(live_server.url + "/api/v1/docs/console/")
    assert response.status == 200
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    assert page.locator(".opblock").count() > 10
    assert page.csp_violations == []


SMALL_SCREEN_PAGES = [
    "/",
    "/case-studies/?model=sharing",
    "/case-studies/shire-shared-back-office/",
    "/case-studies/compare/?compare=shire-shared-back-office,old-market,riverside-commissioning",
    "/case-studies/compare/?compare=shire-shared-back-office,nope",
    "/models/sharing/",
    "/models/compare/",
    "/surveys/changing-places/",
    "/councils/",
    "/api/v1/docs/",
]


@pytest.mark.parametrize("path", SMALL_SCREEN_PAGES)
@pytest.mark.parametrize("width", [375, 390])
def test_small_screen_has_no_accessibility_violations(live_server, library, page, axe_check, path, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + path)
    assert axe_check(page) == []
    # Nothing is wider than the screen (WCAG 1.4.10 reflow).
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_curators_draft_preview_has_no_accessibility_violations(live_server, library, page, axe_check, settings):
    from tests.factories import CaseStudyFactory, UserFactory
    from tests.helpers.curators import verified_client

    draft = CaseStudyFactory(title="A draft about telecare", slug="a-draft", status="draft")
    signed_in = verified_client(UserFactory(username="previewer", is_staff=True, is_superuser=True))
    cookie = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page.goto(live_server.url + draft.get_absolute_url())
    assert page.locator(".govuk-notification-banner__title").inner_text() == "Draft — not published"
    assert axe_check(page) == []
    assert page.csp_violations == []
