"""The data release pages: no WCAG 2.2 AA violation at 1280 and 390 px, and they reflow at 320 px."""

from __future__ import annotations

import pytest

from casestudies.models import CaseStudy
from releases.services import release_publish
from tests.browser.test_officer_tools import OVERFLOW

pytestmark = pytest.mark.browser

RELEASE_PAGES = ["/releases/", "/releases/2/"]


@pytest.fixture
def two_releases(library, settings, tmp_path) -> None:
    """Two releases, the second with a changed, an added and a removed case study."""
    settings.RELEASES_ROOT = tmp_path / "releases"
    release_publish(notes="The first release.")
    CaseStudy.objects.filter(slug="shire-shared-back-office").update(title="Shire shared back office, renamed")
    CaseStudy.objects.filter(slug="old-market").update(status=CaseStudy.Status.DRAFT)
    release_publish(notes="The second release.")


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", RELEASE_PAGES)
def test_release_pages_have_no_accessibility_violations(live_server, two_releases, page, axe_check, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert axe_check(page) == []
    assert page.csp_violations == []


@pytest.mark.parametrize("path", RELEASE_PAGES)
def test_release_pages_reflow_at_320_px_without_horizontal_scrolling(live_server, two_releases, page, path):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(live_server.url + path)
    for details in page.locator("details").all():
        details.locator("summary").click()  # the changelog's lists open too
    assert not page.evaluate(OVERFLOW), page.evaluate("document.documentElement.scrollWidth")
