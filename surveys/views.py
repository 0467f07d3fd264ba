"""Web pages for surveys and their findings."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .charts import findings_by_category, survey_chart
from .models import Survey


class SurveyListView(ListView):
    template_name = "surveys/survey_list.html"
    context_object_name = "surveys"
    model = Survey


class SurveyDetailView(DetailView):
    template_name = "surveys/survey_detail.html"
    context_object_name = "survey"

    def get_object(self, queryset: Any = None) -> Survey:
        return get_object_or_404(Survey.objects.for_detail(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        findings = list(self.object.findings.all())
        grouped = findings_by_category(findings)
        context.update(
            grouped=grouped,
            other_findings=[f for f in findings if f.percentage is None],
            chart=survey_chart(findings, survey_title=self.object.title) if grouped else "",
        )
        return context
