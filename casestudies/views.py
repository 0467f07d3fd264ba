"""Web pages for case studies, programmes and the site's own pages. Thin: the queries live
in the QuerySets, the filtering in :mod:`casestudies.filters`, the panel in :mod:`casestudies.finder`."""

from __future__ import annotations

import re
import sys
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from api.library_cache import CachedCountPaginator
from api.pagination import KnownTotal
from api.parameters import AcceptedParameters, CanonicalQueryMixin
from config.client_ip import client_ip
from config.database_outage import service_unavailable
from councils.models import Council, CouncilType, Region
from councils.register import REGISTER
from councils.similarity import NEARBY_KM, POPULATION_FACTOR
from transform_models.models import Theme, TransformationModel

from . import finder
from .briefing import DOCX_CONTENT_TYPE, briefing_docx
from .feeds import CaseStudyFeed
from .filters import CaseStudyFilter, ProgrammeFilter, case_study_facets, known_published_total
from .forms import COMPARE_MAX, CompareForm, LikeMineForm, SuggestionForm, compare_slugs
from .models import CaseStudy, ContextFigure, Programme
from .services import suggestion_submit

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    published = CaseStudy.objects.published()
    facets = case_study_facets({})
    context = {
        "models": TransformationModel.objects.with_case_study_counts(),
        "numbers": published.headline_numbers(),
        "council_types": [(value, label, facets["council_type"].get(value, 0)) for value, label in CouncilType.choices],
        "regions": [(value, label, facets["region"].get(value, 0)) for value, label in Region.choices],
    }
    return render(request, "casestudies/home.html", context)


