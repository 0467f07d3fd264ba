"""'Councils like mine' (issue 16, part 3): which council are you -> the published case studies of
similar councils, each with why; the same ranking in the API (councils/similarity.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from councils.models import Council
from councils.similarity import short_population
from tests.factories import CaseStudyFactory, CouncilFactory

pytestmark = pytest.mark.django_db

PAGE = "/councils-like-mine/"
# 0.3597 degrees of latitude is 40.0 km on the mean Earth.
ADUR = {"latitude": 50.85, "longitude": -0.30}
FORTY_KM_NORTH = {"latitude": 50.85 + 0.3597, "longitude": -0.30}


def _district(name: str, population: int | None = None, **fields) -> Council:
    population_year = 2020 if population else None
    return CouncilFactory(name=name, population=population, population_year=population_year, **fields)


@pytest.fixture
def adur() -> Council:
    return _district("Adur District Council", 64_000, slug="adur", **ADUR)


@pytest.fixture
def neighbour_case(adur):
    """A district council like Adur's in every way but its lineage, with a published case study."""
    neighbour = _district("Horsham District Council", 90_000, slug="horsham", **FORTY_KM_NORTH)
    return CaseStudyFactory(title="Horsham shared back office", councils=[neighbour])


# --- The page -------------------------------------------------------------------------------


def test_the_page_asks_which_council_you_are_and_lists_every_current_council(client) -> None:
    CouncilFactory(name="Adur District Council")
    CouncilFactory(name="Forest Heath District Council", abolished_on="2019-04-01")
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="govuk-label govuk-label--m" for="council">Which council are you?</label>' in html
    assert '<option value="Adur District Council"></option>' in html
    assert "Forest Heath" not in html  # abolished: not a council anyone is now


