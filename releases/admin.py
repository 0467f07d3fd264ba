"""Curators see the releases and publish a new one (with the ``publish_release`` permission)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from .models import Release, ReleaseFile
from .services import ReleaseError, release_publish
from .tables import TABLES

PUBLISH_PERMISSION = "releases.publish_release"


class PublishReleaseForm(forms.Form):
    notes = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown on the release's page and in its datapackage.json, e.g. what was added since the last one.",
    )


class ReleaseFileInline(admin.TabularInline):
    model = ReleaseFile
    fields = ["name", "media_type", "size", "sha256"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Release | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Release | None = None) -> bool:
        return False


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Releases are written only by publishing (here or ``manage.py publish_release``) and never
    changed or deleted: there is no add, change or delete."""

    list_display = ["number", "published_at", "published_by", "notes"]
    fields = ["number", "published_at", "published_by", "notes", "counts", "changelog"]
    readonly_fields = fields
    inlines = [ReleaseFileInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Release | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Release | None = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        context = {**(extra_context or {}), "may_publish": request.user.has_perm(PUBLISH_PERMISSION)}
        return super().changelist_view(request, extra_context=context)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.publish_view)
        return [path("publish/", view, name="releases_release_publish"), *super().get_urls()]

    def publish_view(self, request: HttpRequest) -> HttpResponse:
        """A confirmation page (what the release will hold), then the same service as the command."""
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        form = PublishReleaseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                release = release_publish(notes=form.cleaned_data["notes"], user=request.user)
            except ReleaseError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Published release {release.number}: {sum(release.counts.values())} records. "
                    f"Its permanent page is {release.get_absolute_url()}",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:releases_release_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Publish a new release?",
            "opts": self.opts,
            "form": form,
            "number": Release.objects.latest_number() + 1,
            "tables": [(table.title, table.queryset().count()) for table in TABLES],
        }
        return TemplateResponse(request, "admin/releases/release/publish_confirmation.html", context)
