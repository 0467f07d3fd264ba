"""Curator admin for case studies and what hangs off them."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from simple_history.admin import SimpleHistoryAdmin

from curation.optimistic_locking import OptimisticLockingAdminMixin, OptimisticLockingForm

from .formatting import format_pounds
from .forms import SuggestionForm
from .models import (
    CaseStudy,
    CaseStudyCouncil,
    CaseStudyModel,
    Contact,
    ContactErasure,
    ContextFigure,
    Figure,
    FixtureConflict,
    Outcome,
    Programme,
    ServiceArea,
    Source,
    Suggestion,
)
from .publishing import councils_problem, model_problem, source_problem, summary_problem
from .services import (
    IMPORT_COLUMNS,
    IMPORT_MAX_BYTES,
    IMPORT_REQUIRED_COLUMNS,
    case_studies_import_csv,
    case_study_set_status,
    contacts_erase,
    contacts_mark_verified,
    contacts_set_public,
    fixture_conflicts_apply,
    suggestion_make_draft,
)


def _rows_kept(formset: BaseInlineFormSet) -> int:
    """The rows a case study will have once this formset is saved (not deleted, not left empty)."""
    return sum(
        1
        for form in formset.forms
        if form.has_changed() or form.instance.pk
        if not (formset.can_delete and getattr(form, "cleaned_data", {}).get("DELETE", False))
    )


class CouncilLinksFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if self.instance.status == CaseStudy.Status.PUBLISHED and (problem := councils_problem(_rows_kept(self))):
            raise forms.ValidationError(problem)


class ModelLinksFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if self.instance.status == CaseStudy.Status.PUBLISHED and (
            problem := model_problem(_rows_kept(self), self.instance.not_classified_reason)
        ):
            raise forms.ValidationError(problem)


class CaseStudyAdminForm(OptimisticLockingForm):
    """The publishing rules (casestudies/publishing.py) for the fields on this form; the council and
    model rows check theirs in their formsets."""

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("status") == CaseStudy.Status.PUBLISHED:
            if problem := summary_problem(cleaned.get("summary") or ""):
                self.add_error("summary", problem)
            if problem := source_problem(bool(cleaned.get("source")) or bool(cleaned.get("further_reading"))):
                self.add_error("source", problem)
        return cleaned


class CaseStudyCouncilInline(admin.TabularInline):
    model = CaseStudyCouncil
    formset = CouncilLinksFormSet
    extra = 0
    autocomplete_fields = ["council"]


class CaseStudyModelInline(admin.TabularInline):
    model = CaseStudyModel
    formset = ModelLinksFormSet
    extra = 0
    autocomplete_fields = ["model"]


FIGURE_FIELDS = [
    ("position", "kind", "status", "evidence"),
    "label",
    ("measure", "amount_low", "amount_high", "percent_low", "percent_high"),
    ("period", "period_years", "period_start_year", "period_end_year", "recurrence"),
    "applies_to",
    "part_of",
    "quote",
]


class FigureInline(admin.StackedInline):
    model = Figure
    fk_name = "case_study"
    extra = 0
    autocomplete_fields = ["applies_to", "part_of"]
    fields = FIGURE_FIELDS


class OutcomeInline(admin.StackedInline):
    model = Outcome
    extra = 0
    autocomplete_fields = ["council"]
    fields = [
        ("position", "status"),
        "metric",
        ("baseline", "baseline_year", "value", "value_year", "unit"),
        "council",
        "quote",
    ]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    autocomplete_fields = ["council"]
    fields = ["position", "name", "role", "council", "organisation", "email", "published_year", "is_public"]


class CaseStudyImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8 CSV with a header row; see the columns below.")
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label="Dry run",
        help_text="Check the file and show what would change, without saving anything.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {IMPORT_MAX_BYTES // (1024 * 1024)} MB: split it.")
        return upload


# What hangs off a case study and has its own history, and how a change to it is named.
TIMELINE_PARTS = (
    (CaseStudyCouncil, "Council"),
    (CaseStudyModel, "Transformation model"),
    (Figure, "Figure"),
    (Outcome, "Outcome"),
    (Contact, "Contact"),
)
CHANGE_TYPES = {"+": "Added", "~": "Changed", "-": "Deleted"}


def case_study_timeline(case_study_id: int) -> list[dict]:
    """Every recorded change to the case study and its parts, newest first."""
    records = [
        (record, "Case study") for record in CaseStudy.history.filter(id=case_study_id).select_related("history_user")
    ]
    for model, label in TIMELINE_PARTS:
        records += [
            (record, label)
            for record in model.history.filter(case_study_id=case_study_id).select_related("history_user")
        ]
    timeline = []
    for record, label in sorted(records, key=lambda pair: pair[0].history_date, reverse=True):
        changed: list[str] = []
        if record.history_type == "~" and record.prev_record is not None:
            changed = [change.field for change in record.diff_against(record.prev_record).changes]
        timeline.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "what": label if label == "Case study" else f"{label}: {record.instance}",
                "type": CHANGE_TYPES.get(record.history_type, record.history_type),
                "fields": changed,
            }
        )
    return timeline


@admin.register(CaseStudy)
class CaseStudyAdmin(OptimisticLockingAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "status", "stage", "start_year", "lead_councils", "primary_model", "updated_at"]
    list_filter = [
        "status",
        "stage",
        ("transformation_models", admin.RelatedOnlyFieldListFilter),
        "councils__council_type",
        "councils__region",
        "programme",
    ]
    search_fields = ["title", "summary", "councils__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["partnership", "programme", "source", "further_reading", "service_areas"]
    readonly_fields = ["headline_saving", "created_at", "updated_at"]
    form = CaseStudyAdminForm
    object_history_template = "admin/casestudies/casestudy/object_history.html"
    inlines = [CaseStudyCouncilInline, CaseStudyModelInline, FigureInline, OutcomeInline, ContactInline]
    actions = ["publish", "unpublish"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "stage", "summary", "body"]}),
        ("When", {"fields": [("start_year", "end_year", "is_ongoing")]}),
        ("Context", {"fields": ["partnership", "programme", "service_areas", "not_classified_reason"]}),
        ("Source", {"fields": ["source", "source_section", "further_reading"]}),
        ("Derived", {"classes": ["collapse"], "fields": ["headline_saving", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).for_listing()

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        """The case study's own history, and below it every change to it and to what hangs off it
        (figures, outcomes, contacts, council and model links), newest first, with who made it."""
        context = {**(extra_context or {}), "timeline": case_study_timeline(int(object_id))}
        return super().history_view(request, object_id, extra_context=context)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.import_csv_view)
        return [path("import/", view, name="casestudies_casestudy_import"), *super().get_urls()]

    def import_csv_view(self, request: HttpRequest) -> HttpResponse:
        """Bulk import from CSV: the same service as `manage.py import_case_studies`."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        result = None
        if request.method == "POST":
            form = CaseStudyImportForm(request.POST, request.FILES)
            if form.is_valid():
                result = case_studies_import_csv(
                    data=form.cleaned_data["file"].read(), dry_run=form.cleaned_data["dry_run"], user=request.user
                )
                if result.written:
                    self.message_user(request, f"Imported {len(result.rows)} case studies.", messages.SUCCESS)
        else:
            form = CaseStudyImportForm()
        context = {
            **self.admin_site.each_context(request),
            "title": "Import case studies from CSV",
            "opts": self.opts,
            "form": form,
            "result": result,
            "columns": IMPORT_COLUMNS,
            "required_columns": IMPORT_REQUIRED_COLUMNS,
        }
        return TemplateResponse(request, "admin/casestudies/casestudy/import_csv.html", context)

    @admin.display(description="Headline annual saving")
    def headline_saving(self, obj: CaseStudy) -> str:
        """Derived from the saving figures when read (CaseStudyQuerySet.with_headline_saving)."""
        return format_pounds(getattr(obj, "headline_annual_saving", None)) or "—"

    @admin.display(description="Councils")
    def lead_councils(self, obj: CaseStudy) -> str:
        return ", ".join(link.council.name for link in obj.council_links.all())

    @admin.display(description="Primary model")
    def primary_model(self, obj: CaseStudy) -> str:
        links = list(obj.model_links.all())
        return links[0].model.name if links else "—"

    @admin.action(description="Publish selected case studies")
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        refused: dict[str, dict[str, str]] = {}
        ids = queryset.values_list("pk", flat=True)
        changed = case_study_set_status(case_study_ids=ids, status="published", refused=refused)
        self.message_user(request, f"Published {changed} case stud{'y' if changed == 1 else 'ies'}.", messages.SUCCESS)
        for title, problems in refused.items():
            self.message_user(request, f"Not published: {title}. {' '.join(problems.values())}", messages.ERROR)

    @admin.action(description="Unpublish selected case studies (back to draft)")
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        changed = case_study_set_status(case_study_ids=queryset.values_list("pk", flat=True), status="draft")
        self.message_user(
            request, f"Moved {changed} case stud{'y' if changed == 1 else 'ies'} to draft.", messages.SUCCESS
        )


