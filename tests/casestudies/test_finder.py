"""The case-study finder: the shared CaseStudyFilter, counts, tags, errors and the API links."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import CaseStudyFactory, CouncilFactory, ServiceAreaFactory

pytestmark = pytest.mark.django_db

FINDER = "/case-studies/"


def test_finder_lists_published_case_studies_with_a_result_count(client, library_of):
    library_of(3)
    response = client.get(FINDER)
    assert response.status_code == 200
    assert "3 case studies found" in response.content.decode()


def test_finder_filters_by_model_and_council_type(client, library_of):
    made = library_of(6)
    response = client.get(FINDER + "?model=sharing&council_type=county")
    slugs = [case.slug for case in response.context["page_obj"].object_list]
    # sharing = even indexes, county = even indexes: cases 0, 2, 4
    assert slugs == sorted([made[0].slug, made[2].slug, made[4].slug], key=lambda s: int(s.rsplit("-", 1)[1]))
    assert "3 case studies found" in response.content.decode()


def test_finder_shows_counts_beside_options(client, library_of):
    library_of(4)
    html = client.get(FINDER + "?model=sharing").content.decode()
    assert 'data-facet-count="model-sharing">(2)' in html
    assert 'data-facet-count="model-commissioning">(2)' in html  # other filters only
    assert 'data-facet-count="council_type-county">(2)' in html


def test_selected_filters_are_removable_tags(client, library_of):
    library_of(2)
    html = client.get(FINDER + "?model=sharing&region=london").content.decode()
    assert "Transformation model: Sharing" in html
    assert 'href="/case-studies/?region=london"' in html  # removes the model, keeps the region


def test_finder_links_the_same_query_to_the_api_as_json_and_csv(client, library_of):
    library_of(1)
    html = client.get(FINDER + "?model=sharing&council_type=county&page=1").content.decode()
    # Parameters in name order (api/parameters.py: one canonical form per query).
    assert 'href="/api/v1/case-studies/?council_type=county&amp;model=sharing"' in html
    assert 'href="/api/v1/case-studies/?council_type=county&amp;model=sharing&amp;format=csv"' in html


def test_finder_links_leave_out_parameters_it_does_not_know(client, library_of):
    library_of(1)
    html = client.get(FINDER + "?model=sharing&utm_source=newsletter").content.decode()
    assert "utm_source" not in html  # the API would answer 400 to it
    assert 'href="/api/v1/case-studies/?model=sharing"' in html


def test_finder_sorts_by_annual_saving(client, library_of):
    made = library_of(3)
    response = client.get(FINDER + "?ordering=-annual_saving")
    assert [case.slug for case in response.context["page_obj"].object_list] == [c.slug for c in reversed(made)]


def test_result_card_shows_headline_saving_with_status(client, library_of):
    library_of(1)
    html = " ".join(client.get(FINDER).content.decode().split())
    assert "Headline saving" in html
    assert "£1m a year" in html
    assert "Achieved" in html


def test_finder_paginates_twenty_per_page(client, library_of):
    library_of(21)
    first = client.get(FINDER)
    assert len(first.context["page_obj"].object_list) == 20
    assert 'rel="next"' in first.content.decode()
    second = client.get(FINDER + "?page=2")
    assert len(second.context["page_obj"].object_list) == 1


@pytest.mark.parametrize(
    "query",
    ["model=bogus", "council_type=castle", "year_from=abc", "year_to=99999", "ordering=colour", "min_annual_saving=-5"],
)
def test_invalid_filter_value_shows_error_summary_with_400(client, library_of, query):
    library_of(1)
    response = client.get(f"{FINDER}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "There is a problem with the filters" in html
    assert "<title>Error:" in html


def test_error_summary_names_the_field(client, db):
    html = client.get(FINDER + "?year_from=abc").content.decode()
    assert 'href="#year_from"' in html
    assert "Started in or after: Enter a whole number." in html


def test_page_beyond_the_last_is_not_found(client, library_of):
    library_of(1)
    assert client.get(FINDER + "?page=99").status_code == 404


def test_search_box_finds_by_title(client, library_of):
    made = library_of(3)
    response = client.get(FINDER + f"?q={made[1].title.replace(' ', '+')}")
    assert made[1] in list(response.context["page_obj"].object_list)


def test_finder_url_is_the_list_url():
    assert reverse("casestudies:list") == FINDER


def test_a_finder_page_with_several_filters_is_not_indexed_nor_its_links_followed(client, library_of) -> None:
    library_of(3)
    page = client.get("/case-studies/?model=sharing&council_type=county").content.decode()
    assert '<meta name="robots" content="noindex">' in page
    assert 'class="ctl-remove-tag govuk-link" href="/case-studies/?council_type=county" rel="nofollow"' in page


def test_a_finder_page_with_one_filter_may_be_indexed(client, library_of) -> None:
    library_of(3)
    page = client.get("/case-studies/?model=sharing").content.decode()
    assert 'name="robots"' not in page


def test_best_match_is_offered_only_when_searching(client, library_of) -> None:
    library_of(3)
    browsing = client.get("/case-studies/").context["sort_options"]
    searching = client.get("/case-studies/?q=case").context["sort_options"]
    assert browsing[0] == ("", "Title (A to Z)") and "Best match" not in dict(browsing).values()
    assert searching[0] == ("", "Best match") and ("title", "Title (A to Z)") in searching


def _council_options(response) -> list[str]:
    (group,) = [group for group in response.context["groups"] if group.param == "council"]
    return [option.value for option in group.options]


def test_council_options_are_the_councils_taking_part_in_published_case_studies(client):
    taking_part = CouncilFactory(slug="riverside")
    CaseStudyFactory(councils=[taking_part])
    CaseStudyFactory(councils=[CouncilFactory(slug="draft-only")], status="draft")
    CouncilFactory(slug="register-only")  # one of the register's hundreds with no case study
    assert _council_options(client.get(FINDER)) == ["riverside"]


def test_a_chosen_council_stays_an_option_though_it_has_no_case_study(client):
    CouncilFactory(slug="register-only", name="Register Only Council")
    response = client.get(FINDER + "?council=register-only")
    assert _council_options(response) == ["register-only"]
    assert "Council: Register Only Council" in response.content.decode()


def test_a_chosen_option_is_a_checked_checkbox_and_the_others_are_not(client):
    CaseStudyFactory(councils=[CouncilFactory(slug="riverside"), CouncilFactory(slug="hillside")])
    html = client.get(FINDER + "?council=riverside").content.decode()
    assert re.search(r'<input [^>]*name="council" type="checkbox" value="riverside" checked>', html)
    assert re.search(r'<input [^>]*name="council" type="checkbox" value="hillside">', html)


def test_option_labels_are_escaped_in_the_filter_panel(client):
    CaseStudyFactory(service_areas=[ServiceAreaFactory(slug="odd", name='Roads <script>alert("x")</script> & paths')])
    html = client.get(FINDER).content.decode()
    assert "<script>alert" not in html
    assert "Roads &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; paths" in html
