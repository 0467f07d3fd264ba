"""What the case-study finder page shows around the results: the filter panel with counts,
the selected filters as removable tags, pagination links and the API links.

Pure functions of the request's query string, the bound :class:`CaseStudyFilter` and the
facet counts, so they are tested without a request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse, QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from councils.models import Council, CouncilType, Partnership, Region
from transform_models.models import TransformationModel

from .filters import SAVING_SORTS, CaseStudyFilter
from .models import CaseStudy, Figure, FigureKind, Programme, ServiceArea

API_LIST_PATH = "/api/v1/case-studies/"

SORT_OPTIONS = [
    ("title", "Title (A to Z)"),
    ("-year", "Newest first"),
    ("year", "Oldest first"),
    ("-annual_saving", "Largest saving per year (achieved first, then expected)"),
    ("-achieved_saving", "Largest achieved saving per year"),
    ("-expected_saving", "Largest expected saving per year"),
]


def saving_sort(ordering: str) -> str | None:
    """The annotation a saving sort orders by (``None`` for any other sort)."""
    return SAVING_SORTS.get(ordering.removeprefix("-"))


def sort_options(searching: bool) -> list[tuple[str, str]]:
    """The sort menu: "Best match" is the default only when there is a search to match; without
    one the default order is by title, so that is what the first option says."""
    if searching:
        return [("", "Best match"), *SORT_OPTIONS]
    return [("", SORT_OPTIONS[0][1]), *SORT_OPTIONS[1:]]


YEAR_FIELDS = [("year_from", "From"), ("year_to", "To")]
HAS_FIGURES_OPTIONS = [("", "Any"), ("true", "Yes"), ("false", "No")]

# Parameters whose options are listed with a checkbox each, in the order of the panel.
CHECKBOX_PARAMS = (
    "model",
    "council_type",
    "region",
    "service_area",
    "stage",
    "figure_status",
    "figure_kind",
    "council",
    "partnership",
    "programme",
)
# Shown open: the ones a newcomer reaches for first.
OPEN_PARAMS = ("model", "council_type", "region")


@dataclass
class Option:
    value: str
    label: str
    checked: bool
    count: int | None = None


# One checkbox of a filter group, as GOV.UK Frontend marks it up. Built with ``format_html`` rather
# than in the page's template: a group can list hundreds of options (one per council), and the
# template engine resolving each option's variables made that loop the costliest part of the page.
OPTION_HTML = (
    '<div class="govuk-checkboxes__item">'
    '<input class="govuk-checkboxes__input" id="{input_id}" name="{param}" type="checkbox" value="{value}"{checked}>'
    '<label class="govuk-label govuk-checkboxes__label" for="{input_id}">{label}{count}</label>'
    "</div>"
)
COUNT_HTML = ' <span class="ctl-count" data-facet-count="{}">({})</span>'


@dataclass
class FilterGroup:
    param: str
    legend: str
    options: list[Option] = field(default_factory=list)
    open: bool = False

    @property
    def selected_count(self) -> int:
        return sum(option.checked for option in self.options)

    def checkboxes(self) -> SafeString:
        """The group's checkboxes, escaped (labels and values come from curated data)."""
        return format_html_join(
            "\n",
            OPTION_HTML,
            (
                {
                    "input_id": f"{self.param}-{position}",
                    "param": self.param,
                    "value": option.value,
                    "checked": " checked" if option.checked else "",
                    "label": option.label,
                    # The key finder.js updates the count by.
                    "count": ""
                    if option.count is None
                    else format_html(COUNT_HTML, f"{self.param}-{option.value}", option.count),
                }
                for position, option in enumerate(self.options, start=1)
            ),
        )


@dataclass
class Tag:
    label: str
    remove_url: str


@dataclass
class PageLink:
    number: int | None
    url: str = ""
    current: bool = False


def option_labels(query: QueryDict) -> dict[str, list[tuple[str, str]]]:
    """(value, label) of every option of every checkbox parameter, for the finder's ``query``.
    Five queries."""
    return {
        "model": list(TransformationModel.objects.values_list("slug", "name")),
        "council_type": list(CouncilType.choices),
        "region": list(Region.choices),
        "service_area": list(ServiceArea.objects.values_list("slug", "name")),
        "stage": list(CaseStudy.Stage.choices),
        "figure_status": list(Figure.Status.choices),
        "figure_kind": list(FigureKind.choices),
        "council": list(
            Council.objects.taking_part_or_chosen(query.getlist("council")).order_by("name").values_list("slug", "name")
        ),
        "partnership": list(Partnership.objects.values_list("slug", "name")),
        "programme": list(Programme.objects.values_list("slug", "name")),
    }


def filter_groups(
    query: QueryDict, labels: dict[str, list[tuple[str, str]]], facets: dict[str, dict[str, int]]
) -> list[FilterGroup]:
    """The checkbox groups of the panel; an option with a facet count shows it."""
    filters = CaseStudyFilter.base_filters
    groups = []
    for param in CHECKBOX_PARAMS:
        chosen = set(query.getlist(param))
        counts = facets.get(param)
        group = FilterGroup(param=param, legend=str(filters[param].label), open=param in OPEN_PARAMS or bool(chosen))
        for value, label in labels[param]:
            count = None if counts is None else counts.get(value, 0)
            group.options.append(Option(value=value, label=str(label), checked=value in chosen, count=count))
        groups.append(group)
    return groups


