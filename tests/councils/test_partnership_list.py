"""/councils/partnerships/ and /programmes/ (issue 15): list pages over the same FilterSets as the API,
where an unknown parameter is ignored (a pasted URL still works) and a bad value is a 400 form error."""

from __future__ import annotations

import pytest

from tests.factories import CouncilFactory, PartnershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnerships(db) -> None:
    shared = PartnershipFactory(slug="shire-shared", name="Shire Shared", formed_year=2011)
    shared.members.set([CouncilFactory(slug="north", name="North Shire"), CouncilFactory(name="South Shire")])
    PartnershipFactory(slug="other", name="Other Pair")


def test_partnership_list_links_every_partnership_with_its_members(client, partnerships) -> None:
    response = client.get("/councils/partnerships/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/councils/partnerships/shire-shared/"' in html
    assert "North Shire, South Shire" in html
    assert "2 partnerships" in html


def test_partnership_list_filters_by_member_council(client, partnerships) -> None:
    html = client.get("/councils/partnerships/?council=north").content.decode()
    assert "Shire Shared" in html and "Other Pair" not in html


def test_partnership_list_ignores_an_unknown_parameter(client, partnerships) -> None:
    response = client.get("/councils/partnerships/?utm_source=newsletter&q=pair")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Other Pair" in html and "Shire Shared" not in html


def test_partnership_list_with_an_unknown_council_shows_the_error_summary(client, partnerships) -> None:
    response = client.get("/councils/partnerships/?council=atlantis")
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and 'href="#council"' in html


def test_partnership_list_queries_are_pinned(client, partnerships, django_assert_num_queries) -> None:
    # session-free anonymous page: partnerships + counts, their members, the member-council choices
    with django_assert_num_queries(3):
        assert client.get("/councils/partnerships/").status_code == 200


def test_programme_list_links_every_programme_with_its_project_count(client, db) -> None:
    ProgrammeFactory(slug="delivering-differently", name="Delivering Differently", fund_amount=None)
    response = client.get("/programmes/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/programmes/delivering-differently/"' in html
    assert "1 programme" in html


def test_programme_list_ignores_an_unknown_parameter_and_filters_by_name(client, db) -> None:
    ProgrammeFactory(name="Alpha Fund")
    ProgrammeFactory(name="Other Fund")
    response = client.get("/programmes/?fbclid=abc&q=other")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Other Fund" in html and "Alpha Fund" not in html


def test_programme_list_with_too_long_a_name_shows_the_error_summary(client, db) -> None:
    response = client.get("/programmes/", {"q": "x" * 500})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()


def test_programme_list_queries_are_pinned(client, db, django_assert_num_queries) -> None:
    ProgrammeFactory()
    ProgrammeFactory()
    # programmes + project counts
    with django_assert_num_queries(1):
        assert client.get("/programmes/").status_code == 200


def test_partnership_list_any_council_is_no_filter(client, partnerships) -> None:
    response = client.get("/councils/partnerships/?q=&council=")
    assert response.status_code == 200
    assert "2 partnerships" in response.content.decode()
