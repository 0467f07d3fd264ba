"""The linked filters (model, council type, region, service area) answered together.

On PostgreSQL ``CaseStudyQuerySet.with_links`` reads ``CaseStudyLinkKeys``, kept by triggers
declared on the models (casestudies/derived.py); elsewhere it uses one EXISTS per group. These
tests pin that the two agree and that every kind of write keeps the keys right.
"""

from __future__ import annotations

import itertools
import random

import pytest
from django.db import connection
from django.db.models import Exists

from casestudies.models import CaseStudy, CaseStudyCouncil, CaseStudyLinkKeys, CaseStudyModel, links_to
from councils.models import Council
from tests.factories import CaseStudyFactory, CouncilFactory, ServiceAreaFactory, TransformationModelFactory

pytestmark = pytest.mark.django_db


def keys_of(case: CaseStudy) -> list[str]:
    row = CaseStudyLinkKeys.objects.filter(case_study_id=case.pk).first()
    return sorted(row.keys) if row else []


def with_exists(queryset, groups: dict[str, list]) -> set[int]:
    for kind, values in groups.items():
        queryset = queryset.filter(Exists(links_to(kind, values)))
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def varied_library() -> dict[str, list]:
    """Forty case studies with random links to three models, six councils and three service areas."""
    chooser = random.Random(6)
    models = [TransformationModelFactory(slug=slug, name=slug.title()) for slug in ("sharing", "holistic", "enabling")]
    councils = [
        CouncilFactory(council_type=council_type, region=region)
        for council_type, region in itertools.product(
            (Council.Type.DISTRICT, Council.Type.COUNTY, Council.Type.LONDON_BOROUGH), ("london", "south_east")
        )
    ]
    areas = [ServiceAreaFactory() for _ in range(3)]
    for _ in range(40):
        CaseStudyFactory(
            models=chooser.sample(models, chooser.randint(1, 2)),
            councils=chooser.sample(councils, chooser.randint(1, 3)),
            service_areas=chooser.sample(areas, chooser.randint(0, 2)),
        )
    return {"models": models, "councils": councils, "areas": areas}


def test_every_combination_gives_the_rows_exists_gives(varied_library) -> None:
    models, areas = varied_library["models"], varied_library["areas"]
    choices = {
        "model": [[], [models[0]], [models[1], models[2]]],
        "council_type": [[], [Council.Type.DISTRICT], [Council.Type.COUNTY, Council.Type.LONDON_BOROUGH]],
        "region": [[], ["london"], ["south_east"]],
        "service_area": [[], [areas[0]], areas[1:]],
    }
    published = CaseStudy.objects.published()
    for model, council_type, region, area in itertools.product(*choices.values()):
        found = published.with_links(models=model, council_types=council_type, regions=region, service_areas=area)
        groups = {"model": model, "council_type": council_type, "region": region, "service_area": area}
        expected = with_exists(published, {kind: values for kind, values in groups.items() if values})
        assert set(found.values_list("pk", flat=True)) == expected, groups


def test_no_group_filters_nothing() -> None:
    queryset = CaseStudy.objects.all()
    assert CaseStudy.objects.with_links().query.where == queryset.query.where


@pytest.mark.postgres
def test_links_are_one_condition_on_postgres(varied_library) -> None:
    found = CaseStudy.objects.with_links(models=varied_library["models"][:1], regions=["london"])
    sql = str(found.query)
    assert sql.count("casestudies_casestudylinkkeys") == 1 and "EXISTS" not in sql


@pytest.mark.postgres
def test_a_new_case_study_gets_its_keys() -> None:
    sharing = TransformationModelFactory(slug="sharing", name="Sharing")
    council = CouncilFactory(council_type=Council.Type.DISTRICT, region="london")
    area = ServiceAreaFactory()
    case = CaseStudyFactory(models=[sharing], councils=[council], service_areas=[area])
    assert keys_of(case) == sorted(
        [
            f"model:{sharing.pk}",
            "council_type:district",
            "region:london",
            f"service_area:{area.pk}",
            "stage:implemented",
            "status:published",
        ]
    )


@pytest.mark.postgres
def test_changing_links_changes_the_keys() -> None:
    sharing = TransformationModelFactory(slug="sharing", name="Sharing")
    holistic = TransformationModelFactory(slug="holistic", name="Holistic")
    case = CaseStudyFactory(models=[sharing])
    CaseStudyModel.objects.filter(case_study=case).update(model=holistic)
    assert f"model:{holistic.pk}" in keys_of(case) and f"model:{sharing.pk}" not in keys_of(case)
    CaseStudyModel.objects.filter(case_study=case).delete()
    assert not [key for key in keys_of(case) if key.startswith("model:")]


@pytest.mark.postgres
def test_service_areas_added_and_removed_change_the_keys() -> None:
    case = CaseStudyFactory()
    area = ServiceAreaFactory()
    case.service_areas.add(area)
    assert f"service_area:{area.pk}" in keys_of(case)
    case.service_areas.remove(area)
    assert f"service_area:{area.pk}" not in keys_of(case)


@pytest.mark.postgres
def test_a_council_changing_type_or_region_changes_its_case_studies_keys() -> None:
    council = CouncilFactory(council_type=Council.Type.DISTRICT, region="london")
    case = CaseStudyFactory(councils=[council])
    Council.objects.filter(pk=council.pk).update(council_type=Council.Type.COUNTY, region="south_east")
    assert {"council_type:county", "region:south_east"} <= set(keys_of(case))
    assert not {"council_type:district", "region:london"} & set(keys_of(case))
    assert CaseStudy.objects.with_links(council_types=[Council.Type.COUNTY]).get() == case


@pytest.mark.postgres
def test_a_council_loaded_after_its_links_still_counts() -> None:
    # loaddata defers constraints, so a fixture may insert a link before the council it names.
    case = CaseStudyFactory()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        link = CaseStudyCouncil(case_study=case, council_id=987654, role="partner", position=0)
        link.save()
        CouncilFactory(pk=987654, council_type=Council.Type.UNITARY, region="north_east")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert {"council_type:unitary", "region:north_east"} <= set(keys_of(case))


@pytest.mark.postgres
def test_deleting_a_case_study_removes_its_keys() -> None:
    case = CaseStudyFactory(models=[TransformationModelFactory(slug="sharing", name="Sharing")])
    pk = case.pk
    case.delete()
    assert not CaseStudyLinkKeys.objects.filter(case_study_id=pk).exists()