def selected_tags(query: QueryDict, labels: dict[str, list[tuple[str, str]]], path: str) -> list[Tag]:
    """One removable tag per chosen value of every parameter (except sorting and page)."""
    filters = CaseStudyFilter.base_filters
    names = {param: dict(options) for param, options in labels.items()}
    tags = []
    for param in filters:
        if param == "ordering":
            continue
        for value in query.getlist(param):
            if value == "":
                continue
            shown = names.get(param, {}).get(value, value)
            if param == "has_figures":
                shown = {"true": "yes", "false": "no"}.get(value.lower(), value)
            if param == "q":
                shown = f"“{value}”"
            tags.append(
                Tag(label=f"{filters[param].label}: {shown}", remove_url=url_without(query, path, param, value))
            )
    return tags


def url_without(query: QueryDict, path: str, param: str, value: str) -> str:
    """The finder URL with one value of one parameter removed (and back to page 1)."""
    remaining = query.copy()
    remaining.setlist(param, [v for v in query.getlist(param) if v != value])
    remaining.pop("page", None)
    encoded = remaining.urlencode()
    return f"{path}?{encoded}" if encoded else path


def page_url(query: QueryDict, path: str, number: int) -> str:
    params = query.copy()
    params.pop("page", None)
    if number > 1:
        params["page"] = str(number)
    encoded = params.urlencode()
    return f"{path}?{encoded}" if encoded else path


def page_links(query: QueryDict, path: str, current: int, last: int) -> list[PageLink]:
    """GOV.UK pagination items: first, last and the neighbours of the current page; ``None`` is an ellipsis."""
    shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    links: list[PageLink] = []
    previous = 0
    for number in shown:
        if number - previous > 1:
            links.append(PageLink(number=None))
        links.append(PageLink(number=number, url=page_url(query, path, number), current=number == current))
        previous = number
    return links


FEED_PATH = "/case-studies/feed/"


def search_query(query: QueryDict) -> QueryDict:
    """The filters of a finder query: without the page, the format, the order and the comparison."""
    params = query.copy()
    for name in ("page", "format", "ordering", "compare"):
        params.pop(name, None)
    return params


def feed_url(query: QueryDict) -> str:
    """The Atom feed of the same search (casestudies/feeds.py)."""
    encoded = search_query(query).urlencode()
    return f"{FEED_PATH}?{encoded}" if encoded else FEED_PATH


def api_links(query: QueryDict) -> dict[str, str]:
    """The same search in the API, as JSON and as CSV."""
    params = query.copy()
    params.pop("page", None)
    params.pop("format", None)
    params.pop("compare", None)  # the page's comparison, not a filter
    encoded = params.urlencode()
    json_url = f"{API_LIST_PATH}?{encoded}" if encoded else API_LIST_PATH
    csv_params = params.copy()
    csv_params["format"] = "csv"
    return {"json": json_url, "csv": f"{API_LIST_PATH}?{csv_params.urlencode()}"}


def valid_part(query: QueryDict, errors: dict[str, Any]) -> QueryDict:
    """The query without the parameters that have errors (so facets can still be counted)."""
    valid = query.copy()
    for param in errors:
        valid.pop(param, None)
    return valid


def error_messages(form: Any) -> list[tuple[str, str, str]]:
    """(field, label, message) of every error of a bound form, in the form's order."""
    return [
        (param, str(form.fields[param].label) if param in form.fields else param, message)
        for param, messages in form.errors.items()
        for message in messages
    ]


def error_list(form: Any, grouped: tuple[str, ...] = (*CHECKBOX_PARAMS, "has_figures")) -> list[tuple[str, str]]:
    """(id of the input to focus, message naming the field) for a GOV.UK error summary.

    A checkbox or radio group is linked through its first input, as GOV.UK's pattern asks.
    """
    return [
        (
            f"{param}-1" if param in grouped else param,
            f"{form.fields[param].label if param in form.fields else param}: {message}",
        )
        for param, messages in form.errors.items()
        for message in messages
    ]


class FilterErrorsMixin:
    """For a django-filter ``FilterView`` (councils, programmes, partnerships): its form's
    errors in the context (``errors`` by field, ``error_list`` for the GOV.UK error summary), and
    a 400 when there are any. Unknown parameters are no errors: the form ignores them.
    ``grouped_parameters``: the fields shown as one group of checkboxes (their error links to the
    group, :func:`error_list`)."""

    grouped_parameters: tuple[str, ...] = ()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        bound = self.filterset.is_bound
        context.update(
            errors=self.filterset.form.errors if bound else {},
            error_list=error_list(self.filterset.form, grouped=self.grouped_parameters) if bound else [],
        )
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        if context["errors"]:
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)
