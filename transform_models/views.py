"""Web pages for the six transformation models."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from casestudies.models import CaseStudy, Figure

from .charts import model_figures_chart
from .models import ModelPoint, TransformationModel


class TransformationModelListView(ListView):
    template_name = "transform_models/transformationmodel_list.html"
    context_object_name = "models"

    def get_queryset(self) -> Any:
        return TransformationModel.objects.with_case_study_counts()


class TransformationModelCompareView(ListView):
    template_name = "transform_models/transformationmodel_compare.html"
    context_object_name = "models"

    def get_queryset(self) -> Any:
        return TransformationModel.objects.for_comparison()


class TransformationModelDetailView(DetailView):
    template_name = "transform_models/transformationmodel_detail.html"
    context_object_name = "model"

    def get_object(self, queryset: Any = None) -> TransformationModel:
        return get_object_or_404(
            TransformationModel.objects.prefetch_related("points", "further_reading"), slug=self.kwargs["slug"]
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        model = self.object
        figures = list(Figure.objects.for_model_chart(model))
        points = list(model.points.all())
        context.update(
            benefits=[p for p in points if p.kind == ModelPoint.Kind.BENEFIT],
            challenges=[p for p in points if p.kind == ModelPoint.Kind.CHALLENGE],
            case_studies=CaseStudy.objects.published().for_cards().filter(model_links__model=model),
            figures=figures,
            chart=model_figures_chart(figures, model_name=model.name) if figures else "",
        )
        return context
