"""Curator admin for surveys, their findings and recommendations."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Finding, Recommendation, Survey


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    fields = ["position", "category", "statement", "percentage", "quote"]


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0
    fields = ["position", "title", "text"]


@admin.register(Survey)
class SurveyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "partner", "year", "sample_size"]
    search_fields = ["title", "publisher"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["source"]
    inlines = [FindingInline, RecommendationInline]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["statement", "category", "percentage", "survey"]
    list_filter = ["category", "survey"]
    search_fields = ["statement", "quote"]
    list_select_related = ["survey"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "survey", "position"]
    list_filter = ["survey"]
    search_fields = ["title", "text"]
    list_select_related = ["survey"]
