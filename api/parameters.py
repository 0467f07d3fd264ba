"""Which query parameters a URL accepts, and the one canonical form of a query string.

The one home of that fact is the view behind the URL: a list's FilterSet (the same class for the
web page and the API), its page parameters, and for the API ``format`` and an action's own
parameters (``CSVListMixin.accepted_parameters``). A page built on django-filter's ``FilterView``
says so through :class:`CanonicalQueryMixin`. Of a view that declares nothing it is not known
which parameters change its answer.

In the canonical form only accepted parameters are kept, in name order; a parameter whose form
field takes several values (a FilterSet's ``MultipleChoiceFilter``: ``?model=a&model=b`` means
"a or b") keeps each of its values once, sorted; any other keeps its last value, the one
``QueryDict.get`` and so every form field, paginator and template reads. Two query strings with
the same canonical form get the same answer, which is what the response cache
(``api/library_cache.py``) keys on, and what the web pages build their links from, so that
``?utm_source=x`` is ignored rather than carried along.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict
from django.urls import ResolverMatch
from django.utils.functional import cached_property
from rest_framework.exceptions import NotAcceptable, ValidationError
from rest_framework.request import Request
from rest_framework.settings import api_settings


@functools.cache
def multiple_valued(filterset_class: type) -> frozenset[str]:
    """The FilterSet's parameters whose widget reads every value of the parameter (``getlist``)."""
    form = filterset_class().form  # built once per class; its fields' querysets are never evaluated
    return frozenset(
        name for name, field in form.fields.items() if getattr(field.widget, "allow_multiple_selected", False)
    )


@dataclass(frozen=True)
class AcceptedParameters:
    """The query parameters an endpoint reads: ``single`` ones by their last value, ``multiple``
    ones by their set of values."""

    single: frozenset[str] = frozenset()
    multiple: frozenset[str] = frozenset()

    @classmethod
    def of(cls, filterset_class: type | None = None, *, single: Iterable[str] = ()) -> AcceptedParameters:
        """A FilterSet's parameters (if any) plus ``single`` others (page, format, …)."""
        multiple = multiple_valued(filterset_class) if filterset_class is not None else frozenset()
        filters = frozenset(filterset_class.base_filters) if filterset_class is not None else frozenset()
        return cls(single=(filters - multiple) | frozenset(single), multiple=multiple)

    @property
    def names(self) -> list[str]:
        return sorted(self.single | self.multiple)

    def unknown(self, query: QueryDict) -> list[str]:
        """The parameters of ``query`` that are not accepted, sorted."""
        return sorted(set(query) - self.single - self.multiple)

    def canonical(self, query: QueryDict, *, leave_out: Iterable[str] = ()) -> QueryDict:
        """``query`` with only the accepted parameters (less ``leave_out``), normalised (module docstring)."""
        kept = (set(query) & (self.single | self.multiple)) - set(leave_out)
        pairs: list[tuple[str, str]] = []
        for name in sorted(kept):
            values = query.getlist(name)
            pairs.extend((name, value) for value in (sorted(set(values)) if name in self.multiple else values[-1:]))
        return QueryDict(urlencode(pairs))


class CanonicalQueryMixin:
    """For a ``FilterView`` page: it accepts its FilterSet's parameters and, when it paginates, its
    page parameter; the FilterSet, the paginator and the template read only :attr:`query`."""

    request: HttpRequest
    filterset_class: Any
    paginate_by: int | None
    page_kwarg: str

    def accepted_parameters(self) -> AcceptedParameters:
        return AcceptedParameters.of(self.filterset_class, single=[self.page_kwarg] if self.paginate_by else [])

    @cached_property
    def query(self) -> QueryDict:
        """The request's query string in its canonical form; unknown parameters are dropped."""
        return self.accepted_parameters().canonical(self.request.GET)

    def get_filterset_kwargs(self, filterset_class: type) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)  # type: ignore[misc]
        kwargs["data"] = self.query or None  # nothing known asked: the unbound (unfiltered) list
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(query=self.query, **kwargs)  # type: ignore[misc]


def view_for(request: HttpRequest, match: ResolverMatch) -> Any:
    """An instance of the class-based view ``match`` leads to, set up for ``request`` as it would
    be before its handler runs (DRF viewsets: with their ``action``), or None for a function view.

    Only public attributes are set: those DRF's own ``SchemaGenerator.create_view`` sets to inspect
    a view without dispatching it, and Django's documented ``View.setup()``.
    """
    callback = match.func
    drf_class = getattr(callback, "cls", None)
    if drf_class is not None:
        view = drf_class(**getattr(callback, "initkwargs", {}))
        actions = getattr(callback, "actions", None)
        if actions is not None:
            view.action_map = actions
            view.action = actions.get(request.method.lower()) if request.method else None
        view.args, view.kwargs = match.args, match.kwargs
        view.request = Request(request, authenticators=())
        view.format_kwarg = view.get_format_suffix(**match.kwargs)
        return view
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return None
    view = view_class(**getattr(callback, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    return view


def accepted_parameters(view: Any) -> AcceptedParameters | None:
    """What ``view`` (from :func:`view_for`) accepts, or None when it does not say."""
    declared = getattr(view, "accepted_parameters", None)
    return declared() if callable(declared) else None


class StrictQueryMixin:
    """An endpoint that accepts exactly its documented query parameters and formats: anything else
    is a 400 naming the parameter (and listing the accepted ones), a format it does not offer a 406
    listing the offered ones. For any DRF view; the viewsets get it through :class:`CSVListMixin`."""

    # Parameters an action accepts beyond its filters, paging and format (e.g. {"summary": ["group_by"]}).
    action_parameters: dict[str | None, list[str]] = {}

    def accepted_parameters(self) -> AcceptedParameters:
        """Every query parameter this request accepts: ``format`` and the action's own."""
        action = getattr(self, "action", None)
        return AcceptedParameters.of(single={api_settings.URL_FORMAT_OVERRIDE, *self.action_parameters.get(action, [])})

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """A parameter the endpoint does not know is a 400 that names it and lists those it does:
        a typo (``regoin=london``) must not silently return everything."""
        super().initial(request, *args, **kwargs)
        if getattr(self, request.method.lower(), None) is None:
            return  # a method the endpoint does not have: its 405 says more than a parameter error
        accepted = self.accepted_parameters()
        unknown = accepted.unknown(request.query_params)
        if unknown:
            listed = ", ".join(accepted.names)
            raise ValidationError({name: [f"Unknown parameter. Accepted parameters: {listed}."] for name in unknown})

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        """A ``format`` this endpoint does not offer is a 406 that lists the formats it does offer
        (DRF would answer a bare 404)."""
        asked = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        if asked is None or force:
            return super().perform_content_negotiation(request, force)
        offered = [renderer.format for renderer in self.get_renderers()]
        if asked not in offered:
            raise NotAcceptable(
                f"format={asked} is not offered here. Use one of: {', '.join(offered)} (or leave format out)."
            )
        return super().perform_content_negotiation(request, force)
