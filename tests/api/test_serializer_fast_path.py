"""The case-study serializers build their answer directly; it must equal DRF's generic field walk."""

from __future__ import annotations

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from casestudies.models import CaseStudy
from casestudies.serializers import CaseStudyDetailSerializer, CaseStudySerializer
from tests.factories import (
    CaseStudyFactory,
    ContactFactory,
    CouncilFactory,
    FigureFactory,
    PartnershipFactory,
    ProgrammeFactory,
    ServiceAreaFactory,
    TransformationModelFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_case_study() -> CaseStudy:
    sharing = TransformationModelFactory(slug="sharing", name="Sharing")
    holistic = TransformationModelFactory(slug="holistic", name="Holistic")
    case = CaseStudyFactory(
        models=[holistic, sharing],
        councils=[CouncilFactory(), CouncilFactory()],
        service_areas=[ServiceAreaFactory(slug="waste"), ServiceAreaFactory(slug="libraries")],
        partnership=PartnershipFactory(),
        programme=ProgrammeFactory(),
        end_year=2015,
        is_ongoing=False,
    )
    FigureFactory(case_study=case)
    ContactFactory(case_study=case)
    CaseStudy.objects.refresh_derived()
    return case


@pytest.fixture
def bare_case_study() -> CaseStudy:
    return CaseStudyFactory(councils=[CouncilFactory()])


@pytest.mark.parametrize("serializer_class", [CaseStudySerializer, CaseStudyDetailSerializer])
@pytest.mark.parametrize("case_fixture", ["full_case_study", "bare_case_study"])
def test_fast_path_equals_the_generic_walk(request, serializer_class, case_fixture) -> None:
    case = request.getfixturevalue(case_fixture)
    instance = CaseStudy.objects.for_detail().get(pk=case.pk)
    context = {"request": APIRequestFactory().get("/api/v1/case-studies/")}
    serializer = serializer_class(instance, context=context)
    generic = serializers.ModelSerializer.to_representation(serializer, instance)
    fast = serializer.data
    assert list(fast) == list(generic)
    assert dict(fast) == dict(generic)
