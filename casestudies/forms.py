"""Forms of the public pages that are not the finder (the finder's form is its FilterSet)."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from councils.models import Council

from .models import CaseStudy, CaseStudyQuerySet, Suggestion

COMPARE_MIN = 2
COMPARE_MAX = 4
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,150}$")


def compare_slugs(values: list[str]) -> list[str]:
    """The slugs of a ``compare`` parameter, given as ``a,b,c`` or repeated (``compare=a&compare=b``),
    in order, each once, blanks dropped."""
    slugs = [part.strip() for value in values for part in value.split(",")]
    return list(dict.fromkeys(slug for slug in slugs if slug))


class CompareForm(forms.Form):
    """Which case studies to put side by side: 2 to 4 published ones, by address (slug)."""

    compare = forms.CharField(
        label="Case studies to compare",
        help_text="Their addresses (the last part of a case study's web address), separated by commas",
        max_length=1000,
        error_messages={
            "required": f"Choose {COMPARE_MIN} to {COMPARE_MAX} case studies to compare",
            "max_length": f"Enter at most {COMPARE_MAX} case study addresses",
        },
    )

    def __init__(self, *args: Any, queryset: CaseStudyQuerySet | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queryset = queryset if queryset is not None else CaseStudy.objects.published()

    def clean_compare(self) -> list[CaseStudy]:
        slugs = compare_slugs([self.cleaned_data["compare"]])
        malformed = [slug for slug in slugs if not _SLUG.match(slug)]
        if malformed:
            raise forms.ValidationError(
                "A case study address has only letters, numbers and hyphens: check %(slug)s",
                params={"slug": f"“{malformed[0][:60]}”"},
            )
        if len(slugs) < COMPARE_MIN:
            raise forms.ValidationError(
                f"Choose at least {COMPARE_MIN} case studies to compare (you chose {len(slugs)})"
            )
        if len(slugs) > COMPARE_MAX:
            raise forms.ValidationError(
                f"Choose at most {COMPARE_MAX} case studies to compare (you chose {len(slugs)}): remove one"
            )
        cases = self.queryset.in_order(slugs)
        missing = [slug for slug in slugs if slug not in {case.slug for case in cases}]
        if missing:
            raise forms.ValidationError(
                "There is no published case study at %(slugs)s: remove it or choose another",
                params={"slugs": ", ".join(f"“{slug}”" for slug in missing)},
            )
        return cases


class SuggestionForm(forms.ModelForm):
    """The public "Suggest a case study" form. ``website`` is a honeypot: hidden from people (and
    from assistive technology), so only a robot fills it in."""

    website = forms.CharField(required=False, label="Leave this blank")
    consent = forms.BooleanField(
        required=True,
        label="I agree that the library's curators may contact me about this suggestion",
        error_messages={"required": "Tick the box to agree that we may contact you, or we cannot take the suggestion"},
    )

    class Meta:
        model = Suggestion
        fields = [
            "council",
            "title",
            "what_they_did",
            "figures",
            "source_url",
            "upload_reference",
            "contact_name",
            "contact_role",
            "contact_email",
            "consent",
        ]
        labels = {
            "council": "Your council",
            "title": "A title for the case study",
            "what_they_did": "What the council did",
            "figures": "Figures (optional)",
            "source_url": "Web address of a document about it",
            "upload_reference": "Or: where we can get the document",
            "contact_name": "Your name",
            "contact_role": "Your job title (optional)",
            "contact_email": "Your work email address",
        }
        help_texts = {
            "council": "Councils in the library's register",
            "title": "For example: Shared refuse collection with our neighbouring district",
            "what_they_did": "What changed, when, and what came of it",
            "figures": "Each saving or other figure with the sentence or document it comes from, for example: "
            "“Saves £1.2 million a year” (Cabinet report, March 2024, paragraph 4.2)",
            "source_url": "A report, committee paper or web page that says what you describe",
            "upload_reference": "If the document is not online: its title, and how we can get a copy",
            "contact_email": "We use it only to ask about this suggestion",
        }
        error_messages = {
            "council": {
                "required": "Select your council",
                "invalid_choice": "Select your council from the list",
            },
            "title": {"required": "Enter a title for the case study"},
            "what_they_did": {"required": "Describe what the council did"},
            "source_url": {"invalid": "Enter a web address, like https://www.example.gov.uk/report.pdf"},
            "contact_name": {"required": "Enter your name"},
            "contact_email": {
                "required": "Enter your work email address",
                "invalid": "Enter an email address in the correct format, like name@council.gov.uk",
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = Council.objects.filter(abolished_on__isnull=True).order_by("name")
        self.fields["council"].empty_label = "Select your council"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("source_url") and not cleaned.get("upload_reference") and "source_url" not in self.errors:
            self.add_error("source_url", "Enter the web address of a document, or say where we can get it")
        return cleaned

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class LikeMineForm(forms.Form):
    """'Which council are you?': any current UK council, by name (or slug, GSS or register code).
    ``cleaned_data["council"]`` is the councils the text matches (one if it names one exactly)."""

    council = forms.CharField(
        label="Which council are you?",
        max_length=150,
        error_messages={"required": "Enter the name of your council", "max_length": "Enter a council's name"},
    )

    def clean_council(self) -> list[Council]:
        text = self.cleaned_data["council"]
        found = list(Council.objects.current().matching(text))
        if not found:
            raise forms.ValidationError(
                "No current UK council is called “%(text)s”: enter your council’s name, for example "
                "Adur District Council",
                params={"text": text},
            )
        return found
