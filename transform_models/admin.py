"""Curator admin for the transformation models and the report's themes."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from curation.optimistic_locking import OptimisticLockingAdminMixin

from .models import ModelPoint, Theme, TransformationModel


class ModelPointInline(admin.TabularInline):
    model = ModelPoint
    extra = 0
    fields = ["kind", "position", "text"]


@admin.register(TransformationModel)
class TransformationModelAdmin(OptimisticLockingAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "slug", "display_order"]
    search_fields = ["name", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ModelPointInline]


@admin.register(ModelPoint)
class ModelPointAdmin(SimpleHistoryAdmin):
    list_display = ["model", "kind", "position", "text"]
    list_filter = ["kind", "model"]
    search_fields = ["text"]
    list_select_related = ["model"]


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "position"]
    list_filter = ["kind", "transformation_models"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["transformation_models"]
