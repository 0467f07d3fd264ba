"""What a case study needs before the public sees it: the publishing rules, in one place.

A published case study has a summary, at least one source (its source document or further
reading), at least one council, and a transformation model or a stated reason why it has none.
Drafts may be incomplete. The admin form and its council and model rows, the publish action and
the CSV import all ask :func:`publishing_problems`; each problem says what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SUMMARY = "summary"
SOURCE = "source"
COUNCILS = "councils"
MODEL = "model"

MESSAGES = {
    SUMMARY: "A published case study needs a summary: write two or three sentences, or save it as a draft.",
    SOURCE: "A published case study needs a source: choose its source document or add further reading.",
    COUNCILS: "A published case study needs at least one council: add the council(s) that did the work.",
    MODEL: (
        "A published case study needs a transformation model, or a reason why it has none (“Not classified because …”)."
    ),
}


@dataclass(frozen=True)
class PublicationFacts:
    """What the rules look at, gathered from a saved case study or from a form being saved."""

    summary: str
    has_source: bool
    council_count: int
    model_count: int
    not_classified_reason: str

    @classmethod
    def of(cls, case_study: Any) -> PublicationFacts:
        """From a saved case study (queries its links)."""
        return cls(
            summary=case_study.summary,
            has_source=case_study.source_id is not None or case_study.further_reading.exists(),
            council_count=case_study.council_links.count(),
            model_count=case_study.model_links.count(),
            not_classified_reason=case_study.not_classified_reason,
        )


def summary_problem(summary: str) -> str | None:
    return None if summary.strip() else MESSAGES[SUMMARY]


def source_problem(has_source: bool) -> str | None:
    return None if has_source else MESSAGES[SOURCE]


def councils_problem(council_count: int) -> str | None:
    return None if council_count >= 1 else MESSAGES[COUNCILS]


def model_problem(model_count: int, not_classified_reason: str) -> str | None:
    return None if model_count >= 1 or not_classified_reason.strip() else MESSAGES[MODEL]


def publishing_problems(facts: PublicationFacts) -> dict[str, str]:
    """The rules a case study breaks if it were published now: ``{rule: what to do}``."""
    found = {
        SUMMARY: summary_problem(facts.summary),
        SOURCE: source_problem(facts.has_source),
        COUNCILS: councils_problem(facts.council_count),
        MODEL: model_problem(facts.model_count, facts.not_classified_reason),
    }
    return {rule: message for rule, message in found.items() if message}
