"""A large, deterministic, clearly-marked synthetic library for benchmarks.

``generate()`` fills the database Django is connected to; ``bench/generate.py`` is its command line
(``.venv/bin/python bench/generate.py --councils 400 --case-studies 100000 --seed 42``). It lives
in ``bench/``, not in an app, because only benchmarks and their tests need it.

Every row it creates is marked by a slug starting with ``synthetic-`` (case studies and councils),
so it can be told apart from the curated library and removed again. Rows are written with
``bulk_create`` in batches, which bypasses django-simple-history: synthetic rows have no audit
history, which is what we want for throwaway benchmark data. Derived rows (link keys, search
documents) are kept by the database's triggers like every other write (``casestudies/derived.py``).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from tqdm import tqdm

from casestudies.models import (
    STATUS_KINDS,
    CaseStudy,
    CaseStudyCouncil,
    CaseStudyModel,
    Contact,
    Figure,
    Outcome,
    ServiceArea,
)
from councils.models import Council, CouncilType, Region
from transform_models.models import TransformationModel

SYNTHETIC_PREFIX = "synthetic-"

# The six models, with the one-line definitions from the report's summary page (seeds/000_…).
TRANSFORMATION_MODELS = (
    (
        "commissioning",
        "Commissioning",
        "Councils adopt a ‘strategic commissioning’ approach to local service delivery.",
    ),
    (
        "cooperative",
        "Cooperative",
        "Prioritises cooperative values such as social partnership, democratic engagement, fairness and "
        "maximising social value to create more robust, resilient and resourceful communities.",
    ),
    (
        "entrepreneurial",
        "Entrepreneurial",
        "Uses skills and approaches derived from the private sector in order to save money and generate new "
        "income streams to drive financial sustainability.",
    ),
    ("enabling", "Enabling", "Seeks to plan and oversee the provision of services by a variety of providers."),
    (
        "sharing",
        "Sharing",
        "Councils share their services with other councils and public bodies, the third sector and the private "
        "sector or a mix of partners to design and deliver services together in the most efficient way possible.",
    ),
    (
        "holistic",
        "Holistic",
        "Councils join up services so that residents can access a wide range of services without having to "
        "contact multiple council departments.",
    ),
)

SERVICE_AREAS = (
    "Adult social care",
    "Children's services",
    "Waste and recycling",
    "Libraries",
    "Housing",
    "Planning",
    "Highways and transport",
    "Leisure and culture",
    "Revenues and benefits",
    "Public health",
    "Economic development",
    "Customer services",
    "Back office",
    "Parks and green spaces",
    "Environmental health",
    "Education",
)

# Which regions a council type can sit in (England's types spread over the English regions).
ENGLISH_REGIONS = [
    Region.NORTH_EAST,
    Region.NORTH_WEST,
    Region.YORKSHIRE_AND_THE_HUMBER,
    Region.EAST_MIDLANDS,
    Region.WEST_MIDLANDS,
    Region.EAST_OF_ENGLAND,
    Region.SOUTH_EAST,
    Region.SOUTH_WEST,
]
TYPE_REGIONS: dict[str, list[str]] = {
    CouncilType.COUNTY: ENGLISH_REGIONS,
    CouncilType.DISTRICT: ENGLISH_REGIONS,
    CouncilType.UNITARY: ENGLISH_REGIONS,
    CouncilType.LONDON_BOROUGH: [Region.LONDON],
    CouncilType.METROPOLITAN_BOROUGH: [
        Region.NORTH_EAST,
        Region.NORTH_WEST,
        Region.YORKSHIRE_AND_THE_HUMBER,
        Region.WEST_MIDLANDS,
    ],
    CouncilType.SCOTTISH_COUNCIL: [Region.SCOTLAND],
    CouncilType.WELSH_PRINCIPAL_AREA: [Region.WALES],
    CouncilType.NORTHERN_IRELAND_DISTRICT: [Region.NORTHERN_IRELAND],
    CouncilType.COMBINED_AUTHORITY: ENGLISH_REGIONS,
    CouncilType.STRATEGIC_AUTHORITY: [Region.LONDON],
    CouncilType.CITY_CORPORATION: [Region.LONDON],
}
# Roughly the mix of a real register: many districts, few combined authorities.
TYPE_WEIGHTS = {
    CouncilType.COUNTY: 6,
    CouncilType.DISTRICT: 45,
    CouncilType.UNITARY: 15,
    CouncilType.LONDON_BOROUGH: 8,
    CouncilType.METROPOLITAN_BOROUGH: 9,
    CouncilType.SCOTTISH_COUNCIL: 8,
    CouncilType.WELSH_PRINCIPAL_AREA: 5,
    CouncilType.NORTHERN_IRELAND_DISTRICT: 3,
    CouncilType.COMBINED_AUTHORITY: 1,
    # One of each in the whole register (the Greater London Authority, the City of London): only
    # the first councils, which cover every type, have them.
    CouncilType.STRATEGIC_AUTHORITY: 0,
    CouncilType.CITY_CORPORATION: 0,
}
TYPE_SUFFIX = {
    CouncilType.COUNTY: "County Council",
    CouncilType.DISTRICT: "District Council",
    CouncilType.UNITARY: "Council",
    CouncilType.LONDON_BOROUGH: "London Borough Council",
    CouncilType.METROPOLITAN_BOROUGH: "Metropolitan Borough Council",
    CouncilType.SCOTTISH_COUNCIL: "Council",
    CouncilType.WELSH_PRINCIPAL_AREA: "County Borough Council",
    CouncilType.NORTHERN_IRELAND_DISTRICT: "District Council",
    CouncilType.COMBINED_AUTHORITY: "Combined Authority",
    CouncilType.STRATEGIC_AUTHORITY: "Authority",
    CouncilType.CITY_CORPORATION: "Corporation",
}

PLACE_STARTS = (
    "Ash Bar Black Bramp Brad Brook Burn Cal Carr Chester Clay Cold Cran Dun Eden Elm Fair Fern Glen Green Hal "
    "Harrow Hart Hazel High Holm Kings Lang Lea Lind Long Marl Mead Mill New North Oak Old Pen Red Rich Rose "
    "Rother Sand Shaw South Stan Stock Stone Stow Sud Thorn Wal Wells West Whit Wick Wil Wood Wor"
).split()
PLACE_ENDS = (
    "bridge bury by caster cester combe dale den don field firth ford gate ham hampton hill holme hurst ing "
    "ington ley mere minster mouth ness port shaw stead stoke thorpe ton wick wood worth"
).split()

FIRST_NAMES = (
    "Alex Amira Andrew Anna Ben Carol Chris Claire David Deborah Emma Fatima Gareth Hannah Ian Jane Jo Kate "
    "Liam Lucy Mark Mary Neil Nia Olivia Paul Priya Rachel Rob Sam Sarah Simon Sophie Tom Yusuf Zoe"
).split()
LAST_NAMES = (
    "Ahmed Allen Bailey Baker Brown Campbell Clarke Davies Evans Green Hall Hughes Jones Khan Lewis Martin "
    "Morgan Murphy Patel Price Roberts Robinson Scott Smith Taylor Thomas Walker Ward Watson White Williams Wood"
).split()
ROLES = (
    "Chief Executive",
    "Director of Transformation",
    "Head of Commissioning",
    "Head of Shared Services",
    "Programme Manager",
    "Strategic Director, Resources",
    "Head of Customer Services",
    "Assistant Director, Adult Social Care",
    "Policy Officer",
    "Head of Economic Development",
)

TITLE_PATTERNS = (
    "{service} redesign in {place}",
    "Shared {service_lower} service for {place}",
    "{place}: commissioning {service_lower} for outcomes",
    "A trading company for {service_lower} in {place}",
    "Community-led {service_lower} in {place}",
    "{place} digital front door for {service_lower}",
    "Joining up {service_lower} around residents in {place}",
    "{place} cooperative approach to {service_lower}",
    "Demand management in {service_lower}, {place}",
    "Integrated {service_lower} hub in {place}",
)

SENTENCES = (
    "The council faced a reduction of a quarter in its core funding over the spending review period.",
    "Members agreed that doing nothing was not an option and commissioned a review of every service.",
    "The new operating model separates the commissioning of outcomes from the delivery of services.",
    "Staff were engaged early through workshops, roadshows and a dedicated transformation team.",
    "Residents now reach most services through a single contact centre and an online account.",
    "The partnership shares a chief executive, a senior management team and back-office functions.",
    "A local authority trading company was set up to sell services to schools and neighbouring councils.",
    "Savings were reinvested in early intervention to reduce demand on adult social care.",
    "The council worked with the voluntary and community sector to co-design the new service.",
    "Procurement was consolidated across the partner councils, reducing duplication and cost.",
    "Political leadership was strong and consistent throughout the programme.",
    "Change took longer than expected, and the programme was extended by a further year.",
    "Customer satisfaction rose while the cost per transaction fell sharply.",
    "The council invested in digital tools so that staff could work flexibly across the district.",
    "Libraries were transferred to community groups with a small grant and professional support.",
    "A social value framework now guides every contract the council awards.",
    "The waste collection service is delivered jointly with two neighbouring districts.",
    "Performance is monitored through a shared dashboard published every quarter.",
    "Income from commercial property now funds frontline services that would otherwise have been cut.",
    "The council adopted a strategic commissioning approach built around residents' priorities.",
    "Frontline staff were given more discretion to solve problems at the first point of contact.",
    "A cooperative council approach put community resilience and democratic engagement at the centre.",
    "The programme was overseen by a joint committee of members from each partner council.",
    "Demand management reduced the number of children entering care over three years.",
    "Housing, benefits and council tax teams were merged into a single customer-focused service.",
    "Officers reported that the cultural change was harder than the structural change.",
    "An independent evaluation found the approach had improved outcomes for older people.",
    "The council kept an in-house option open so that it could compare providers fairly.",
    "Economic growth was pursued through a regeneration company owned jointly with the private sector.",
    "Public health moved into the council and now shapes leisure, planning and housing decisions.",
    "Budget pressures continued, but the model gave the council room to plan beyond one year.",
    "Town and parish councils took on grounds maintenance and small highways repairs.",
    "A shared legal service now supports eight councils and several public bodies.",
    "The council's senior management was halved as part of the merger of the two organisations.",
    "Residents were asked what mattered most to them before any service was redesigned.",
    "Asset rationalisation released buildings for housing and cut running costs.",
    "Councillors' roles evolved from managing services to championing their communities.",
    "Lessons from the pilot were shared with other councils through the Local Government Association.",
    "The council set itself the aim of becoming financially self-sufficient by the end of the decade.",
    "Outcome-based contracts rewarded providers for keeping people independent at home.",
)

# Topics a case is about, most common first: each case draws a few with Zipf-like weights, so a
# search for a rare topic matches few cases and a common one many, as in a real library.
TOPICS = (
    "digital services",
    "customer portal",
    "shared services",
    "reablement",
    "homelessness prevention",
    "early help",
    "fostering recruitment",
    "domiciliary care",
    "extra care housing",
    "waste collection",
    "recycling rates",
    "library volunteers",
    "community hubs",
    "asset transfer",
    "council tax collection",
    "business rates growth",
    "procurement savings",
    "agile working",
    "office rationalisation",
    "leisure trust",
    "highways maintenance",
    "potholes",
    "street lighting",
    "LED replacement",
    "energy company",
    "solar farm",
    "housing company",
    "modular homes",
    "regeneration",
    "town centre",
    "high street markets",
    "apprenticeships",
    "skills academy",
    "troubled families",
    "social prescribing",
    "loneliness",
    "dementia friendly communities",
    "telecare",
    "assistive technology",
    "hospital discharge",
    "delayed transfers of care",
    "care home market",
    "direct payments",
    "personal budgets",
    "special educational needs",
    "school transport",
    "youth services",
    "children's centres",
    "family hubs",
    "adoption agency",
    "looked after children",
    "care leavers",
    "mental health",
    "substance misuse",
    "health visiting",
    "smoking cessation",
    "obesity",
    "active travel",
    "cycling",
    "parking enforcement",
    "bus franchising",
    "community transport",
    "flood resilience",
    "coastal protection",
    "planning performance",
    "local plan",
    "building control",
    "land charges",
    "environmental health",
    "food hygiene",
    "licensing",
    "trading standards",
    "scams",
    "pest control",
    "dog warden service",
    "fly-tipping",
    "graffiti",
    "grounds maintenance",
    "parks friends groups",
    "allotments",
    "cemeteries",
    "bereavement services",
    "registrars",
    "electoral services",
    "payroll",
    "HR",
    "shared legal service",
    "internal audit",
    "insurance pooling",
    "treasury management",
    "commercial property investment",
    "digital inclusion",
    "broadband rollout",
    "chatbot",
    "robotic process automation",
    "data warehouse",
    "predictive analytics",
    "open data",
    "cyber security",
    "cloud migration",
    "telephony",
    "contact centre",
    "channel shift",
    "self-service",
    "housing repairs",
    "tenant engagement",
    "rent collection",
    "universal credit support",
    "welfare reform",
    "discretionary housing payments",
    "food banks",
    "credit union",
    "fuel poverty",
    "warm homes",
    "retrofit",
    "carbon reduction",
    "tree planting",
    "rewilding",
)

TOPIC_WEIGHTS = [1 / (rank + 1) for rank in range(len(TOPICS))]
TOPIC_SENTENCES = (
    "In {place} the work on {topic} was led by a small team reporting to the chief executive.",
    "The council reviewed its approach to {topic} and found that demand was rising faster than budgets.",
    "Work on {topic} in {place} was funded from the transformation reserve.",
    "Partners agreed a shared outcomes framework for {topic}.",
    "A pilot on {topic} ran for twelve months before being rolled out across {place}.",
    "Residents of {place} helped redesign {topic} through a series of community workshops.",
    "The business case for {topic} assumed savings would build up over three years.",
    "An external review of {topic} recommended a single point of contact for residents.",
)

OUTCOME_METRICS = (
    ("Apprenticeships created", "apprenticeships"),
    ("Jobs supported", "jobs"),
    ("Families helped", "families"),
    ("Homes built", "homes"),
    ("Volunteers recruited", "volunteers"),
    ("Residents using online services", "residents"),
    ("Reduction in children entering care", "children"),
    ("Staff posts removed", "posts"),
)

FIGURE_KIND_WEIGHTS = {
    Figure.Kind.SAVING: 50,
    Figure.Kind.INCOME: 15,
    Figure.Kind.INVESTMENT: 10,
    Figure.Kind.LOAN: 3,
    Figure.Kind.FUNDS_LEVERED: 4,
    Figure.Kind.BUDGET_REDUCTION: 8,
    Figure.Kind.EFFICIENCY: 6,
    Figure.Kind.COST: 4,
}


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _slugify(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _pounds(value: int) -> str:
    if value >= 1_000_000:
        return f"£{value / 1_000_000:.3g} million"
    return f"£{value:,}"


@dataclass
class Batch:
    """The rows of one batch of case studies, built in memory before any insert."""

    cases: list[CaseStudy] = field(default_factory=list)
    councils: list[list[tuple[int, str]]] = field(default_factory=list)  # per case: (council_id, name)
    models: list[list[int]] = field(default_factory=list)
    service_areas: list[list[int]] = field(default_factory=list)
    figures: list[list[Figure]] = field(default_factory=list)
    outcomes: list[list[Outcome]] = field(default_factory=list)
    contacts: list[list[Contact]] = field(default_factory=list)


class SyntheticLibrary:
    """Builds synthetic rows from one ``random.Random``; the same seed gives the same library."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def council_rows(self, count: int) -> list[Council]:
        rng = self.rng
        types = list(CouncilType)
        names: set[str] = set()
        rows = []
        for index in range(count):
            # The first councils cover every type, then a district in every English region, so every
            # type and region is used as soon as there are 19 councils; after that, a realistic mix.
            if index < len(types):
                council_type = types[index]
                region = TYPE_REGIONS[council_type][0]
            elif index < len(types) + len(ENGLISH_REGIONS):
                council_type, region = CouncilType.DISTRICT, ENGLISH_REGIONS[index - len(types)]
            else:
                council_type = _weighted(rng, TYPE_WEIGHTS)
                region = rng.choice(TYPE_REGIONS[council_type])
            place = rng.choice(PLACE_STARTS) + rng.choice(PLACE_ENDS)
            while place in names:
                place = rng.choice(PLACE_STARTS) + rng.choice(PLACE_ENDS) + rng.choice(("", " Vale", " Forest"))
            names.add(place)
            rows.append(
                Council(
                    name=f"{place} {TYPE_SUFFIX[council_type]}",
                    slug=f"{SYNTHETIC_PREFIX}{index + 1:05d}-{_slugify(place)}",
                    council_type=council_type,
                    region=region,
                    notes="Synthetic council generated for benchmarks.",
                )
            )
        return rows

    def case_batch(
        self,
        start: int,
        size: int,
        councils: list[tuple[int, str, str]],
        model_ids: list[int],
        service_area_ids: list[tuple[int, str]],
    ) -> Batch:
        rng = self.rng
        batch = Batch()
        for number in range(start, start + size):
            area_count = rng.choice((1, 1, 2, 2, 3))
            areas = rng.sample(service_area_ids, min(area_count, len(service_area_ids)))
            lead_area = areas[0][1] if areas else "Services"
            chosen = rng.sample(councils, min(rng.choices((1, 2, 3, 4), weights=(55, 25, 12, 8))[0], len(councils)))
            place = chosen[0][2]
            title = rng.choice(TITLE_PATTERNS).format(service=lead_area, service_lower=lead_area.lower(), place=place)
            start_year = rng.randint(2000, 2025)
            is_ongoing = rng.random() < 0.4
            end_year = None if is_ongoing else min(start_year + rng.randint(0, 6), 2026)
            topics = rng.choices(TOPICS, weights=TOPIC_WEIGHTS, k=3)
            paragraphs = [
                " ".join(self._sentence(topics, place) for _ in range(rng.randint(3, 6)))
                for _ in range(rng.randint(3, 6))
            ]
            summary = " ".join(rng.sample(SENTENCES, 2))
            batch.cases.append(
                CaseStudy(
                    title=title[:250],
                    slug=f"{SYNTHETIC_PREFIX}{number:07d}-{_slugify(title)}"[:150],
                    summary=summary,
                    body="\n\n".join(paragraphs),
                    start_year=start_year,
                    end_year=end_year,
                    is_ongoing=is_ongoing,
                    status=CaseStudy.Status.PUBLISHED if rng.random() < 0.92 else CaseStudy.Status.DRAFT,
                    stage=CaseStudy.Stage.IMPLEMENTED if rng.random() < 0.9 else CaseStudy.Stage.PROPOSAL,
                    source_section="Synthetic benchmark data",
                )
            )
            batch.councils.append([(council_id, name) for council_id, name, _place in chosen])
            batch.models.append(rng.sample(model_ids, rng.choices((1, 2, 3), weights=(60, 30, 10))[0]))
            batch.service_areas.append([area_id for area_id, _name in areas])
            batch.figures.append(self._figures(start_year, chosen))
            batch.outcomes.append(self._outcomes(chosen))
            batch.contacts.append(self._contacts(chosen))
        return batch

    def _sentence(self, topics: list[str], place: str) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return rng.choice(SENTENCES)
        return rng.choice(TOPIC_SENTENCES).format(topic=rng.choice(topics), place=place)

    def _figures(self, start_year: int, councils: list[tuple[int, str, str]]) -> list[Figure]:
        rng = self.rng
        figures = []
        # About one case in ten quotes no figure at all, as in the real library.
        for position in range(1, rng.choices((0, 1, 2, 3, 4, 5), weights=(10, 8, 18, 34, 18, 12))[0] + 1):
            kind = _weighted(rng, FIGURE_KIND_WEIGHTS)
            status = rng.choice([Figure.Status.ACHIEVED, Figure.Status.EXPECTED])
            council_id, council_name, _place = rng.choice(councils)
            verb = "achieved" if status == Figure.Status.ACHIEVED else "expects"
            figure = Figure(
                position=position,
                kind=kind,
                status=status if kind in STATUS_KINDS else "",
                label=f"{kind.label} from the programme",
            )
            # One council of several: linked through ``applies_to`` once the figure has its id (_insert).
            figure.synthetic_applies_to = council_id if len(councils) > 1 else None
            if kind in (Figure.Kind.EFFICIENCY, Figure.Kind.BUDGET_REDUCTION) and rng.random() < 0.6:
                low = rng.randint(1, 30)
                high = low + rng.randint(0, 5)
                figure.measure = Figure.Measure.PERCENT
                figure.percent_low, figure.percent_high = low, high
                figure.period = Figure.Period.UNSPECIFIED
                figure.quote = f"{council_name} {verb} a {low}-{high}% {kind.label.lower()}."
                figures.append(figure)
                continue
            high = rng.choice((50_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 20_000_000))
            high = high * rng.randint(1, 9) // 3 or 1
            low = high if rng.random() < 0.6 else (None if rng.random() < 0.3 else high * rng.randint(40, 90) // 100)
            figure.measure = Figure.Measure.MONEY
            figure.amount_low, figure.amount_high = low, high
            period = rng.choices(list(Figure.Period), weights=(15, 45, 20, 10, 10))[0]
            figure.period = period
            when = ""
            if period == Figure.Period.PER_YEAR:
                when = " per year"
            elif period == Figure.Period.TOTAL:
                figure.period_years = rng.randint(2, 10)
                when = f" over {figure.period_years} years"
            elif period == Figure.Period.CUMULATIVE:
                figure.period_start_year = start_year
                figure.period_end_year = start_year + rng.randint(1, 6)
                when = f" between {figure.period_start_year} and {figure.period_end_year}"
            amount = f"up to {_pounds(high)}" if low is None else _pounds(high)
            figure.quote = f"{council_name} {verb} {kind.label.lower()} of {amount}{when}."
            figures.append(figure)
        return figures

    def _outcomes(self, councils: list[tuple[int, str, str]]) -> list[Outcome]:
        rng = self.rng
        outcomes = []
        for position in range(1, rng.choice((0, 1, 1, 2, 3)) + 1):
            metric, unit = rng.choice(OUTCOME_METRICS)
            value = rng.randint(5, 2000)
            outcomes.append(
                Outcome(
                    position=position,
                    metric=metric,
                    value=value,
                    unit=unit,
                    status=rng.choice(list(Outcome.Status)),
                    quote=f"{councils[0][1]} reports {value} {unit} ({metric.lower()}).",
                )
            )
        return outcomes

    def _contacts(self, councils: list[tuple[int, str, str]]) -> list[Contact]:
        rng = self.rng
        contacts = []
        for position in range(1, rng.choice((1, 1, 2)) + 1):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            council_id, _name, place = rng.choice(councils)
            contacts.append(
                Contact(
                    position=position,
                    name=f"{first} {last}",
                    role=rng.choice(ROLES),
                    council_id=council_id,
                    email=f"{first}.{last}@{_slugify(place)}.example.org".lower(),
                    published_year=rng.randint(2010, 2025),
                )
            )
        return contacts


def _chunks(total: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(size, total - start)


class SyntheticDataError(Exception):
    """The generator refused to run (nonsense sizes, or curated data without ``force``)."""


@dataclass(frozen=True)
class Generated:
    councils: int
    case_studies: int
    seed: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"Generated {self.councils} councils and {self.case_studies} case studies (seed {self.seed}) "
            f"in {self.seconds:.1f} s."
        )


def generate(
    *,
    councils: int = 400,
    case_studies: int = 100_000,
    seed: int = 42,
    batch_size: int = 2000,
    force: bool = False,
    progress: bool = False,
) -> Generated:
    """Replace earlier synthetic rows with a fresh library of ``councils`` councils and
    ``case_studies`` case studies drawn from ``seed``; ``progress``: a tqdm bar on stderr.

    Refuses (:class:`SyntheticDataError`) to write beside curated case studies unless ``force``.
    """
    if councils < 1 or case_studies < 0 or batch_size < 1:
        raise SyntheticDataError("--councils and --batch-size must be at least 1, --case-studies at least 0.")
    curated = CaseStudy.objects.exclude(slug__startswith=SYNTHETIC_PREFIX).count()
    if curated and not force:
        raise SyntheticDataError(
            f"This database holds {curated} curated case studies; refusing to add synthetic data beside them. "
            "Use an empty database for benchmarks, or pass --force if you really mean it."
        )
    started = time.monotonic()
    library = SyntheticLibrary(seed)
    _remove_previous()
    with transaction.atomic():
        model_ids = _transformation_models()
        area_rows = _service_areas()
        council_rows = Council.objects.bulk_create(library.council_rows(councils))
    council_info = [(c.pk, c.name, c.name.removesuffix(" " + TYPE_SUFFIX[c.council_type])) for c in council_rows]
    bar = tqdm(total=case_studies, unit="case", file=sys.stderr, disable=not progress, desc="Synthetic case studies")
    with bar:
        for start, size in _chunks(case_studies, batch_size):
            batch = library.case_batch(start + 1, size, council_info, model_ids, area_rows)
            with transaction.atomic():
                _insert(batch)
            bar.update(size)
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner; VACUUM also sets the visibility map so that counts
        # can use index-only scans. VACUUM cannot run inside a transaction (e.g. under tests).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return Generated(councils, case_studies, seed, time.monotonic() - started)


def _remove_previous() -> None:
    """Delete earlier synthetic rows so that a re-run gives exactly the same library.

    Plain DELETEs (the ORM's cascade collector would load 100k objects), case studies *first*:
    foreign keys are checked at commit, and once a case study is gone the triggers that rederive
    its link keys and search document when its links are deleted find nothing left to do. Its
    rows are then the only ones in the transaction whose case study does not exist.
    """
    case_table = CaseStudy._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {case_table} WHERE slug LIKE %s", [f"{SYNTHETIC_PREFIX}%"])
        for model, column in (
            (CaseStudyCouncil, "case_study_id"),
            (CaseStudyModel, "case_study_id"),
            (Figure, "case_study_id"),
            (Outcome, "case_study_id"),
            (Contact, "case_study_id"),
            (CaseStudy.service_areas.through, "casestudy_id"),
            (CaseStudy.further_reading.through, "casestudy_id"),
        ):
            table = model._meta.db_table
            cursor.execute(
                f"DELETE FROM {table} WHERE NOT EXISTS (SELECT 1 FROM {case_table} cs WHERE cs.id = {table}.{column})"
            )
        applies_to, figure_table = Figure.applies_to.through._meta.db_table, Figure._meta.db_table
        cursor.execute(
            f"DELETE FROM {applies_to} WHERE NOT EXISTS"
            f" (SELECT 1 FROM {figure_table} f WHERE f.id = {applies_to}.figure_id)"
        )
        cursor.execute(f"DELETE FROM {Council._meta.db_table} WHERE slug LIKE %s", [f"{SYNTHETIC_PREFIX}%"])


def _transformation_models() -> list[int]:
    ids = []
    for order, (slug, name, definition) in enumerate(TRANSFORMATION_MODELS, start=1):
        model, _created = TransformationModel.objects.get_or_create(
            slug=slug, defaults={"name": name, "definition": definition, "display_order": order}
        )
        ids.append(model.pk)
    return ids


def _service_areas() -> list[tuple[int, str]]:
    rows = []
    for name in SERVICE_AREAS:
        area, _created = ServiceArea.objects.get_or_create(slug=_slugify(name), defaults={"name": name})
        rows.append((area.pk, area.name))
    return rows


def _insert(batch: Batch) -> list[int]:
    cases = CaseStudy.objects.bulk_create(batch.cases)
    ids = [case.pk for case in cases]
    council_links, model_links, area_links = [], [], []
    figures, outcomes, contacts = [], [], []
    through = CaseStudy.service_areas.through
    for index, case_id in enumerate(ids):
        for position, (council_id, _name) in enumerate(batch.councils[index], start=1):
            role = CaseStudyCouncil.Role.LEAD if position == 1 else CaseStudyCouncil.Role.PARTNER
            council_links.append(
                CaseStudyCouncil(case_study_id=case_id, council_id=council_id, role=role, position=position)
            )
        for order, model_id in enumerate(batch.models[index]):
            model_links.append(CaseStudyModel(case_study_id=case_id, model_id=model_id, is_primary=order == 0))
        area_links.extend(through(casestudy_id=case_id, servicearea_id=a) for a in batch.service_areas[index])
        for rows, target in ((batch.figures, figures), (batch.outcomes, outcomes), (batch.contacts, contacts)):
            for row in rows[index]:
                row.case_study_id = case_id
                target.append(row)
    CaseStudyCouncil.objects.bulk_create(council_links)
    CaseStudyModel.objects.bulk_create(model_links)
    through.objects.bulk_create(area_links)
    Figure.objects.bulk_create(figures)
    Figure.applies_to.through.objects.bulk_create(
        Figure.applies_to.through(figure_id=figure.pk, council_id=figure.synthetic_applies_to)
        for figure in figures
        if figure.synthetic_applies_to is not None
    )
    Outcome.objects.bulk_create(outcomes)
    Contact.objects.bulk_create(contacts)
    return ids
