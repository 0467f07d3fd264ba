"""The six whole-council transformation models, their benefits and challenges, and the
report's recurrent themes and success factors."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from curation.fields import MultilineTextField


class SlugManager(models.Manager):
    """Manager for models whose natural key is their slug (used by the fixtures)."""

    def get_by_natural_key(self, slug: str) -> models.Model:
        return self.get(slug=slug)


def _related_model(model: type[models.Model], relation: str) -> type[models.Model]:
    """The model on the other side of a relation that another app declared (case studies link to
    transformation models): reached through the relation, so this module imports nothing above it."""
    return model._meta.get_field(relation).related_model


class TransformationModelQuerySet(models.QuerySet):
    def with_case_study_counts(self) -> TransformationModelQuerySet:
        """Annotate ``case_study_count``: published case studies using the model."""
        published = (
            _related_model(self.model, "case_study_links")
            .objects.filter(model=models.OuterRef("pk"), case_study__status="published")
            .order_by()
            .values("model")
            .annotate(n=models.Count("case_study", distinct=True))
            .values("n")
        )
        return self.annotate(
            case_study_count=models.functions.Coalesce(
                models.Subquery(published, output_field=models.IntegerField()), 0
            )
        )

    def for_comparison(self) -> TransformationModelQuerySet:
        """Annotate counts of benefits, challenges and case studies, and per-year savings.

        ``achieved_annual_saving`` and ``expected_annual_saving`` add up the largest per-year
        amount of each saving figure in the model's published case studies, savings only and one
        status each (never across kinds or statuses); a figure that is part of another (``part_of``)
        of the same status is left out, its whole holds it. A case study that illustrates two
        models counts towards both.
        """
        links = _related_model(self.model, "case_study_links")
        figures = _related_model(_related_model(links, "case_study"), "figures")

        def points(kind: str) -> models.Subquery:
            rows = (
                ModelPoint.objects.filter(model=models.OuterRef("pk"), kind=kind)
                .order_by()
                .values("model")
                .annotate(n=models.Count("pk"))
                .values("n")
            )
            return models.functions.Coalesce(models.Subquery(rows, output_field=models.IntegerField()), 0)

        def savings(status: str) -> models.Subquery:
            rows = (
                figures.objects.filter(
                    models.Exists(
                        links.objects.filter(
                            case_study=models.OuterRef("case_study"), model=models.OuterRef(models.OuterRef("pk"))
                        )
                    ),
                    case_study__status="published",
                    kind="saving",
                    status=status,
                )
                .exclude(part_of__status=status)  # its whole is already in this total: never twice
                .order_by()
                .values("kind")  # one group: every row is a saving
                .annotate(total=models.Sum("annualised_high"))
                .values("total")
            )
            return models.Subquery(rows, output_field=models.BigIntegerField())

        return self.with_case_study_counts().annotate(
            benefit_count=points("benefit"),
            challenge_count=points("challenge"),
            achieved_annual_saving=savings("achieved"),
            expected_annual_saving=savings("expected"),
        )

    def for_listing(self) -> TransformationModelQuerySet:
        """Counts, benefits and challenges, further reading: everything an API row renders."""
        sources = _related_model(self.model, "further_reading")
        return self.with_case_study_counts().prefetch_related(
            "points", models.Prefetch("further_reading", queryset=sources.objects.order_by("title"))
        )


class ThemeQuerySet(models.QuerySet):
    def for_listing(self) -> ThemeQuerySet:
        return self.prefetch_related(
            models.Prefetch("transformation_models", queryset=TransformationModel.objects.order_by("display_order"))
        )


class TransformationModelManager(SlugManager.from_queryset(TransformationModelQuerySet)):
    pass


class TransformationModel(models.Model):
    """A whole-council approach to transformation (commissioning, cooperative, …)."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100, unique=True)
    definition = MultilineTextField(help_text="The one-line definition from the report.")
    key_features = MultilineTextField(blank=True, help_text="The report's 'Key features' section.")
    display_order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(
        default=1,
        help_text="Goes up by one with each curator save; a stale admin form is refused (optimistic locking).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = TransformationModelManager()

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name = "transformation model"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("transform_models:detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class ModelPointManager(models.Manager):
    def get_by_natural_key(self, model_slug: str, kind: str, position: int) -> ModelPoint:
        return self.get(model__slug=model_slug, kind=kind, position=position)


class ModelPoint(models.Model):
    """One benefit or challenge of a transformation model, in the report's order."""

    class Kind(models.TextChoices):
        BENEFIT = "benefit", "Benefit"
        CHALLENGE = "challenge", "Challenge"

    model = models.ForeignKey(TransformationModel, on_delete=models.CASCADE, related_name="points")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(default=1)
    text = MultilineTextField()
    history = HistoricalRecords()

    objects = ModelPointManager()

    class Meta:
        ordering = ["model", "kind", "position"]
        verbose_name = "benefit or challenge"
        verbose_name_plural = "benefits and challenges"
        constraints = [
            models.UniqueConstraint(fields=["model", "kind", "position"], name="modelpoint_unique_position"),
            models.CheckConstraint(condition=models.Q(kind__in=["benefit", "challenge"]), name="modelpoint_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.model}: {self.get_kind_display().lower()} {self.position}"

    def natural_key(self) -> tuple[str, str, int]:
        return (self.model.slug, self.kind, self.position)

    natural_key.dependencies = ["transform_models.transformationmodel"]


class Theme(models.Model):
    """A recurrent theme or a success factor from the report's closing section."""

    class Kind(models.TextChoices):
        RECURRENT_THEME = "recurrent_theme", "Recurrent theme"
        SUCCESS_FACTOR = "success_factor", "Success factor"

    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = MultilineTextField(blank=True)
    position = models.PositiveSmallIntegerField(default=1)
    transformation_models = models.ManyToManyField(TransformationModel, blank=True, related_name="themes")
    history = HistoricalRecords(m2m_fields=[transformation_models])

    objects = SlugManager.from_queryset(ThemeQuerySet)()

    class Meta:
        ordering = ["kind", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["recurrent_theme", "success_factor"]), name="theme_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)
