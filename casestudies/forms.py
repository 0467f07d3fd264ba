"""Forms of the public pages that are not the finder (the finder's form is its FilterSet)."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from .models import CaseStudy, CaseStudyQuerySet

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
