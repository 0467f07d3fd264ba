"""Curator admin for councils and partnerships."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from curation.optimistic_locking import OptimisticLockingAdminMixin

from .models import Council, Partnership, RegisterDiscrepancy, Succession, successors_by_name


class SuccessionInline(admin.TabularInline):
    """The councils that took over when this one was abolished (one row each; a divided council has several)."""

    model = Succession
    fk_name = "predecessor"
    fields = ["successor"]
    autocomplete_fields = ["successor"]
    extra = 0
    verbose_name = "successor"
    verbose_name_plural = "Successors (the councils that took over when it was abolished)"


class RegisterDiscrepancyInline(admin.TabularInline):
    """What the council register says otherwise (written by import_council_register; read only)."""

    model = RegisterDiscrepancy
    fields = ["field", "library_value", "register_value"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Where the council register says otherwise (both kept; the record follows the documents)"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class DisagreesWithRegisterFilter(admin.SimpleListFilter):
    title = "disagrees with the register"
    parameter_name = "disagrees"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.with_register_discrepancies(self.value() == "yes")
        return queryset


@admin.register(Council)
class CouncilAdmin(OptimisticLockingAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "council_type", "region", "gss_code", "in_documents", "abolished_on", "successor_names"]
    list_filter = [
        "in_documents",
        DisagreesWithRegisterFilter,
        "council_type",
        "region",
        ("abolished_on", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "slug", "gss_code", "register_code"]
    inlines = [SuccessionInline, RegisterDiscrepancyInline]
    prepopulated_fields = {"slug": ["name"]}
    list_per_page = 100

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(successors_by_name())

    @admin.display(description="Successors")
    def successor_names(self, obj: Council) -> str:
        return ", ".join(successor.name for successor in obj.successors.all())


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


@admin.register(RegisterDiscrepancy)
class RegisterDiscrepancyAdmin(admin.ModelAdmin):
    """Every disagreement between the council register and the library, in one list (read only)."""

    list_display = ["council", "field", "library_value", "register_value"]
    list_filter = ["field"]
    search_fields = ["council__name"]
    list_select_related = ["council"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
