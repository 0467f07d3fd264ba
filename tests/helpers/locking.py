"""The models under optimistic locking, and how to reach their admin pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.urls import reverse

from casestudies.models import CaseStudy
from councils.models import Council
from tests.factories import CaseStudyFactory, CouncilFactory, TransformationModelFactory
from transform_models.models import TransformationModel


@dataclass(frozen=True)
class Locked:
    model: type[models.Model]
    factory: Callable[..., models.Model]
    text_field: str  # a field a curator edits
    verbose_name: str
    new_row: dict[str, str] | None = None  # the fields an add form needs

    def change_url(self, obj: models.Model) -> str:
        return reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change", args=[obj.pk])

    def add_url(self) -> str:
        return reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_add")

    def revert_url(self, obj: models.Model, history_id: int) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, history_id])


COUNCIL = Locked(
    Council,
    CouncilFactory,
    "name",
    "council",
    {"name": "New Council", "slug": "new-council", "council_type": "district", "region": "south_east"},
)


TRANSFORMATION_MODEL = Locked(
    TransformationModel,
    TransformationModelFactory,
    "name",
    "transformation model",
    {"name": "New Model", "slug": "new-model", "definition": "Councils that try something new."},
)


CASE_STUDY = Locked(CaseStudy, CaseStudyFactory, "title", "case study")