class LikeMineView(TemplateView):
    """'Councils like mine': which council are you (``?council=``, any current council by name) ->
    the published case studies of the councils most like it, each with why. A name that matches
    several councils lists them to choose from; one that matches none is a 400 with the error summary."""

    template_name = "casestudies/like_mine.html"

    def accepted_parameters(self) -> AcceptedParameters:
        return AcceptedParameters.of(single=["council"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        query = self.accepted_parameters().canonical(request.GET)
        form = LikeMineForm(query) if "council" in query else LikeMineForm()
        context = self.get_context_data(
            form=form,
            council_names=Council.objects.current().order_by("name").values_list("name", flat=True),
            population_factor=POPULATION_FACTOR,
            nearby_km=NEARBY_KM,
        )
        if not form.is_bound:
            return self.render_to_response(context)
        if not form.is_valid():
            context["error_list"] = [("council", message) for message in form.errors["council"]]
            context["error_title"] = "There is a problem"
            return self.render_to_response(context, status=400)
        found = form.cleaned_data["council"]
        if len(found) > 1:
            context["choices"] = found
        else:
            context.update(council=found[0], results=CaseStudy.objects.like(found[0]))
        return self.render_to_response(context)


class CaseStudyListView(CanonicalQueryMixin, FilterView):
    """The finder. Invalid filter values answer 400 with a GOV.UK error summary."""

    filterset_class = CaseStudyFilter
    paginate_by = PAGE_SIZE
    paginator_class = CachedCountPaginator
    template_name = "casestudies/casestudy_list.html"

    def get_queryset(self) -> Any:
        return CaseStudy.objects.published().for_cards()

    def paginate_queryset(self, queryset: Any, page_size: int) -> Any:
        # Every published case study is the base: unfiltered, or narrowed by facets only, the database
        # answers its total without counting the case studies.
        total = known_published_total(self.filterset)
        return super().paginate_queryset(queryset if total is None else KnownTotal(queryset, total), page_size)

    def accepted_parameters(self) -> AcceptedParameters:
        """The filters and page, and ``compare``: the cases chosen for a comparison (not a filter)."""
        accepted = super().accepted_parameters()
        return AcceptedParameters(single=accepted.single, multiple=accepted.multiple | {"compare"})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.query
        path = self.request.path
        errors = self.filterset.form.errors if self.filterset.is_bound else {}
        valid = finder.valid_part(query, errors)
        labels = finder.option_labels(valid)
        facets = case_study_facets(valid)
        page = context["page_obj"]
        tags = finder.selected_tags(query, labels, path)
        chosen = compare_slugs(query.getlist("compare"))[:COMPARE_MAX]
        page_slugs = {case.slug for case in page.object_list}
        context.update(
            errors=errors,
            error_list=finder.error_list(self.filterset.form) if errors else [],
            groups=finder.filter_groups(query, labels, facets),
            tags=tags,
            # More than one filter value: one of the 2^n combinations a crawler could walk forever.
            crawler_trap=len(tags) > 1,
            sort_options=finder.sort_options(searching=bool(query.get("q", "").strip())),
            year_fields=finder.YEAR_FIELDS,
            has_figures_options=finder.HAS_FIGURES_OPTIONS,
            sort=query.get("ordering", ""),
            unsorted_count=self.unsorted_count(),
            api=finder.api_links(query),
            feed_url=finder.feed_url(query),
            page_links=finder.page_links(query, path, page.number, page.paginator.num_pages),
            previous_url=finder.page_url(query, path, page.number - 1) if page.has_previous() else "",
            next_url=finder.page_url(query, path, page.number + 1) if page.has_next() else "",
            compare_chosen=chosen,
            compare_value=",".join(chosen),
            compare_hidden=len(set(chosen) - page_slugs),
            compare_max=COMPARE_MAX,
            page_slugs=page_slugs,
        )
        return context

    def unsorted_count(self) -> int | None:
        """Sorting by a saving: how many of the results have no such saving (they come last)."""
        field = finder.saving_sort(self.request.GET.get("ordering", ""))
        if field is None or not self.filterset.is_valid():
            return None
        return self.object_list.filter(**{f"{field}__isnull": True}).count()

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        if context["errors"]:
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)


class CaseStudyDetailView(DetailView):
    template_name = "casestudies/casestudy_detail.html"
    context_object_name = "case_study"

    def get_queryset(self) -> Any:
        return CaseStudy.objects.visible_to(self.request.user).for_detail_page()

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        if self.object.status != CaseStudy.Status.PUBLISHED:
            # A curator's preview: never stored by any cache, never indexed.
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case_study = self.object
        context["related"] = CaseStudy.objects.published().for_listing().related_to(case_study)
        context["abolished_councils"] = [
            link.council for link in case_study.council_links.all() if link.council.is_abolished
        ]
        chosen = compare_slugs(self.request.GET.getlist("compare"))[:COMPARE_MAX]
        context["compare_chosen"] = chosen
        context["compare_with_this"] = ",".join(dict.fromkeys([*chosen, case_study.slug]))
        return context


class ProgrammeListView(finder.FilterErrorsMixin, FilterView):
    """Funding programmes, by name; unknown parameters are ignored, invalid values answer 400."""

    filterset_class = ProgrammeFilter
    template_name = "casestudies/programme_list.html"
    context_object_name = "programmes"

    def get_queryset(self) -> Any:
        return Programme.objects.for_listing().order_by("name", "pk")


def case_study_feed(request: HttpRequest) -> HttpResponse:
    """The Atom feed of a finder search: the same FilterSet over the same case studies. Invalid
    filters are a 400 naming them (a feed reader shows it), never a 500."""
    filterset = CaseStudyFilter(request.GET, queryset=CaseStudy.objects.published())
    if not filterset.is_valid():
        lines = [f"{label}: {message}" for _field, label, message in finder.error_messages(filterset.form)]
        return HttpResponseBadRequest(
            "This search has a problem, so it has no feed:\n" + "\n".join(lines), content_type="text/plain"
        )
    return CaseStudyFeed(filterset)(request)


def case_study_briefing(request: HttpRequest, slug: str) -> HttpResponse:
    """One case study as a Word briefing (the same content as its printed page)."""
    case = get_object_or_404(CaseStudy.objects.published().for_comparison(), slug=slug)
    return _docx_response(request, [case], filename=f"{case.slug}.docx")


COMPARE_ROWS = [
    ("councils", "Councils"),
    ("models", "Transformation models"),
    ("years", "Years"),
    ("stage", "Stage"),
    ("service_areas", "Service areas"),
    ("achieved", "Achieved figures (per year)"),
    ("expected", "Expected figures (per year)"),
    ("outcomes", "Outcomes"),
    ("sources", "Source (section)"),
]


def _compare_url(slugs: list[str], name: str = "casestudies:compare") -> str:
    # Valid slugs need no escaping (CompareForm checks them), and the commas stay readable.
    url = reverse(name)
    return f"{url}?compare={','.join(slugs)}" if slugs else url


def _compared(request: HttpRequest) -> tuple[CompareForm | None, str]:
    """The bound comparison form of the request (``None`` without a ``compare`` parameter) and the
    canonical value of its ``compare`` parameter."""
    values = request.GET.getlist("compare")
    value = ",".join(compare_slugs(values))
    if not values:
        return None, value
    return CompareForm({"compare": value}, queryset=CaseStudy.objects.published().for_comparison()), value


def case_study_compare(request: HttpRequest) -> HttpResponse:
    """Two to four case studies side by side (``?compare=a,b,c``). Bad input is a 400 with a GOV.UK
    error summary; the same choice written another way (repeated, spaces) redirects to ``a,b,c``."""
    form, value = _compared(request)
    context: dict[str, Any] = {"form": form or CompareForm(), "compare_value": value, "max_cases": COMPARE_MAX}
    if form is None:
        return render(request, "casestudies/casestudy_compare.html", context)
    if not form.is_valid():
        context["error_list"] = [("compare", message) for message in form.errors["compare"]]
        return render(request, "casestudies/casestudy_compare.html", context, status=400)
    if request.GET.getlist("compare") != [value]:
        return HttpResponseRedirect(_compare_url(value.split(",")))
    cases = form.cleaned_data["compare"]
    slugs = [case.slug for case in cases]
    for case in cases:
        others = [slug for slug in slugs if slug != case.slug]
        # Down to one: back to the finder to choose another.
        case.remove_url = _compare_url(others, "casestudies:compare" if len(others) > 1 else "casestudies:list")
    context.update(
        cases=cases,
        rows=COMPARE_ROWS,
        taken=timezone.localdate(),
        briefing_url=_compare_url(slugs, "casestudies:compare-briefing"),
    )
    return render(request, "casestudies/casestudy_compare.html", context)


def case_study_compare_briefing(request: HttpRequest) -> HttpResponse:
    """The comparison as a Word briefing; bad input is the comparison page's 400."""
    form, _value = _compared(request)
    if form is None or not form.is_valid():
        return case_study_compare(request)
    cases = form.cleaned_data["compare"]
    page = request.build_absolute_uri(_compare_url([case.slug for case in cases]))
    return _docx_response(request, cases, filename="comparison.docx", comparison_url=page)


def _docx_response(
    request: HttpRequest, cases: list[CaseStudy], filename: str, comparison_url: str = ""
) -> HttpResponse:
    site = f"{request.scheme}://{request.get_host()}"
    content = briefing_docx(cases, taken=timezone.localdate(), site=site, comparison_url=comparison_url)
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ProgrammeDetailView(DetailView):
    model = Programme
    template_name = "casestudies/programme_detail.html"

    def get_object(self, queryset: Any = None) -> Programme:
        return get_object_or_404(Programme.objects.select_related("source"), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["projects"] = CaseStudy.objects.published().for_cards().filter(programme=self.object)
        return context


class ThemeListView(ListView):
    template_name = "casestudies/themes.html"
    context_object_name = "themes"

    def get_queryset(self) -> Any:
        return Theme.objects.prefetch_related("transformation_models")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        themes = list(context["themes"])
        context["recurrent"] = [t for t in themes if t.kind == Theme.Kind.RECURRENT_THEME]
        context["success_factors"] = [t for t in themes if t.kind == Theme.Kind.SUCCESS_FACTOR]
        return context


class AboutView(TemplateView):
    template_name = "casestudies/about.html"
    extra_context = {"register": REGISTER}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        figures = ContextFigure.objects.select_related("source", "reference")
        return super().get_context_data(context_figures=figures, **kwargs)


class PrivacyView(TemplateView):
    template_name = "casestudies/privacy.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(privacy_contact=settings.PRIVACY_CONTACT_EMAIL, **kwargs)


def suggest(request: HttpRequest) -> HttpResponse:
    """The public "Suggest a case study" form. Errors are a 400 with a GOV.UK error summary; a sent
    suggestion goes to the moderation queue (nothing is published) and the sender gets its reference."""
    form = SuggestionForm(request.POST or None)
    if request.method == "POST":
        if form.is_robot:  # the honeypot: thank the robot, keep nothing
            return HttpResponseRedirect(reverse("casestudies:suggest-sent"))
        if form.is_valid():
            suggestion = suggestion_submit(form=form, address=client_ip(request))
            if suggestion is not None:
                return HttpResponseRedirect(f"{reverse('casestudies:suggest-sent')}?reference={suggestion.reference}")
            form.add_error(None, "You have sent several suggestions in the last hour. Try again later.")
    context = {
        "form": form,
        "error_list": [
            (name if name != "__all__" else "council", message)
            for name, messages in form.errors.items()
            for message in messages
        ],
    }
    return render(request, "casestudies/suggest.html", context, status=400 if form.errors else 200)


def suggest_sent(request: HttpRequest) -> HttpResponse:
    """Thanks, with the suggestion's reference (only echoed when it has a reference's shape)."""
    reference = request.GET.get("reference", "")
    if not re.fullmatch(r"S-[2-9A-Z]{6}", reference):
        reference = ""
    return render(request, "casestudies/suggest_sent.html", {"reference": reference})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's 404 page (handler404)."""
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's 500 page (handler500): a static template, no database, no request context.

    A database that cannot answer is a 503 wherever it was noticed: views' errors are answered by
    ``DatabaseUnavailableMiddleware``, and one raised in a middleware (loading a curator's
    session) reaches this handler, which Django calls while handling it."""
    if isinstance(sys.exc_info()[1], OperationalError):
        return service_unavailable(request)
    return HttpResponseServerError(loader.get_template("500.html").render())
