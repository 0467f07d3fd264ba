"""Councils, the partnerships they form, and how reorganisation replaced some of them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from config.fields import MultilineTextField


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

    def in_partnerships(self) -> CouncilQuerySet:
        """Councils that are members of any partnership, by name (the partnership list's choices)."""
        members = Partnership.members.through.objects.filter(council=models.OuterRef("pk"))
        return self.filter(models.Exists(members)).order_by("name", "pk")

    def for_cards(self) -> CouncilQuerySet:
        """What the web council list renders: successor and ``case_study_count``, one query."""
        return self.with_case_study_counts().select_related("successor")

    def for_detail(self) -> CouncilQuerySet:
        return self.select_related("successor").prefetch_related("predecessors", "partnerships")

    def for_listing(self) -> CouncilQuerySet:
        """Everything an API row renders: successor, predecessors, partnerships, counts."""
        return (
            self.with_case_study_counts()
            .select_related("successor")
            .prefetch_related(
                models.Prefetch("predecessors", queryset=Council.objects.order_by("name")),
                models.Prefetch("partnerships", queryset=Partnership.objects.order_by("name")),
            )
        )


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
    website = models.URLField(blank=True)
    abolished_on = models.DateField(null=True, blank=True, help_text="Date the council ceased to exist.")
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text="The council that took over when this one was abolished.",
    )
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
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(abolished_on__isnull=False),
                name="council_successor_needs_abolition_date",
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | ~Q(successor=models.F("pk")),
                name="council_not_own_successor",
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