@admin.register(Figure)
class FigureAdmin(SimpleHistoryAdmin):
    list_display = ["case_study", "kind", "amount_display", "period", "recurrence", "status", "annualised_high"]
    list_filter = ["kind", "status", "measure", "period", "recurrence", "evidence"]
    search_fields = ["quote", "label", "case_study__title"]
    autocomplete_fields = ["case_study", "applies_to", "part_of"]
    fields = ["case_study", *FIGURE_FIELDS, "annualised_low", "annualised_high"]
    readonly_fields = ["annualised_low", "annualised_high"]
    list_select_related = ["case_study"]


@admin.register(ContextFigure)
class ContextFigureAdmin(SimpleHistoryAdmin):
    list_display = ["label", "value_display", "period", "source"]
    search_fields = ["label", "quote"]
    autocomplete_fields = ["source", "reference"]
    list_select_related = ["source"]


@admin.register(Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["metric", "value", "unit", "status", "case_study"]
    list_filter = ["status"]
    search_fields = ["metric", "quote", "case_study__title"]
    autocomplete_fields = ["case_study", "council"]
    list_select_related = ["case_study"]


class ContactVisibilityFilter(admin.SimpleListFilter):
    title = "shown to the public"
    parameter_name = "public"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Shown to the public"), ("no", "Hidden from the public")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.public()
        if self.value() == "no":
            return queryset.filter(is_public=False)
        return queryset


class ContactFreshnessFilter(admin.SimpleListFilter):
    title = "to check"
    parameter_name = "check"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Contacts to check"), ("no", "Checked recently")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(needs_checking=self.value() == "yes")
        return queryset


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "council", "email", "is_public", "last_verified", "to_check", "case_study"]
    list_filter = [ContactFreshnessFilter, ContactVisibilityFilter]
    search_fields = ["name", "email", "role", "case_study__title"]
    autocomplete_fields = ["case_study", "council"]
    list_select_related = ["case_study", "council"]
    readonly_fields = ["verified_by"]
    actions = ["mark_still_correct", "hide_from_public", "show_to_public", "erase"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_freshness()

    @admin.display(description="May be out of date", boolean=True, ordering="needs_checking")
    def to_check(self, obj: Contact) -> bool:
        return obj.needs_checking

    @admin.action(description="Erase selected contacts completely (at their request)…", permissions=["delete"])
    def erase(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        """Asks first, on a page that lists who will be erased; erases on confirmation."""
        if request.POST.get("confirm") == "yes":
            erased = contacts_erase(contact_ids=queryset.values_list("pk", flat=True), user=request.user)
            self.message_user(
                request,
                f"Erased {erased} contact{'' if erased == 1 else 's'}: their details and history are gone, "
                "and the erasure is recorded under Contact erasures.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Erase contacts completely?",
            "contacts": queryset.select_related("case_study"),
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/casestudies/contact/erase_confirmation.html", context)

    @admin.action(description="Still correct: mark the selected contacts as checked today")
    def mark_still_correct(self, request: HttpRequest, queryset: QuerySet) -> None:
        changed = contacts_mark_verified(contact_ids=queryset.values_list("pk", flat=True), user=request.user)
        self.message_user(
            request, f"Marked {changed} contact{'' if changed == 1 else 's'} as checked today.", messages.SUCCESS
        )

    @admin.action(description="Hide selected contacts from the public (keeps them here)")
    def hide_from_public(self, request: HttpRequest, queryset: QuerySet) -> None:
        changed = contacts_set_public(contact_ids=queryset.values_list("pk", flat=True), is_public=False)
        self.message_user(
            request, f"Hid {changed} contact{'' if changed == 1 else 's'} from the public.", messages.SUCCESS
        )

    @admin.action(description="Show selected contacts to the public")
    def show_to_public(self, request: HttpRequest, queryset: QuerySet) -> None:
        changed = contacts_set_public(contact_ids=queryset.values_list("pk", flat=True), is_public=True)
        self.message_user(
            request, f"Showed {changed} contact{'' if changed == 1 else 's'} to the public.", messages.SUCCESS
        )


@admin.register(FixtureConflict)
class FixtureConflictAdmin(admin.ModelAdmin):
    """Corrections shipped in fixtures/ that met a curator's edit: decide, field by field."""

    list_display = ["record", "model", "field", "fixture_value", "library_value", "found_at"]
    list_filter = ["model"]
    actions = ["use_fixture_value", "keep_library_value"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: FixtureConflict | None = None) -> bool:
        return False

    @admin.action(description="Use the fixture's value (for text, numbers and dates)", permissions=["delete"])
    def use_fixture_value(self, request: HttpRequest, queryset: QuerySet) -> None:
        applied, left = fixture_conflicts_apply(conflicts=queryset)
        self.message_user(request, f"Applied {applied} fixture value{'' if applied == 1 else 's'}.", messages.SUCCESS)
        if left:
            self.message_user(
                request,
                f"{left} concern links or lists: change those on the record's own page, then keep its value.",
                messages.WARNING,
            )

    @admin.action(description="Keep the library's value", permissions=["delete"])
    def keep_library_value(self, request: HttpRequest, queryset: QuerySet) -> None:
        count, _ = queryset.delete()
        self.message_user(request, f"Kept the library's value for {count} field{'' if count == 1 else 's'}.")


@admin.register(ContactErasure)
class ContactErasureAdmin(admin.ModelAdmin):
    """The log of erasures: read only, and it names no one."""

    list_display = ["erased_at", "contact_id", "case_study", "erased_by"]
    list_select_related = ["case_study", "erased_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ContactErasure | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ContactErasure | None = None) -> bool:
        return False


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "author", "year"]
    list_filter = ["kind", "transformation_models"]
    search_fields = ["title", "author", "publisher", "citation"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["transformation_models"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "fund_name", "fund_amount", "year"]
    search_fields = ["name", "funders"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["source"]


@admin.register(CaseStudyCouncil)
class CaseStudyCouncilAdmin(SimpleHistoryAdmin):
    list_display = ["case_study", "council", "role"]
    list_filter = ["role"]
    autocomplete_fields = ["case_study", "council"]
    list_select_related = ["case_study", "council"]


@admin.register(CaseStudyModel)
class CaseStudyModelAdmin(SimpleHistoryAdmin):
    list_display = ["case_study", "model", "is_primary"]
    list_filter = ["model", "is_primary"]
    autocomplete_fields = ["case_study", "model"]
    list_select_related = ["case_study", "model"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """The moderation queue: suggestions from the public form, waiting ones first. A curator reads
    one and makes it a draft case study in one step (never published from here) or declines it."""

    list_display = ["reference", "title", "council", "status", "submitted_at", "case_study"]
    list_filter = ["status"]
    search_fields = ["reference", "title", "council__name"]
    # What the sender wrote (the public form's fields, one list), framed by what the library adds.
    readonly_fields = ["reference", *SuggestionForm.Meta.fields, "submitted_at", "case_study"]
    fields = [*readonly_fields[:-2], "status", "submitted_at", "case_study"]
    actions = ["make_draft", "decline"]
    list_select_related = ["council", "case_study"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # suggestions come from the public form

    @admin.action(description="Make each selected suggestion a draft case study", permissions=["change"])
    def make_draft(self, request: HttpRequest, queryset: QuerySet) -> None:
        made = []
        for suggestion in queryset.filter(status=Suggestion.Status.WAITING).select_related("council"):
            made.append(suggestion_make_draft(suggestion=suggestion, user=request.user).title)
        if made:
            self.message_user(
                request,
                f"Made {len(made)} draft case stud{'y' if len(made) == 1 else 'ies'} (not published): "
                f"{'; '.join(made)}. Add the figures with their sentences, a source and a model before publishing.",
                messages.SUCCESS,
            )
        else:
            self.message_user(request, "Only suggestions waiting for a curator can be made drafts.", messages.WARNING)

    @admin.action(description="Decline the selected suggestions", permissions=["change"])
    def decline(self, request: HttpRequest, queryset: QuerySet) -> None:
        changed = queryset.filter(status=Suggestion.Status.WAITING).update(status=Suggestion.Status.DECLINED)
        self.message_user(request, f"Declined {changed} suggestion{'' if changed == 1 else 's'}.", messages.SUCCESS)
