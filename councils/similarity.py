"""Which councils are like a given one ("Councils like mine"): the one home of the rule.

A council is like yours for each of these reasons, each worth the points in ``WEIGHTS``:

- it is one of your council's predecessors or successors through reorganisation (the lineage);
- it is of the same type (``council_type``: also a district council);
- its population is within a factor of ``POPULATION_FACTOR`` of yours (both known);
- it is in the same region (or nation);
- its centre is within ``NEARBY_KM`` of yours (both have coordinates, from the council register).

A council with no reason is not like yours. The most points rank first, then the nearest
(councils without coordinates last), then by name. Each result keeps its reasons, in that order,
in plain words with the numbers rounded ("also a district council, population 64k vs 90k,
40 km away"); the web page and the API both show them.

Distances are great-circle (haversine) distances between the register's centres, worked out
here in Python over the candidates (every council with a published case study, a few dozen;
at most the register's 470): SQLite has no trigonometric functions by default, and PostgreSQL
and SQLite must give the same answer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Council

POPULATION_FACTOR = 2  # a similar population: at most twice, and at least half, of yours
NEARBY_KM = 80  # "N km away" is a reason up to this distance between the councils' centres
EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)

LINEAGE = "lineage"
COUNCIL_TYPE = "council_type"
POPULATION = "population"
REGION = "region"
DISTANCE = "distance"
# The reasons in the order they are given, and what each is worth.
WEIGHTS: dict[str, int] = {LINEAGE: 4, COUNCIL_TYPE: 3, POPULATION: 2, REGION: 1, DISTANCE: 1}

# Words kept capitalised at the start of a type's label ("also a London borough").
_PROPER_WORDS = frozenset({"London", "Scottish", "Welsh", "Northern"})
# Regions named without "the" ("also in London", but "also in the South East").
_WITHOUT_THE = frozenset({"London", "Yorkshire and the Humber", "Scotland", "Wales", "Northern Ireland"})


@dataclass(frozen=True)
class Reason:
    """One way a council is like yours: ``kind`` (a key of ``WEIGHTS``) and the words for it."""

    kind: str
    text: str


@dataclass(frozen=True)
class Similarity:
    """A council like yours, with why (its reasons, in ``WEIGHTS`` order) and how much (``score``)."""

    council: Council
    reasons: tuple[Reason, ...]
    distance_km: float | None

    @property
    def score(self) -> int:
        return sum(WEIGHTS[reason.kind] for reason in self.reasons)

    @property
    def why(self) -> str:
        """Its reasons in one phrase: "also a district council, population 64k vs 90k, 40 km away"."""
        return ", ".join(reason.text for reason in self.reasons)

    def rank_key(self) -> tuple[int, float, str]:
        """Sorts the most alike first: most points, then nearest (unknown distance last), then name."""
        distance = self.distance_km if self.distance_km is not None else math.inf
        return (-self.score, distance, self.council.name)


def distance_km(a: Council, b: Council) -> float | None:
    """The great-circle distance between two councils' centres, or None if either has none."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def short_population(number: int) -> str:
    """64,112 -> "64k"; 1,141,816 -> "1.1m"; 2,200 -> "2k"; 950 -> "950"."""
    if number >= 999_500:
        return f"{number / 1_000_000:.1f}".removesuffix(".0") + "m"
    if number >= 1_000:
        return f"{round(number / 1_000)}k"
    return str(number)


def short_distance(km: float) -> str:
    """39.6 -> "40 km away"; 0.3 -> "less than 1 km away"."""
    return "less than 1 km away" if km < 0.5 else f"{round(km)} km away"


def type_phrase(label: str) -> str:
    """A council type's label as it reads after "also a": "District council" -> "district council",
    "London borough" stays."""
    first, _, rest = label.partition(" ")
    first = first if first in _PROPER_WORDS else first.lower()
    return f"{first} {rest}".strip()


def similar_population(a: int | None, b: int | None) -> bool:
    return bool(a and b) and max(a, b) <= POPULATION_FACTOR * min(a, b)


def similarity(council: Council, other: Council, *, predecessors: set[int], successors: set[int]) -> Similarity:
    """How ``other`` is like ``council`` (whose lineage is the pks ``predecessors`` and ``successors``)."""
    reasons = []
    if other.pk in predecessors:
        reasons.append(Reason(LINEAGE, f"a predecessor of {council.name}"))
    elif other.pk in successors:
        reasons.append(Reason(LINEAGE, f"a successor of {council.name}"))
    if other.council_type == council.council_type:
        article = "an" if type_phrase(other.get_council_type_display())[0] in "aeio" else "a"
        reasons.append(Reason(COUNCIL_TYPE, f"also {article} {type_phrase(other.get_council_type_display())}"))
    if similar_population(other.population, council.population):
        reasons.append(
            Reason(
                POPULATION,
                f"population {short_population(other.population)} vs {short_population(council.population)}",
            )
        )
    if other.region == council.region:
        reasons.append(Reason(REGION, f"also in {region_phrase(other.get_region_display())}"))
    km = distance_km(council, other)
    if km is not None and km <= NEARBY_KM:
        reasons.append(Reason(DISTANCE, short_distance(km)))
    return Similarity(council=other, reasons=tuple(reasons), distance_km=km)


def region_phrase(label: str) -> str:
    """Most English regions take "the" ("the South East"); London, Yorkshire and the Humber and the nations do not."""
    return label if label in _WITHOUT_THE else f"the {label}"


def similar_councils(
    council: Council, candidates: Iterable[Council], *, predecessors: set[int], successors: set[int]
) -> list[Similarity]:
    """The ``candidates`` like ``council`` (itself left out), the most alike first."""
    found = [
        similarity(council, other, predecessors=predecessors, successors=successors)
        for other in candidates
        if other.pk != council.pk
    ]
    return sorted((s for s in found if s.reasons), key=Similarity.rank_key)
