"""The unfiltered facet counts follow every write at once.

On PostgreSQL they are read from stored totals (``CaseStudyFacetTotal``, kept by triggers on the
link keys); each test writes the way a curator or an operator does and then compares what the
finder's facets say with the same counts made over the case studies themselves (the path every
filtered facet takes). On SQLite both are the counted path, so the tests still pin the counts.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from casestudies.filters import FACETS, _counted, case_study_facets
from casestudies.models import CaseStudy, CaseStudyCouncil, CaseStudyModel, ServiceArea
from councils.models import Council
from tests.factories import CaseStudyFactory, CouncilFactory, ServiceAreaFactory, TransformationModelFactory
from tests.helpers.admin_form_data import change_form_data
from transform_models.models import TransformationModel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_response_cache(settings) -> None:
    settings.LIBRARY_CACHE_SECONDS = 0


def counted() -> dict[str, dict[str, int]]:
    return {facet: {value: n for value, n in _counted(facet, {}).items() if n} for facet in FACETS}


def unfiltered() -> dict[str, dict[str, int]]:
    return {facet: {value: n for value, n in counts.items() if n} for facet, counts in case_study_facets({}).items()}


@pytest.fixture
def linked_case() -> CaseStudy:
    council = CouncilFactory(slug="vale", council_type="district", region="south_west")
    return CaseStudyFactory(
        slug="vale-sharing",
        councils=[council],
        models=[TransformationModelFactory(slug="sharing")],
        service_areas=[ServiceAreaFactory(slug="waste")],
    )


def test_the_unfiltered_counts_are_the_counted_ones(linked_case) -> None:
    CaseStudyFactory(status=CaseStudy.Status.DRAFT, councils=[Council.objects.get(slug="vale")])
    assert unfiltered() == counted()
    assert unfiltered()["model"] == {"sharing": 1}
    assert unfiltered()["council_type"] == {"district": 1}
    assert unfiltered()["stage"] == {"implemented": 1}


def test_the_unfiltered_counts_are_one_query_on_postgresql(linked_case, django_assert_max_num_queries) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the totals are stored on PostgreSQL only")
    with django_assert_max_num_queries(3):  # the totals, then the slugs of the models and service areas
        case_study_facets({})


def test_a_case_published_with_the_admin_action_is_counted(curator_client, linked_case) -> None:
    draft = CaseStudyFactory(status=CaseStudy.Status.DRAFT, councils=[Council.objects.get(slug="vale")])
    curator_client.post(
        reverse("admin:casestudies_casestudy_changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert unfiltered()["council_type"] == {"district": 2}
    assert unfiltered() == counted()


def test_a_case_unpublished_with_update_is_no_longer_counted(linked_case) -> None:
    CaseStudy.objects.filter(pk=linked_case.pk).update(status=CaseStudy.Status.DRAFT)
    assert unfiltered() == counted() == {facet: {} for facet in FACETS}


def test_a_stage_changed_in_the_admin_moves_the_stage_counts(curator_client, linked_case) -> None:
    url = reverse("admin:casestudies_casestudy_change", args=[linked_case.pk])
    data = change_form_data(curator_client.get(url))
    data["stage"] = CaseStudy.Stage.PROPOSAL
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert unfiltered()["stage"] == {"proposal": 1}
    assert unfiltered() == counted()


def test_a_council_re_typed_in_its_admin_moves_the_type_counts(curator_client, linked_case) -> None:
    council = Council.objects.get(slug="vale")
    url = reverse("admin:councils_council_change", args=[council.pk])
    data = change_form_data(curator_client.get(url))
    data["council_type"] = "unitary"
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert unfiltered()["council_type"] == {"unitary": 1}
    assert unfiltered() == counted()


def test_links_added_and_removed_move_the_counts(linked_case) -> None:
    other = CouncilFactory(slug="wold", council_type="county", region="south_west")
    CaseStudyCouncil.objects.create(
        case_study=linked_case, council=other, role=CaseStudyCouncil.Role.PARTNER, position=2
    )
    linked_case.service_areas.clear()
    CaseStudyModel.objects.filter(case_study=linked_case).delete()
    totals = unfiltered()
    assert totals["council_type"] == {"district": 1, "county": 1}
    assert totals["region"] == {"south_west": 1}  # one case, counted once per value
    assert totals["model"] == totals["service_area"] == {}
    assert totals == counted()


def test_a_deleted_case_is_no_longer_counted(curator_client, linked_case) -> None:
    response = curator_client.post(
        reverse("admin:casestudies_casestudy_delete", args=[linked_case.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert unfiltered() == counted() == {facet: {} for facet in FACETS}


def test_raw_sql_writes_move_the_counts(linked_case) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE casestudies_casestudy SET stage = 'proposal' WHERE id = %s", [linked_case.pk])
    assert unfiltered()["stage"] == {"proposal": 1}
    assert unfiltered() == counted()


def test_a_filter_on_one_facet_leaves_that_facet_with_the_library_totals(api, linked_case) -> None:
    CaseStudyFactory(councils=[CouncilFactory(slug="york", council_type="unitary", region="yorkshire_and_the_humber")])
    facets = api("case-studies/facets/", {"council_type": "district"}).json()
    by_value = {row["value"]: row["count"] for row in facets["council_type"]}
    assert by_value["district"] == 1 and by_value["unitary"] == 1  # the type facet ignores its own filter
    regions = {row["value"]: row["count"] for row in facets["region"]}
    assert regions["south_west"] == 1 and regions["yorkshire_and_the_humber"] == 0  # others are narrowed


@pytest.mark.parametrize(
    "params",
    [
        {"council_type": ["district"]},
        {"model": ["sharing"], "region": ["south_west", "london"]},
        {"model": ["sharing"], "council_type": ["district", "county"], "region": ["south_west"]},
        {"service_area": ["waste"], "stage": ["proposal"]},
        # Other filters narrow the link keys to the case studies their FilterSet selects.
        {"q": ["wold"]},
        {"q": ["sharing"], "council_type": ["county"]},
        {"year_from": ["2010"], "model": ["sharing"]},
        {"council": ["wold"]},
        {"council": ["vale", "wold"], "stage": ["proposal"], "has_figures": ["false"]},
        {"q": ["nothing-matches-this"]},
    ],
)
def test_filtered_facets_count_what_the_case_studies_say(linked_case, params) -> None:
    from django.http import QueryDict

    CaseStudyFactory(
        stage=CaseStudy.Stage.PROPOSAL,
        councils=[CouncilFactory(slug="wold", council_type="county", region="london")],
        service_areas=[ServiceArea.objects.get(slug="waste")],
        models=[TransformationModel.objects.get(slug="sharing")],
    )
    data = QueryDict(mutable=True)
    for name, values in params.items():
        data.setlist(name, values)
    facets = case_study_facets(data)
    for facet in FACETS:
        expected = {value: n for value, n in _counted(facet, data).items() if n}
        assert {value: n for value, n in facets[facet].items() if n} == expected, facet
