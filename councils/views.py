"""Web pages for councils and partnerships."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView
from django_filters.views import FilterView

from api.parameters import CanonicalQueryMixin
from casestudies import finder
from casestudies.models import CaseStudy

from .filters import CouncilFilter, PartnershipFilter
from .models import Council, CouncilType, Partnership, Region, successors_by_name
from .register import REGISTER

PAGE_SIZE = 50


class CouncilListView(CanonicalQueryMixin, finder.FilterErrorsMixin, FilterView):
    """Councils, filterable by type and region; invalid values answer 400 with an error summary."""

    filterset_class = CouncilFilter
    grouped_parameters = ("council_type", "region", "abolished", "in_documents")
    paginate_by = PAGE_SIZE
    template_name = "councils/council_list.html"
    context_object_name = "councils"

    def get_queryset(self) -> Any:
        return Council.objects.for_cards()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.query
        path = self.request.path
        page = context["page_obj"]
        context.update(
            type_options=[(v, label, v in query.getlist("council_type")) for v, label in CouncilType.choices],
            region_options=[(v, label, v in query.getlist("region")) for v, label in Region.choices],
            abolished_options=[("", "Show all"), ("false", "Still existing only"), ("true", "Abolished only")],
            in_documents_options=[("", "Show all"), ("true", "Named in the documents only")],
            register=REGISTER,
            page_links=finder.page_links(query, path, page.number, page.paginator.num_pages) if page else [],
            previous_url=finder.page_url(query, path, page.number - 1) if page and page.has_previous() else "",
            next_url=finder.page_url(query, path, page.number + 1) if page and page.has_next() else "",
        )
        return context


class CouncilDetailView(DetailView):
    template_name = "councils/council_detail.html"
    context_object_name = "council"

    def get_object(self, queryset: Any = None) -> Council:
        return get_object_or_404(Council.objects.for_detail(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["case_studies"] = (
            CaseStudy.objects.published().for_cards().filter(council_links__council=self.object).distinct()
        )
        context["register"] = REGISTER
        return context


class PartnershipListView(finder.FilterErrorsMixin, FilterView):
    """Partnerships of councils, by name; unknown parameters are ignored, invalid values answer 400."""

    filterset_class = PartnershipFilter
    template_name = "councils/partnership_list.html"
    context_object_name = "partnerships"

    def get_queryset(self) -> Any:
        return Partnership.objects.for_listing().order_by("name", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            member_options=Council.objects.in_partnerships().values_list("slug", "name"),
            selected_councils=self.request.GET.getlist("council"),
        )
        return context


class PartnershipDetailView(DetailView):
    template_name = "councils/partnership_detail.html"
    context_object_name = "partnership"

    def get_object(self, queryset: Any = None) -> Partnership:
        partnerships = Partnership.objects.prefetch_related("members", successors_by_name("members__"))
        return get_object_or_404(partnerships, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["case_studies"] = CaseStudy.objects.published().for_cards().filter(partnership=self.object)
        return context
