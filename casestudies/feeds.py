"""Alerts: an Atom feed of any finder search (``/case-studies/feed/?<the finder's filters>``), through
Django's syndication framework and the finder's own :class:`~casestudies.filters.CaseStudyFilter`.

An entry is a case study that matches; its ``published`` date is when it was first published and its
``updated`` date the latest substantial change recorded in the history
(``CaseStudyQuerySet.with_feed_dates``), newest first, so a feed reader shows new and changed cases.
"""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import QueryDict
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from . import finder
from .filters import CaseStudyFilter
from .models import CaseStudy

FEED_SIZE = 50


class CaseStudyFeed(Feed):
    """The feed of one bound, valid :class:`CaseStudyFilter` (built by the view)."""

    feed_type = Atom1Feed
    author_name = "Council Transformation Library"

    def __init__(self, filterset: CaseStudyFilter) -> None:
        self.filterset = filterset

    def _query(self) -> QueryDict:
        return finder.search_query(self.filterset.data)

    def title(self) -> str:
        query = self._query()
        tags = finder.selected_tags(query, finder.option_labels(query), reverse("casestudies:list"))
        described = "; ".join(tag.label for tag in tags)
        return f"Case studies{f' ({described})' if described else ''}: Council Transformation Library"

    def subtitle(self) -> str:
        return "Case studies matching this search, newest or most recently changed first."

    def link(self) -> str:
        encoded = self._query().urlencode()
        return reverse("casestudies:list") + (f"?{encoded}" if encoded else "")

    def feed_url(self) -> str:
        return finder.feed_url(self.filterset.data)

    def items(self) -> list[CaseStudy]:
        return list(self.filterset.qs.with_feed_dates().order_by("-last_changed", "title")[:FEED_SIZE])

    def item_title(self, item: CaseStudy) -> str:
        return item.title

    def item_description(self, item: CaseStudy) -> str:
        return item.summary

    def item_pubdate(self, item: CaseStudy) -> datetime.datetime:
        return item.first_published

    def item_updateddate(self, item: CaseStudy) -> datetime.datetime:
        return item.last_changed
