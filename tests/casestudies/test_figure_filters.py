"""The figure list's filters (issue 15): council, service area, per-year range and ordering, on top of
the case study, model and figure fields; every one narrows the list instead of being ignored."""

from __future__ import annotations

import pytest

from casestudies.models import Figure
from tests.factories import CouncilFactory, FigureFactory

pytestmark = pytest.mark.django_db


def quotes(api, query: str) -> list[str]:
    response = api(f"figures/?page_size=100&{query}")
    assert response.status_code == 200, response.json()
    return [row["quote"] for row in response.json()["results"]]


@pytest.fixture
def figures(library) -> dict[str, Figure]:
    """The library's three published figures, told apart by their quotes, and one per council."""
    Figure.objects.filter(case_study__slug="both-models").update(quote="both")
    Figure.objects.filter(case_study__slug="shared").update(quote="shared")
    Figure.objects.filter(case_study__slug="holistic-barnet").update(quote="barnet income")
    both = library["both"]
    suffolk_only = FigureFactory(
        case_study=both, applies_to=[both.councils.get(slug="suffolk")], quote="suffolk's own", amount_high=7_000_000
    )
    return {"suffolk_only": suffolk_only}


def test_service_area_filter_keeps_the_figures_of_case_studies_in_that_area(api, figures) -> None:
    assert sorted(quotes(api, "service_area=waste")) == ["both", "suffolk's own"]


def test_council_filter_keeps_its_own_figures_and_unattributed_ones_of_its_cases(api, figures) -> None:
    # Wychavon takes part in "both" and "shared"; the figure that names Suffolk is not Wychavon's.
    assert sorted(quotes(api, "council=wychavon")) == ["both", "shared"]
    assert sorted(quotes(api, "council=suffolk")) == ["both", "suffolk's own"]


def test_council_filter_repeated_means_or(api, figures) -> None:
    assert sorted(quotes(api, "council=barnet&council=suffolk")) == ["barnet income", "both", "suffolk's own"]


def test_council_filter_leaves_out_a_figure_named_for_another_council(api, figures) -> None:
    other = CouncilFactory(slug="elsewhere")
    figures["suffolk_only"].case_study.council_links.create(council=other, role="partner", position=3)
    assert "suffolk's own" not in quotes(api, "council=elsewhere")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("min_annual=1000000", ["both", "suffolk's own"]),
        ("max_annual=1000000", ["barnet income", "shared"]),
        ("min_annual=400000&max_annual=2000000", ["both", "shared"]),
        ("min_annualised=1000000", ["both", "suffolk's own"]),
    ],
)
def test_per_year_range(api, figures, query, expected) -> None:
    assert sorted(quotes(api, query)) == expected


def test_ordering_by_annual_value_descending(api, figures) -> None:
    assert quotes(api, "ordering=-annual") == ["suffolk's own", "both", "shared", "barnet income"]


def test_ordering_by_case_study_title(api, figures) -> None:
    # "A shared and holistic council", "Barnet one council", "Shared services"
    assert quotes(api, "ordering=case_study")[-1] == "shared"
    assert quotes(api, "ordering=case_study")[2] == "barnet income"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"council": "atlantis"}, "council"),
        ({"service_area": "housing"}, "service_area"),
        ({"min_annual": "lots"}, "min_annual"),
        ({"max_annual": "-1"}, "max_annual"),
        ({"ordering": "colour"}, "ordering"),
    ],
)
def test_bad_figure_filter_values_are_a_400_naming_the_parameter(api, figures, params, parameter) -> None:
    response = api("figures/", params)
    assert response.status_code == 400
    assert parameter in response.json()


def test_figure_filters_apply_to_the_csv_too(api, figures) -> None:
    response = api("figures/", {"format": "csv", "service_area": "waste"})
    body = b"".join(response.streaming_content).decode()
    assert body.count("\n") == 3  # the header and the two figures of the waste case


def test_figure_list_queries_are_pinned_with_every_filter(api, figures, django_assert_num_queries) -> None:
    # the slugs given, checked: council, model, service area, case study; then the count and the page of
    # figures + case study, then the councils they apply to (every filter is a condition of the first two,
    # an EXISTS for the links)
    query = (
        "council=suffolk&model=sharing&service_area=waste&region=east_of_england&council_type=county"
        "&kind=saving&status=achieved&measure=money&period=per_year&min_annual=1&max_annual=10000000"
        "&ordering=-annual&case_study=both-models"
    )
    with django_assert_num_queries(7):
        assert len(quotes(api, query)) == 2


def test_an_empty_slug_filter_is_no_filter(api, figures) -> None:
    assert len(quotes(api, "council=&service_area=")) == 4


@pytest.mark.parametrize("value", ["True", " true", "yes"])
def test_true_false_parameters_take_exactly_the_documented_values(api, library, value) -> None:
    assert api("case-studies/", {"has_figures": value}).status_code == 400