def test_a_council_gets_the_case_studies_of_councils_like_it_and_why(client, adur, neighbour_case) -> None:
    response = client.get(PAGE, {"council": "Adur District Council"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Case studies from councils like Adur District Council" in html
    assert neighbour_case.title in html
    assert (
        '<a class="govuk-link" href="/councils/horsham/">Horsham District Council</a>: also a district council, '
        "population 90k vs 64k, also in the South East, 40 km away."
    ) in html


def test_the_council_can_be_named_in_any_case_or_by_its_slug(client, adur, neighbour_case) -> None:
    for text in ("adur district council", "adur"):
        assert client.get(PAGE, {"council": text}).context["council"] == adur


def test_a_council_with_no_case_studies_of_its_own_still_gets_results(client, adur, neighbour_case) -> None:
    assert not adur.case_study_links.exists()
    results = client.get(PAGE, {"council": "adur"}).context["results"]
    assert [r.case_study for r in results] == [neighbour_case]


def test_its_own_case_studies_are_left_out(client, adur, neighbour_case) -> None:
    own = CaseStudyFactory(title="Adur own case", councils=[adur])
    titles = [r.case_study.title for r in client.get(PAGE, {"council": "adur"}).context["results"]]
    assert own.title not in titles and neighbour_case.title in titles


def test_only_published_case_studies_are_ranked(client, adur, neighbour_case) -> None:
    neighbour_case.status = "draft"
    neighbour_case.save()
    response = client.get(PAGE, {"council": "adur"})
    assert response.context["results"] == []
    assert "No published case study comes from a council like Adur District Council yet" in response.content.decode()


def test_a_predecessor_through_reorganisation_ranks_first(client, neighbour_case) -> None:
    cumberland = CouncilFactory(
        name="Cumberland Council", slug="cumberland", council_type="unitary", region="north_west"
    )
    allerdale = CouncilFactory(
        name="Allerdale Borough Council", region="north_west", abolished_on="2023-04-01", successors=[cumberland]
    )
    old_case = CaseStudyFactory(title="Allerdale leisure trust", councils=[allerdale])
    CaseStudyFactory(title="Another north-west case", councils=[CouncilFactory(region="north_west")])
    results = client.get(PAGE, {"council": "cumberland"}).context["results"]
    assert results[0].case_study == old_case
    assert results[0].similar.why == "a predecessor of Cumberland Council, also in the North West"


def test_a_successor_through_reorganisation_is_like_its_predecessor(client) -> None:
    west_suffolk = CouncilFactory(name="West Suffolk Council", region="east_of_england")
    CouncilFactory(
        name="Forest Heath District Council", slug="forest-heath", abolished_on="2019-04-01", successors=[west_suffolk]
    )
    CaseStudyFactory(title="West Suffolk shared services", councils=[west_suffolk])
    # Not a current council, so not on the page's list; the API answers for any council.
    similar = client.get("/api/v1/councils/forest-heath/similar-case-studies/").json()["results"]
    assert [r["why"] for r in similar] == ["a successor of Forest Heath District Council, also a district council"]


def test_councils_alike_in_nothing_are_not_listed(client, adur) -> None:
    CaseStudyFactory(
        title="Far away",
        councils=[CouncilFactory(council_type="scottish_council", region="scotland", population=600_000)],
    )
    assert client.get(PAGE, {"council": "adur"}).context["results"] == []


def test_more_reasons_rank_higher_and_nearer_first_when_equal(client, adur, neighbour_case) -> None:
    far = _district("Far District Council", latitude=50.85 + 0.9, longitude=-0.30)  # 100 km: no reason
    far_case = CaseStudyFactory(title="Far district", councils=[far])
    unplaced = _district("Unplaced District Council")  # no coordinates: after any known distance
    unplaced_case = CaseStudyFactory(title="A district", councils=[unplaced])
    ranked = client.get(PAGE, {"council": "adur"}).context["results"]
    assert [r.case_study for r in ranked] == [neighbour_case, far_case, unplaced_case]
    assert [r.score for r in ranked] == [7, 4, 4]


def test_a_name_that_matches_several_councils_lists_them_to_choose_from(client) -> None:
    CouncilFactory(name="Suffolk County Council", slug="suffolk")
    CouncilFactory(name="West Suffolk Council", slug="west-suffolk")
    response = client.get(PAGE, {"council": "Suffolk"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 councils match “Suffolk”" in html
    assert 'href="/councils-like-mine/?council=west-suffolk"' in html


@pytest.mark.parametrize("text", ["Atlantis", "", " ", "x" * 151, "Forest Heath District Council"])
def test_an_unknown_council_is_a_400_with_the_error_summary_and_the_field_error(client, text) -> None:
    CouncilFactory(name="Forest Heath District Council", abolished_on="2019-04-01")
    response = client.get(PAGE, {"council": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<div class="govuk-error-summary" data-module="govuk-error-summary">' in html
    assert '<a href="#council">' in html
    assert '<p id="council-error" class="govuk-error-message">' in html
    assert "<title>Error: " in html


def test_other_parameters_are_ignored(client, adur, neighbour_case) -> None:
    assert client.get(PAGE, {"council": "adur", "utm_source": "x"}).status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_the_page_queries_do_not_grow_with_the_number_of_case_studies(
    client, adur, django_assert_num_queries, size
) -> None:
    for n in range(size):
        CaseStudyFactory(councils=[_district(f"District {n}", 70_000 + n)])
    # the council's matches (exists + rows), the datalist's names, the councils with case studies,
    # the lineage, the case studies, their council links (+ councils), model links (+ models),
    # service areas and headline figures
    with django_assert_num_queries(10):
        assert len(client.get(PAGE, {"council": "adur"}).context["results"]) == size


# --- Where it is linked from ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/case-studies/"])
def test_the_home_page_and_the_finder_link_to_it(client, path) -> None:
    assert f'href="{PAGE}"' in client.get(path).content.decode()


def test_a_current_councils_page_links_to_councils_like_it(client, adur) -> None:
    html = client.get(reverse("councils:detail", kwargs={"slug": "adur"})).content.decode()
    assert f'<a class="govuk-link" href="{PAGE}?council=adur">Case studies from councils like this one</a>' in html


# --- The API --------------------------------------------------------------------------------------


def test_the_api_gives_the_same_ranking_with_reasons_and_score(client, adur, neighbour_case) -> None:
    body = client.get("/api/v1/councils/adur/similar-case-studies/").json()
    assert body["council"]["slug"] == "adur"
    assert (body["population_factor"], body["nearby_km"]) == (2, 80)
    (result,) = body["results"]
    assert result["case_study"]["slug"] == neighbour_case.slug
    assert result["council"]["slug"] == "horsham"
    assert result["score"] == 7 and result["distance_km"] == 40.0
    assert [(r["kind"], r["points"]) for r in result["reasons"]] == [
        ("council_type", 3),
        ("population", 2),
        ("region", 1),
        ("distance", 1),
    ]
    assert result["why"] == "also a district council, population 90k vs 64k, also in the South East, 40 km away"


def test_the_api_answers_an_unknown_council_with_404(client) -> None:
    response = client.get("/api/v1/councils/atlantis/similar-case-studies/")
    assert response.status_code == 404 and "detail" in response.json()


def test_the_api_answers_an_unknown_parameter_with_400(client, adur) -> None:
    response = client.get("/api/v1/councils/adur/similar-case-studies/", {"region": "london"})
    assert response.status_code == 400
    assert response.json() == {"region": ["Unknown parameter. Accepted parameters: format."]}


@pytest.mark.parametrize("size", [2, 12])
def test_the_api_queries_do_not_grow_with_the_number_of_case_studies(
    client, adur, django_assert_num_queries, size
) -> None:
    for n in range(size):
        CaseStudyFactory(councils=[_district(f"District {n}", 70_000 + n)])
    # the council, the councils with case studies, the lineage, the case studies, their council
    # links (+ councils), model links (+ models), service areas and headline figures
    with django_assert_num_queries(8):
        assert len(client.get("/api/v1/councils/adur/similar-case-studies/").json()["results"]) == size


# --- How numbers read -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "text"), [(64_112, "64k"), (89_600, "90k"), (950, "950"), (1_141_816, "1.1m"), (2_000_000, "2m")]
)
def test_populations_are_rounded_as_the_reasons_say_them(number, text) -> None:
    assert short_population(number) == text


@pytest.mark.parametrize(
    "query",
    ["council=%00", "council=" + "x" * 10_000, "council=%F0%9F%98%80%E2%80%AE", "council=a&council=%FF", "council=%25"],
)
def test_no_input_gives_a_500(client, adur, query) -> None:
    assert client.get(f"{PAGE}?{query}").status_code in {200, 400}
