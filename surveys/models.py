"""Surveys of councils (e.g. Localis's *Changing Places*) and their findings."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from curation.fields import MultilineTextField


class SurveyQuerySet(models.QuerySet):
    def for_listing(self) -> SurveyQuerySet:
        """Annotate ``finding_count`` and ``recommendation_count`` with subqueries."""

        def count(model: type[models.Model]) -> models.Expression:
            rows = (
                model.objects.filter(survey=models.OuterRef("pk"))
                .order_by()
                .values("survey")
                .annotate(n=models.Count("pk"))
                .values("n")
            )
            return models.functions.Coalesce(models.Subquery(rows, output_field=models.IntegerField()), 0)

        return self.select_related("source").annotate(
            finding_count=count(Finding), recommendation_count=count(Recommendation)
        )

    def for_detail(self) -> SurveyQuerySet:
        return self.for_listing().prefetch_related("findings", "recommendations")


class SurveyManager(models.Manager.from_queryset(SurveyQuerySet)):
    def get_by_natural_key(self, slug: str) -> Survey:
        return self.get(slug=slug)


class Survey(models.Model):
    """A survey of council leaders or officers, with who was asked and when."""

    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=150, unique=True)
    publisher = models.CharField(max_length=200)
    partner = models.CharField(max_length=200, blank=True, help_text="Sponsor or partner organisation.")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    respondents = models.CharField(max_length=300, blank=True, help_text="Who was asked.")
    summary = MultilineTextField(blank=True)
    source = models.ForeignKey(
        "casestudies.Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = SurveyManager()

    class Meta:
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1900, year__lte=2100), name="survey_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(sample_size__isnull=True) | Q(sample_size__gt=0), name="survey_sample_size_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class SurveyItemManager(models.Manager):
    def get_by_natural_key(self, survey_slug: str, position: int) -> models.Model:
        return self.get(survey__slug=survey_slug, position=position)


class FindingCategory(models.TextChoices):
    DRIVER = "driver", "Driver of innovation"
    BARRIER = "barrier", "Barrier to innovation"
    SUCCESS_FACTOR = "success_factor", "Success factor"
    TECHNOLOGY = "technology", "Technology"
    GOVERNMENT_INITIATIVE = "government_initiative", "Government initiative"
    MOST_INNOVATIVE_SERVICE = "most_innovative_service", "Most innovative service area"
    LEAST_INNOVATIVE_SERVICE = "least_innovative_service", "Least innovative service area"
    OTHER = "other", "Other finding"


class Finding(models.Model):
    """One finding of a survey, with its percentage when the source gives one."""

    Category = FindingCategory

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="findings")
    position = models.PositiveSmallIntegerField(default=1)
    category = models.CharField(max_length=30, choices=Category.choices, db_index=True)
    statement = MultilineTextField()
    percentage = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    quote = MultilineTextField(blank=True, help_text="The sentence the finding comes from.")
    history = HistoricalRecords()

    objects = SurveyItemManager()

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="finding_unique_position"),
            models.CheckConstraint(
                condition=Q(percentage__isnull=True) | Q(percentage__gte=0, percentage__lte=100),
                name="finding_percentage_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in FindingCategory]), name="finding_category_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.statement[:80]

    def natural_key(self) -> tuple[str, int]:
        return (*self.survey.natural_key(), self.position)

    natural_key.dependencies = ["surveys.survey"]


class Recommendation(models.Model):
    """A key recommendation of the survey's report."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="recommendations")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=250, blank=True)
    text = MultilineTextField()
    history = HistoricalRecords()

    objects = SurveyItemManager()

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="recommendation_unique_position"),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:80]

    def natural_key(self) -> tuple[str, int]:
        return (*self.survey.natural_key(), self.position)

    natural_key.dependencies = ["surveys.survey"]
