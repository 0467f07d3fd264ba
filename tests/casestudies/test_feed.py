"""Alerts: an Atom feed for any finder search, through the finder's own FilterSet, with dates from
the history. Checked by parsing the XML."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, ContactFactory, CouncilFactory, FigureFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = "/case-studies/feed/"


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entry_slugs(feed: ET.Element) -> list[str]:
    return [entry.find(f"{ATOM}link").get("href").rstrip("/").rsplit("/", 1)[1] for entry in feed.iter(f"{ATOM}entry")]


def test_feed_is_valid_atom_with_the_required_elements(client, library_of):
    library_of(3)
    feed = parse(client.get(FEED, {"model": "sharing"}))
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}").text, name
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Council Transformation Library"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/case-studies/feed/?model=sharing"
    assert feed.find(f"{ATOM}id").text == "http://testserver/case-studies/?model=sharing"
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text, name
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/case-studies/")
        datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)


@pytest.mark.parametrize(
    "query", ["", "model=sharing", "model=commissioning&council_type=district", "q=services", "year_from=2014"]
)
def test_feed_has_the_same_case_studies_as_the_finder(client, library_of, query):
    library_of(6)
    finder_slugs = sorted(case.slug for case in client.get(f"/case-studies/?{query}").context["page_obj"].object_list)
    assert sorted(entry_slugs(parse(client.get(f"{FEED}?{query}")))) == finder_slugs


def test_feed_leaves_out_drafts(client, library_of):
    library_of(1)
    CaseStudyFactory(slug="a-draft", status=CaseStudy.Status.DRAFT)
    assert "a-draft" not in entry_slugs(parse(client.get(FEED)))


def test_entries_are_dated_from_the_history_newest_change_first(client, library_of):
    older, _newer = library_of(2)
    # A figure added to the older case later is a substantial change: it comes first.
    later = timezone.now() + datetime.timedelta(days=3)
    figure = FigureFactory(case_study=older)
    figure.history.update(history_date=later)
    feed = parse(client.get(FEED))
    assert entry_slugs(feed)[0] == older.slug
    first = feed.find(f"{ATOM}entry")
    assert datetime.datetime.fromisoformat(first.find(f"{ATOM}updated").text) == later
    published = datetime.datetime.fromisoformat(first.find(f"{ATOM}published").text)
    assert published < later
    assert datetime.datetime.fromisoformat(feed.find(f"{ATOM}updated").text) == later


def test_a_changed_contact_does_not_make_a_case_new(client, library_of):
    older, _newer = library_of(2)
    contact = ContactFactory(case_study=older)
    contact.history.update(history_date=timezone.now() + datetime.timedelta(days=3))
    feed = parse(client.get(FEED))
    updated = {
        slug: entry.find(f"{ATOM}updated").text
        for slug, entry in zip(entry_slugs(feed), feed.iter(f"{ATOM}entry"), strict=True)
    }
    assert datetime.datetime.fromisoformat(updated[older.slug]) < timezone.now() + datetime.timedelta(days=1)


def test_feed_entry_published_is_when_it_was_first_published(client, db):
    case = CaseStudyFactory(status=CaseStudy.Status.DRAFT, councils=[CouncilFactory()])
    case.history.update(history_date=timezone.now() - datetime.timedelta(days=10))
    case.status = CaseStudy.Status.PUBLISHED
    case.save()
    entry = parse(client.get(FEED)).find(f"{ATOM}entry")
    published = datetime.datetime.fromisoformat(entry.find(f"{ATOM}published").text)
    assert published > timezone.now() - datetime.timedelta(days=1)


@pytest.mark.parametrize("query", ["year_from=abc", "model=nonsense", "q=%00"])
def test_feed_of_an_invalid_search_is_a_400_naming_the_problem(client, library_of, query):
    library_of(1)
    response = client.get(f"{FEED}?{query}")
    assert response.status_code == 400
    assert "This search has a problem" in response.content.decode()


def test_finder_links_to_the_feed_of_the_same_search(client, library_of):
    library_of(2)
    html = client.get("/case-studies/?model=sharing&ordering=title&page=1&compare=x,y").content.decode()
    head = '<link rel="alternate" type="application/atom+xml" title="Updates for this search (Atom feed)"'
    assert f'{head} href="/case-studies/feed/?model=sharing">' in html
    link = 'href="/case-studies/feed/?model=sharing" rel="nofollow" type="application/atom+xml" data-feed-link>'
    assert f"{link}Get updates for this search" in html


@pytest.mark.parametrize("size", [3, 30])
def test_feed_query_count_is_constant(client, library_of, django_assert_num_queries, size):
    library_of(size)
    # the model slug checked by the FilterSet; the matching case studies with their dates; the five
    # option lists of the title's filter labels
    with django_assert_num_queries(7):
        client.get(FEED, {"model": "sharing"})
