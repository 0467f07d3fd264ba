"""Councils, the partnerships they form, and how reorganisation replaced some of them."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from curation.fields import MultilineTextField

from .similarity import Similarity, similar_councils


class SlugManager(models.Manager):
    """Manager for models whose natural key is their slug (used by the fixtures)."""

    def get_by_natural_key(self, slug: str) -> models.Model:
        return self.get(slug=slug)


class CouncilType(models.TextChoices):
    COUNTY = "county", "County council"
    DISTRICT = "district", "District council"
    UNITARY = "unitary", "Unitary authority"
    LONDON_BOROUGH = "london_borough", "London borough"
    METROPOLITAN_BOROUGH = "metropolitan_borough", "Metropolitan borough"
    SCOTTISH_COUNCIL = "scottish_council", "Scottish council"
    WELSH_PRINCIPAL_AREA = "welsh_principal_area", "Welsh principal area"
    NORTHERN_IRELAND_DISTRICT = "northern_ireland_district", "Northern Ireland district"
    COMBINED_AUTHORITY = "combined_authority", "Combined authority"
    STRATEGIC_AUTHORITY = "strategic_authority", "Strategic regional authority"
    CITY_CORPORATION = "city_corporation", "City corporation"


class Region(models.TextChoices):
    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE_AND_THE_HUMBER = "yorkshire_and_the_humber", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST_OF_ENGLAND = "east_of_england", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"
    SCOTLAND = "scotland", "Scotland"
    WALES = "wales", "Wales"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


def _related_model(model: type[models.Model], relation: str) -> type[models.Model]:
    """The model on the other side of a reverse relation that another app declared (case studies
    link to councils): reached through the relation, so this module imports nothing above it."""
    return model._meta.get_field(relation).related_model


class CouncilQuerySet(models.QuerySet):
    def search(self, text: str) -> CouncilQuerySet:
        """Councils whose name contains ``text``, or whose GSS or register code it is."""
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(gss_code__iexact=text) | Q(register_code__iexact=text))

    def current(self) -> CouncilQuerySet:
        """Councils not abolished."""
        return self.filter(abolished_on__isnull=True)

    def matching(self, text: str) -> CouncilQuerySet:
        """The council ``text`` names exactly (its slug, its name in any case, its GSS or register
        code); if none, those whose name contains it. By name."""
        text = text.strip()
        if not text:
            return self.none()
        exact = self.filter(
            Q(slug=text) | Q(name__iexact=text) | Q(gss_code__iexact=text) | Q(register_code__iexact=text)
        )
        return (exact if exact.exists() else self.filter(name__icontains=text)).order_by("name", "pk")

    def similar_to(self, council: Council) -> list[Similarity]:
        """These councils that are like ``council`` (itself left out), the most alike first, each
        with its reasons and score: the rule is in councils/similarity.py. Two queries."""
        lineage = list(
            Succession.objects.filter(Q(predecessor=council) | Q(successor=council)).values_list(
                "predecessor_id", "successor_id"
            )
        )
        return similar_councils(
            council,
            self,
            predecessors={old for old, new in lineage if new == council.pk},
            successors={new for old, new in lineage if old == council.pk},
        )

    def with_register_discrepancies(self, present: bool = True) -> CouncilQuerySet:
        """Councils where the register says otherwise than the record (or, ``present=False``, not)."""
        has = models.Exists(RegisterDiscrepancy.objects.filter(council=models.OuterRef("pk")))
        return self.filter(has if present else ~has)

    def with_case_study_counts(self) -> CouncilQuerySet:
        """Annotate ``case_study_count``: published case studies the council takes part in."""
        published = (
            _related_model(self.model, "case_study_links")
            .objects.filter(council=models.OuterRef("pk"), case_study__status="published")
            .order_by()
            .values("council")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            case_study_count=models.functions.Coalesce(
                models.Subquery(published, output_field=models.IntegerField()), 0
            )
        )

    def taking_part_or_chosen(self, chosen: Iterable[str] = ()) -> CouncilQuerySet:
        """Councils taking part in a published case study, and those whose slug is in ``chosen``
        (the finder's council options: the register's hundreds of other councils would only be
        options that find nothing)."""
        links = _related_model(self.model, "case_study_links").objects.filter(
            council=models.OuterRef("pk"), case_study__status="published"
        )
        return self.filter(models.Exists(links) | Q(slug__in=list(chosen)))

    def in_partnerships(self) -> CouncilQuerySet:
        """Councils that are members of any partnership, by name (the partnership list's choices)."""
        members = Partnership.members.through.objects.filter(council=models.OuterRef("pk"))
        return self.filter(models.Exists(members)).order_by("name", "pk")

    def for_cards(self) -> CouncilQuerySet:
        """What the web council list renders: successors and ``case_study_count``, two queries."""
        return self.with_case_study_counts().prefetch_related(successors_by_name())

    def for_detail(self) -> CouncilQuerySet:
        return self.prefetch_related(
            successors_by_name(), predecessors_by_name(), "partnerships", "register_discrepancies"
        )

    def for_listing(self) -> CouncilQuerySet:
        """Everything an API row renders: successors, predecessors, partnerships, counts."""
        return self.with_case_study_counts().prefetch_related(
            successors_by_name(),
            predecessors_by_name(),
            models.Prefetch("partnerships", queryset=Partnership.objects.order_by("name")),
            models.Prefetch("register_discrepancies", queryset=RegisterDiscrepancy.objects.order_by("field")),
        )


def successors_by_name(prefix: str = "") -> models.Prefetch:
    """Prefetch a council's successors by name (``prefix``: the path to the council, e.g. ``council__``)."""
    return models.Prefetch(f"{prefix}successors", queryset=Council.objects.order_by("name", "pk"))


def predecessors_by_name(prefix: str = "") -> models.Prefetch:
    return models.Prefetch(f"{prefix}predecessors", queryset=Council.objects.order_by("name", "pk"))


class Council(models.Model):
    """A UK local authority, past or present."""

    Type = CouncilType
    Region = Region

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    council_type = models.CharField(max_length=30, choices=Type.choices, db_index=True)
    region = models.CharField(max_length=30, choices=Region.choices, db_index=True)
    gss_code = models.CharField(
        "GSS code",
        max_length=9,
        blank=True,
        help_text="ONS Government Statistical Service code, e.g. E07000223. Leave blank unless certain.",
    )
    in_documents = models.BooleanField(
        default=False,
        help_text="Named in the source documents: its name, type and region follow them. Otherwise the record "
        "comes from the council register alone.",
    )
    register_code = models.CharField(
        max_length=10,
        blank=True,
        help_text="Its local-authority-code in mySociety's register of UK councils (e.g. ADU); blank if not in it.",
    )
    website = models.URLField(blank=True)
    established_on = models.DateField(null=True, blank=True, help_text="Date the council came into existence.")
    abolished_on = models.DateField(
        null=True,
        blank=True,
        help_text="Date the council was abolished (the register gives either its last day or its successor's first).",
    )
    successors = models.ManyToManyField(
        "self",
        through="Succession",
        through_fields=("predecessor", "successor"),
        symmetrical=False,
        related_name="predecessors",
        blank=True,
        help_text="The councils that took over when this one was abolished (several when it was divided).",
    )
    population = models.PositiveIntegerField(
        null=True, blank=True, help_text="Estimated residents, as the register gives it."
    )
    population_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year of the population estimate (the register's is for 2020)."
    )
    latitude = models.FloatField(null=True, blank=True, help_text="Of the council area's centre (WGS84).")
    longitude = models.FloatField(null=True, blank=True)
    notes = MultilineTextField(blank=True)
    version = models.PositiveIntegerField(
        default=1,
        help_text="Goes up by one with each curator save; a stale admin form is refused (optimistic locking).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = SlugManager.from_queryset(CouncilQuerySet)()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(council_type__in=[c.value for c in CouncilType]), name="council_type_valid"
            ),
            models.CheckConstraint(condition=Q(region__in=[r.value for r in Region]), name="council_region_valid"),
            models.UniqueConstraint(fields=["gss_code"], condition=~Q(gss_code=""), name="council_gss_code_unique"),
            models.UniqueConstraint(
                fields=["register_code"], condition=~Q(register_code=""), name="council_register_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(established_on__isnull=True)
                | Q(abolished_on__isnull=True)
                | Q(abolished_on__gte=models.F("established_on")),
                name="council_abolished_not_before_established",
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True, population_year__isnull=True)
                | Q(population__isnull=False, population_year__gte=1900, population_year__lte=2100),
                name="council_population_has_its_year",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=49, latitude__lte=61, longitude__gte=-9, longitude__lte=2),
                name="council_coordinates_in_the_uk",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("councils:detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def is_abolished(self) -> bool:
        return self.abolished_on is not None

    @property
    def in_register(self) -> bool:
        return bool(self.register_code)

    @property
    def sole_successor(self) -> Council | None:
        """Its successor when exactly one took over (the API's ``successor``, kept for its readers); from the
        prefetched ``successors``."""
        successors = list(self.successors.all())
        return successors[0] if len(successors) == 1 else None


class SuccessionManager(models.Manager):
    def get_by_natural_key(self, predecessor_slug: str, successor_slug: str) -> Succession:
        return self.get(predecessor__slug=predecessor_slug, successor__slug=successor_slug)


class Succession(models.Model):
    """One line of a council's lineage: ``predecessor`` was abolished and ``successor`` took over its
    work, or part of it (Cumbria County Council has two). A council's ``successors`` and
    ``predecessors`` are these rows seen from either end.

    The database refuses a council as its own successor and the same pair twice. That only an
    abolished council has successors spans two tables, which a check constraint cannot; ``clean``
    (the admin) and ``import_council_register`` refuse it instead."""

    predecessor = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="succession_links")
    successor = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        related_name="predecession_links",
        help_text="A council that took over (all or part of) the predecessor's work when it was abolished.",
    )
    history = HistoricalRecords()

    objects = SuccessionManager()

    class Meta:
        ordering = ["predecessor__name", "successor__name"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_once_per_pair"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="succession_not_own_successor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"

    def natural_key(self) -> tuple[str, str]:
        return (*self.predecessor.natural_key(), *self.successor.natural_key())

    natural_key.dependencies = ["councils.council"]

    def clean(self) -> None:
        predecessor = getattr(self, "predecessor", None)
        if predecessor is not None and predecessor.abolished_on is None:
            raise ValidationError("Only an abolished council has successors: give it its abolition date first.")
        if predecessor is not None and self.successor_id is not None and self.successor_id == predecessor.pk:
            raise ValidationError({"successor": "A council cannot be its own successor."})


class DiscrepancyField(models.TextChoices):
    """The fields of a council that the register is compared on."""

    NAME = "name", "Name"
    COUNCIL_TYPE = "council_type", "Council type"
    REGION = "region", "Region"
    ABOLISHED_ON = "abolished_on", "Abolished on"
    SUCCESSOR = "successor", "Successors"


class RegisterDiscrepancyManager(models.Manager):
    def get_by_natural_key(self, council_slug: str, field: str) -> RegisterDiscrepancy:
        return self.get(council__slug=council_slug, field=field)


class RegisterDiscrepancy(models.Model):
    """Where mySociety's register of councils says something else than the library's record, which
    follows the source documents: both values are kept, the council's own field is not changed.
    Written by ``import_council_register`` into the fixtures."""

    Field = DiscrepancyField

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="register_discrepancies")
    field = models.CharField(max_length=20, choices=Field.choices)
    library_value = models.CharField(max_length=200, help_text="What the library's record says (from the documents).")
    register_value = models.CharField(max_length=200, help_text="What the register says.")

    objects = RegisterDiscrepancyManager()

    class Meta:
        ordering = ["council__name", "field"]
        verbose_name = "disagreement with the council register"
        verbose_name_plural = "disagreements with the council register"
        constraints = [
            models.UniqueConstraint(fields=["council", "field"], name="registerdiscrepancy_one_per_field"),
            models.CheckConstraint(
                condition=Q(field__in=[f.value for f in DiscrepancyField]),
                name="registerdiscrepancy_field_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council}: {self.get_field_display().lower()}"

    def natural_key(self) -> tuple[str, str]:
        return (*self.council.natural_key(), self.field)

    natural_key.dependencies = ["councils.council"]


class PartnershipQuerySet(models.QuerySet):
    def with_case_study_counts(self) -> PartnershipQuerySet:
        """Annotate ``case_study_count``: published case studies of the partnership."""
        published = (
            _related_model(self.model, "case_studies")
            .objects.filter(partnership=models.OuterRef("pk"), status="published")
            .order_by()
            .values("partnership")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            case_study_count=models.functions.Coalesce(
                models.Subquery(published, output_field=models.IntegerField()), 0
            )
        )

    def for_listing(self) -> PartnershipQuerySet:
        """Everything a list row (web or API) renders: the members and ``case_study_count``."""
        return self.with_case_study_counts().prefetch_related(
            models.Prefetch("members", queryset=Council.objects.order_by("name", "pk"))
        )


class Partnership(models.Model):
    """A standing joint arrangement between councils (shared staff, services or management)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=150, unique=True)
    description = MultilineTextField(blank=True)
    formed_year = models.PositiveSmallIntegerField(null=True, blank=True)
    members = models.ManyToManyField(Council, related_name="partnerships", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[members])

    objects = SlugManager.from_queryset(PartnershipQuerySet)()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(formed_year__isnull=True) | Q(formed_year__gte=1900, formed_year__lte=2100),
                name="partnership_formed_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("councils:partnership", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)
