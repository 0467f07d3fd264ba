"""Data and helpers for the API tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from councils.models import Council
from tests.factories import (
    CaseStudyFactory,
    ContactFactory,
    CouncilFactory,
    FigureFactory,
    ServiceAreaFactory,
    TransformationModelFactory,
)


@pytest.fixture
def api(anon_client: Client):
    """GET an API path and return the response (JSON decoded by ``.json()``)."""

    def get(path: str, data: dict[str, Any] | None = None, **extra: Any):
        return anon_client.get(f"/api/v1/{path}", data or {}, **extra)

    return get


@pytest.fixture
def library(db) -> dict[str, Any]:
    """A small library: two models, three councils, four published case studies and a draft."""
    sharing = TransformationModelFactory(slug="sharing", name="Sharing", display_order=5)
    holistic = TransformationModelFactory(slug="holistic", name="Holistic", display_order=6)
    waste = ServiceAreaFactory(slug="waste", name="Waste")
    care = ServiceAreaFactory(slug="adult-social-care", name="Adult social care")
    suffolk = CouncilFactory(slug="suffolk", name="Suffolk", council_type=Council.Type.COUNTY, region="east_of_england")
    barnet = CouncilFactory(slug="barnet", name="Barnet", council_type=Council.Type.LONDON_BOROUGH, region="london")
    wychavon = CouncilFactory(
        slug="wychavon", name="Wychavon", council_type=Council.Type.DISTRICT, region="west_midlands"
    )
    both = CaseStudyFactory(
        slug="both-models",
        title="A shared and holistic council",
        models=[sharing, holistic],
        councils=[suffolk, wychavon],
        service_areas=[waste],
        start_year=2010,
    )
    shared = CaseStudyFactory(
        slug="shared", title="Shared services", models=[sharing], councils=[wychavon], start_year=2012
    )
    holistic_case = CaseStudyFactory(
        slug="holistic-barnet",
        title="Barnet one council",
        models=[holistic],
        councils=[barnet],
        service_areas=[care],
        start_year=2014,
    )
    proposal = CaseStudyFactory(
        slug="proposal", title="A proposal", models=[sharing], councils=[barnet], stage="proposal", start_year=2016
    )
    draft = CaseStudyFactory(slug="secret-draft", title="Draft", status="draft", models=[sharing], councils=[suffolk])
    FigureFactory(case_study=both, amount_low=1_000_000, amount_high=2_000_000, status="achieved")
    FigureFactory(case_study=shared, amount_low=500_000, amount_high=500_000, status="expected")
    FigureFactory(case_study=holistic_case, kind="income", amount_low=300_000, amount_high=300_000)
    FigureFactory(case_study=draft, amount_low=9_000_000, amount_high=9_000_000)
    ContactFactory(case_study=both, name="Alex Public")
    ContactFactory(case_study=both, name="Hidden Person", is_public=False)

    return {"sharing": sharing, "holistic": holistic, "both": both, "draft": draft, "proposal": proposal}
