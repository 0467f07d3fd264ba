"""'Councils like mine': the published case studies of the councils most like a given one,
ranked by the best of their councils (councils/similarity.py is the rule; this only ranks
case studies by it). The web page and the API both read ``CaseStudy.objects.like(council)``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from councils.similarity import Similarity

RESULTS = 20  # case studies shown, the most alike first


@dataclass(frozen=True)
class RankedCaseStudy:
    """A case study and the council of it that is most like yours (``similar``: why, and how much)."""

    case_study: Any
    similar: Similarity

    @property
    def score(self) -> int:
        return self.similar.score


def rank(case_studies: Iterable[Any], similar: list[Similarity], limit: int = RESULTS) -> list[RankedCaseStudy]:
    """Each case study with its most alike council among ``similar`` (their ``council_links``
    prefetched), the most alike first (as ``Similarity.rank_key``, then by title), at most ``limit``."""
    by_council = {s.council.pk: s for s in similar}
    ranked = []
    for case_study in case_studies:
        found = [
            by_council[link.council_id] for link in case_study.council_links.all() if link.council_id in by_council
        ]
        if found:
            ranked.append(RankedCaseStudy(case_study, min(found, key=Similarity.rank_key)))
    ranked.sort(key=lambda r: (*r.similar.rank_key(), r.case_study.title))
    return ranked[:limit]
