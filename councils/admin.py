"""Curator admin for councils and partnerships."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from config.optimistic_locking import OptimisticLockingAdminMixin

from .models import Council, Partnership


@admin.register(Council)
class CouncilAdmin(OptimisticLockingAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "council_type", "region", "gss_code", "abolished_on", "successor"]
    list_filter = ["council_type", "region", ("abolished_on", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug", "gss_code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["successor"]
    list_select_related = ["successor"]
    list_per_page = 100


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "formed_year", "member_names"]
    search_fields = ["name", "members__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["members"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("members")

    @admin.display(description="Members")
    def member_names(self, obj: Partnership) -> str:
        return ", ".join(member.name for member in obj.members.all())
