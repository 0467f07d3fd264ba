"""A list narrowed only by facets has its total counted over the link keys, and that total is the
number of case studies the list itself selects.

On PostgreSQL the API list and the finder ask ``known_published_total()`` first: with no filter it
is the stored total, with facets only (model, council type, region, service area, stage) a count
over the narrow link keys, without the case-study rows. These tests compare it with the list's own
count, and check through the API that it follows a write at once and that other filters still
count the case studies.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from casestudies.filters import CaseStudyFilter, known_published_total
from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, CouncilFactory, ServiceAreaFactory, TransformationModelFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _no_cache(settings) -> None:
    settings.LIBRARY_CACHE_SECONDS = 0


@pytest.fixture
def linked_library() -> None:
    sharing = TransformationModelFactory(slug="sharing")
    enabling = TransformationModelFactory(slug="enabling")
    waste = ServiceAreaFactory(slug="waste")
    vale = CouncilFactory(slug="vale", council_type="district", region="south_west")
    wold = CouncilFactory(slug="wold", council_type="county", region="london")
    CaseStudyFactory(councils=[vale], models=[sharing], service_areas=[waste])
    CaseStudyFactory(councils=[vale, wold], models=[sharing, enabling], stage=CaseStudy.Stage.PROPOSAL)
    CaseStudyFactory(councils=[wold], models=[enabling], service_areas=[waste])
    CaseStudyFactory(councils=[vale], models=[sharing], status=CaseStudy.Status.DRAFT)


def bound_filter(query: str) -> CaseStudyFilter:
    return CaseStudyFilter(QueryDict(query), queryset=CaseStudy.objects.published())


@pytest.mark.parametrize(
    "query",
    [
        "model=sharing",
        "model=sharing&model=enabling",
        "council_type=district&region=london",
        "council_type=county&council_type=district&region=london",
        "service_area=waste&model=enabling",
        "stage=proposal",
        "stage=proposal&council_type=county",
        "region=north_east",
    ],
)
def test_a_total_narrowed_by_facets_is_the_lists_own_count(linked_library, query) -> None:
    filterset = bound_filter(query)
    assert known_published_total(filterset) == filterset.qs.count()


@pytest.mark.parametrize("query", ["q=sharing", "model=sharing&year_from=2000", "has_figures=true", "council=vale"])
def test_other_filters_leave_the_total_to_the_lists_count(linked_library, query) -> None:
    assert known_published_total(bound_filter(query)) is None


def test_an_invalid_filter_has_no_known_total(linked_library) -> None:
    assert known_published_total(bound_filter("model=no-such-model")) is None


def test_the_api_list_counts_the_link_keys_alone(api, linked_library) -> None:
    with CaptureQueriesContext(connection) as queries:
        body = api("case-studies/", {"model": "sharing", "council_type": "district"}).json()
    assert body["count"] == 2
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"]]
    assert len(counts) == 1
    assert '"casestudies_casestudylinkkeys"' in counts[0]
    assert '"casestudies_casestudy"' not in counts[0]


def test_the_total_follows_an_unpublished_case_at_once(api, linked_library) -> None:
    assert api("case-studies/", {"model": "enabling"}).json()["count"] == 2
    CaseStudy.objects.filter(transformation_models__slug="enabling", service_areas__slug="waste").update(
        status=CaseStudy.Status.DRAFT
    )
    assert api("case-studies/", {"model": "enabling"}).json()["count"] == 1


def test_the_finder_shows_the_same_total(client, linked_library) -> None:
    response = client.get("/case-studies/", {"service_area": "waste"})
    assert response.context["page_obj"].paginator.count == 2
