"""Test data for the web pages, built with factories."""

from __future__ import annotations

import datetime

import pytest

from casestudies.models import CaseStudy, Figure
from councils.models import Council
from tests.factories import (
    CaseStudyFactory,
    ContactFactory,
    CouncilFactory,
    FigureFactory,
    ModelPointFactory,
    OutcomeFactory,
    ServiceAreaFactory,
    SourceFactory,
    TransformationModelFactory,
)


@pytest.fixture
def sharing(db):
    return TransformationModelFactory(slug="sharing", name="Sharing", definition="Councils share services.")


@pytest.fixture
def commissioning(db):
    return TransformationModelFactory(slug="commissioning", name="Commissioning", definition="Councils commission.")


def make_case_studies(count: int, models: list) -> list[CaseStudy]:
    """``count`` published case studies, each with two councils, a figure, an outcome and a contact."""
    area = ServiceAreaFactory(slug="waste", name="Waste")
    made = []
    for index in range(count):
        councils = [
            CouncilFactory(council_type=Council.Type.DISTRICT if index % 2 else Council.Type.COUNTY),
            CouncilFactory(region=Council.Region.LONDON),
        ]
        case_study = CaseStudyFactory(councils=councils, models=[models[index % len(models)]], service_areas=[area])
        FigureFactory(case_study=case_study, amount_low=1_000_000 * (index + 1), amount_high=1_000_000 * (index + 1))
        OutcomeFactory(case_study=case_study)
        ContactFactory(case_study=case_study, council=councils[0])
        made.append(case_study)
    return made


@pytest.fixture
def library_of(sharing, commissioning):
    def build(count: int) -> list[CaseStudy]:
        return make_case_studies(count, [sharing, commissioning])

    return build


@pytest.fixture
def full_case_study(sharing):
    """A case study with everything its page shows, and a council abolished since."""
    successor = CouncilFactory(name="New Unitary Council", slug="new-unitary", council_type=Council.Type.UNITARY)
    old = CouncilFactory(
        name="Old District Council", slug="old-district", abolished_on=datetime.date(2019, 4, 1), successor=successor
    )
    source = SourceFactory(title="Local Authority Transformational Models", author="Localis", year=2016)
    case_study = CaseStudyFactory(
        title="Shared refuse service",
        slug="shared-refuse",
        councils=[old],
        models=[sharing],
        source=source,
        source_section="2.4.1",
    )
    FigureFactory(
        case_study=case_study,
        amount_low=2_000_000,
        amount_high=3_000_000,
        period=Figure.Period.PER_YEAR,
        status=Figure.Status.EXPECTED,
        quote="The council expects to save £2-3 million per year.",
    )
    FigureFactory(
        case_study=case_study,
        amount_low=None,
        amount_high=165_000_000,
        period=Figure.Period.TOTAL,
        period_years=10,
        quote="Savings of up to £165 million over ten years.",
    )
    OutcomeFactory(case_study=case_study, metric="Apprenticeships created")
    ContactFactory(case_study=case_study, council=old, name="Alex Officer", email="alex@old.example.gov.uk")
    ContactFactory(case_study=case_study, name="Hidden Person", is_public=False)
    case_study.further_reading.add(SourceFactory(title="Shared Services in Local Government"))
    ModelPointFactory(model=sharing, text="Economies of scale")
    return case_study
