"""Browser tests: Playwright for Python driving Debian's Chromium (never `playwright install`).

They need the compiled front-end assets: run `make assets` (or `npm ci && npm run build:css`).
"""

from __future__ import annotations

import datetime
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from casestudies.models import Figure
from councils.models import Council
from tests.factories import (
    CaseStudyFactory,
    ContactFactory,
    CouncilFactory,
    FigureFactory,
    FindingFactory,
    ModelPointFactory,
    OutcomeFactory,
    PartnershipFactory,
    ProgrammeFactory,
    RecommendationFactory,
    SurveyFactory,
    ThemeFactory,
    TransformationModelFactory,
)

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses that by default.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BUILD_DIR = Path(settings.BASE_DIR) / "static" / "build"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not (BUILD_DIR / "main.css").exists():
        pytest.skip("front-end assets not built: run `make assets` (npm ci && npm run build:css) first")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open(browser, **options):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, **options)
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda message: page.csp_violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return context, page


@pytest.fixture
def page(browser) -> Iterator:
    context, page = _open(browser)
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser) -> Iterator:
    context, page = _open(browser, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture
def axe_check():
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci`")
    source = AXE.read_text(encoding="utf-8")

    def check(page) -> list[dict]:
        # Evaluated through the DevTools protocol, so the page's CSP does not block it.
        page.evaluate(source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            AXE_TAGS,
        )
        return [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]

    return check


@pytest.fixture
def library(transactional_db) -> dict:
    """A small library with one of every page type."""
    sharing = TransformationModelFactory(slug="sharing", name="Sharing", definition="Councils share services.")
    commissioning = TransformationModelFactory(
        slug="commissioning", name="Commissioning", definition="Councils commission services."
    )
    ModelPointFactory(model=sharing, text="Economies of scale")
    ModelPointFactory(model=sharing, kind="challenge", text="Loss of sovereignty")
    successor = CouncilFactory(name="Greater Unitary Council", slug="greater-unitary", council_type="unitary")
    old = CouncilFactory(
        name="Old Market District Council",
        slug="old-market",
        abolished_on=datetime.date(2019, 4, 1),
        successors=[successor],
    )
    county = CouncilFactory(name="Shire County Council", slug="shire-county", council_type=Council.Type.COUNTY)
    district = CouncilFactory(name="Riverside District Council", slug="riverside", council_type=Council.Type.DISTRICT)
    partnership = PartnershipFactory(name="Shire Shared Services", slug="shire-shared")
    partnership.members.set([county, district])
    programme = ProgrammeFactory(name="Delivering Differently", slug="delivering-differently")
    shared = CaseStudyFactory(
        title="Shire shared back office",
        slug="shire-shared-back-office",
        councils=[county, district],
        models=[sharing],
        partnership=partnership,
    )
    FigureFactory(case_study=shared, amount_low=2_000_000, amount_high=3_000_000, quote="Saves £2-3 million a year.")
    FigureFactory(
        case_study=shared,
        status=Figure.Status.EXPECTED,
        amount_low=None,
        amount_high=10_000_000,
        period=Figure.Period.TOTAL,
        period_years=5,
        quote="Up to £10 million over five years.",
    )
    OutcomeFactory(case_study=shared)
    ContactFactory(case_study=shared, council=county)
    merged = CaseStudyFactory(title="Old Market single workforce", slug="old-market", councils=[old], models=[sharing])
    FigureFactory(case_study=merged)
    ContactFactory(case_study=merged, council=old)
    commissioned = CaseStudyFactory(
        title="Riverside commissioning council",
        slug="riverside-commissioning",
        councils=[district],
        models=[commissioning],
    )
    CaseStudyFactory(
        title="Shire commissioning proposal",
        councils=[county],
        models=[commissioning],
        programme=programme,
        stage="proposal",
    )
    survey = SurveyFactory(title="Changing Places", slug="changing-places")
    FindingFactory(survey=survey, statement="Financial pressure drives innovation", percentage=75)
    FindingFactory(survey=survey, category="barrier", statement="Lack of time and capacity", percentage=58)
    RecommendationFactory(survey=survey)
    ThemeFactory(title="Strong leadership", kind="success_factor")
    ThemeFactory(title="Digital transformation")
    return {"shared": shared, "merged": merged, "commissioned": commissioned, "old": old, "partnership": partnership}
