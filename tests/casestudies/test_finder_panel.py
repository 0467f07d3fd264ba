"""The pure parts of the finder page: pagination links, tag removal and API links."""

from __future__ import annotations

from django.http import QueryDict

from casestudies import finder


def test_page_links_show_first_last_and_neighbours_with_ellipses():
    links = finder.page_links(QueryDict("model=sharing"), "/case-studies/", current=5, last=10)
    assert [link.number for link in links] == [1, None, 4, 5, 6, None, 10]
    assert [link.number for link in links if link.current] == [5]
    assert links[0].url == "/case-studies/?model=sharing"
    assert links[-1].url == "/case-studies/?model=sharing&page=10"


def test_removing_one_value_keeps_the_others_and_resets_the_page():
    query = QueryDict("region=london&region=wales&model=sharing&page=3")
    assert finder.url_without(query, "/case-studies/", "region", "wales") == (
        "/case-studies/?region=london&model=sharing"
    )


def test_api_links_drop_page_and_add_csv_format():
    links = finder.api_links(QueryDict("q=waste&page=2"))
    assert links == {"json": "/api/v1/case-studies/?q=waste", "csv": "/api/v1/case-studies/?q=waste&format=csv"}


def test_api_links_without_filters():
    assert finder.api_links(QueryDict(""))["json"] == "/api/v1/case-studies/"
