"""Case studies and everything that hangs off them: figures, outcomes, contacts,
sources and the programmes that funded proposals."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.two_factor import is_verified
from councils.models import Council, Partnership, successors_by_name
from curation.fields import MultilineTextField
from transform_models.models import TransformationModel

from . import derived, like_mine
from . import search as word_search
from .formatting import format_percent, format_pounds

YEAR_MIN = 1900
YEAR_MAX = 2100


class SlugManager(models.Manager):
    """Manager for models whose natural key is their slug (used by the fixtures)."""

    def get_by_natural_key(self, slug: str) -> models.Model:
        return self.get(slug=slug)


def _year_ok(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": YEAR_MIN, f"{field}__lte": YEAR_MAX})


def _published_count(through: type[models.Model], field: str, **extra: object) -> models.Expression:
    """Count of published case studies linked to the outer row, as a Subquery (never a join)."""
    rows = (
        through.objects.filter(**{field: OuterRef("pk")}, **extra)
        .order_by()
        .values(field)
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return models.functions.Coalesce(Subquery(rows, output_field=models.IntegerField()), 0)


class ServiceAreaQuerySet(models.QuerySet):
    def for_listing(self) -> ServiceAreaQuerySet:
        """Annotate ``case_study_count``: published case studies in this service area."""
        through = CaseStudy.service_areas.through
        return self.annotate(
            case_study_count=_published_count(through, "servicearea", casestudy__status=CaseStudy.Status.PUBLISHED)
        )


class ServiceArea(models.Model):
    """A council service area (adult social care, waste, libraries, …)."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = MultilineTextField(blank=True)
    history = HistoricalRecords()

    objects = SlugManager.from_queryset(ServiceAreaQuerySet)()

    class Meta:
        ordering = ["name"]
        # A renamed service area reaches its case studies' search documents (casestudies/derived.py).
        triggers = derived.renamed_triggers(
            "derived_area", "casestudies_casestudy_service_areas", "servicearea_id", "casestudy_id"
        )

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class SourceQuerySet(models.QuerySet):
    def public(self) -> SourceQuerySet:
        """Documents something public refers to: a published case study (its source or further
        reading), a transformation model, a survey or the context figures of the about page."""
        published = CaseStudy.Status.PUBLISHED
        return self.filter(
            Q(case_studies_sourced__status=published)
            | Q(case_studies__status=published)
            | Q(transformation_models__isnull=False)
            | Q(surveys__isnull=False)
            | Q(context_figures__isnull=False)
        ).distinct()


class SourceManager(SlugManager.from_queryset(SourceQuerySet)):
    pass


class Source(models.Model):
    """A document: a source of this library's data, further reading, or a footnoted reference."""

    class Kind(models.TextChoices):
        SOURCE_DOCUMENT = "source_document", "Source document"
        FURTHER_READING = "further_reading", "Further reading"
        REFERENCE = "reference", "Footnoted reference"

    slug = models.SlugField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FURTHER_READING)
    title = models.CharField(max_length=400)
    author = models.CharField(max_length=300, blank=True, help_text="Author or publisher as cited.")
    publisher = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    citation = MultilineTextField(blank=True, help_text="The reference exactly as printed in the document.")
    transformation_models = models.ManyToManyField(TransformationModel, blank=True, related_name="further_reading")
    history = HistoricalRecords(m2m_fields=[transformation_models])

    objects = SourceManager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=_year_ok("year"), name="source_year_plausible"),
            models.CheckConstraint(
                condition=Q(kind__in=["source_document", "further_reading", "reference"]), name="source_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class ContextFigureManager(models.Manager):
    def get_by_natural_key(self, source_slug: str, position: int) -> ContextFigure:
        return self.get(source__slug=source_slug, position=position)


class ContextFigure(models.Model):
    """A figure a document gives as the context of its subject, belonging to no case study (the
    report's "cuts in grant of more than 35 percent over the last Parliament"). Shown with its
    document, never added to any total of case-study figures."""

    class Measure(models.TextChoices):
        MONEY = "money", "Money (£)"
        PERCENT = "percent", "Percentage"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="context_figures")
    position = models.PositiveSmallIntegerField(default=1)
    label = models.CharField(max_length=250, help_text="Short description of our own, e.g. 'Cut in grant'.")
    measure = models.CharField(max_length=10, choices=Measure.choices, default=Measure.PERCENT)
    more_than = models.BooleanField(default=False, help_text="The text says 'more than' the value.")
    value = models.DecimalField(
        max_digits=16, decimal_places=2, help_text="Whole pounds (money) or percent, as the text gives it."
    )
    period = models.CharField(
        max_length=120, blank=True, help_text="The period as the text words it ('over the last Parliament')."
    )
    reference = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The footnoted reference the document gives for it.",
    )
    quote = MultilineTextField(help_text="The exact sentence the figure comes from.")
    history = HistoricalRecords()

    objects = ContextFigureManager()

    class Meta:
        ordering = ["source", "position"]
        constraints = [
            models.UniqueConstraint(fields=["source", "position"], name="contextfigure_unique_position"),
            models.CheckConstraint(condition=~Q(quote=""), name="contextfigure_quote_required"),
            models.CheckConstraint(condition=Q(value__gte=0), name="contextfigure_value_not_negative"),
            models.CheckConstraint(condition=Q(measure__in=["money", "percent"]), name="contextfigure_measure_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value_display}"

    def natural_key(self) -> tuple[str, int]:
        return (*self.source.natural_key(), self.position)

    natural_key.dependencies = ["casestudies.source"]

    @property
    def value_display(self) -> str:
        shown = format_percent(self.value) if self.measure == self.Measure.PERCENT else format_pounds(int(self.value))
        return f"more than {shown}" if self.more_than else shown


class ProgrammeQuerySet(models.QuerySet):
    def for_listing(self) -> ProgrammeQuerySet:
        """Annotate ``project_count``: the programme's published case studies."""
        return self.annotate(project_count=_published_count(CaseStudy, "programme", status=CaseStudy.Status.PUBLISHED))

    def for_detail(self) -> ProgrammeQuerySet:
        """Also prefetch the published projects with their councils."""
        projects = (
            CaseStudy.objects.published()
            .order_by("title")
            .prefetch_related(
                Prefetch(
                    "council_links",
                    queryset=CaseStudyCouncil.objects.select_related("council").order_by("role", "position"),
                )
            )
        )
        return self.for_listing().prefetch_related(Prefetch("projects", queryset=projects))


class Programme(models.Model):
    """A funding programme whose projects are recorded as proposal-stage case studies."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    description = MultilineTextField(blank=True)
    funders = MultilineTextField(blank=True, help_text="Who runs or funds the programme, as published.")
    fund_name = models.CharField(max_length=200, blank=True)
    fund_amount = models.BigIntegerField(null=True, blank=True, help_text="Whole pounds.")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    objects = SlugManager.from_queryset(ProgrammeQuerySet)()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fund_amount__isnull=True) | Q(fund_amount__gte=0), name="programme_fund_not_negative"
            ),
            models.CheckConstraint(condition=_year_ok("year"), name="programme_year_plausible"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("casestudies:programme", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


# What listings read of a case study's links: not the long texts and timestamps of every
# council and model row, which cost more to fetch and decode than the page itself.
COUNCIL_COLUMNS = ("slug", "name", "council_type", "region", "abolished_on")


class CaseStudyQuerySet(models.QuerySet):
    def published(self) -> CaseStudyQuerySet:
        return self.filter(status=CaseStudy.Status.PUBLISHED)

    def visible_to(self, user: Any) -> CaseStudyQuerySet:
        """Published case studies, and drafts too for curators (staff who may view case studies and
        signed in with their second factor), so that they can preview a draft at its public address."""
        if (
            user.is_authenticated
            and user.is_staff
            and is_verified(user)
            and user.has_perm("casestudies.view_casestudy")
        ):
            return self.all()
        return self.published()

    def with_links(
        self,
        *,
        models: Iterable[TransformationModel] = (),
        council_types: Iterable[str] = (),
        regions: Iterable[str] = (),
        service_areas: Iterable[ServiceArea] = (),
    ) -> CaseStudyQuerySet:
        """Case studies linked to any of each group given: OR within a group, AND across groups.

        PostgreSQL answers every group with one lookup in the link keys' GIN index
        (``casestudies.derived``); elsewhere each group is one ``EXISTS`` over its link table.
        """
        groups = {
            "model": [model.pk for model in models],
            "council_type": list(council_types),
            "region": list(regions),
            "service_area": [area.pk for area in service_areas],
        }
        groups = {kind: values for kind, values in groups.items() if values}
        if not groups:
            return self
        if derived.stored_on(self.db):
            return self.filter(pk__in=CaseStudyLinkKeys.objects.with_any_of_each(groups).values("case_study_id"))
        queryset = self
        for kind, values in groups.items():
            queryset = queryset.filter(Exists(links_to(kind, values)))
        return queryset

    def with_headline_saving(self) -> CaseStudyQuerySet:
        """The headline saving (the rule: :func:`headline_annual_saving`), computed when read.

        Annotated: ``headline_annual_saving``, the largest per-year achieved saving or, if there is
        none, the largest expected one, and ``headline_saving_status`` (``"achieved"``,
        ``"expected"`` or ``None``), saying which. The two amounts apart: :meth:`with_saving_amounts`.
        """
        return self.annotate(
            headline_annual_saving=headline_annual_saving(),
            headline_saving_status=headline_saving_status(),
        )

    def with_saving_amounts(self) -> CaseStudyQuerySet:
        """Alias (for sorting and filtering; not selected) ``achieved_annual_saving`` and
        ``expected_annual_saving``: the largest per-year amount of the case's own achieved /
        expected saving figures, in whole pounds (``None`` without one). Added only by the sorts
        that need them (``CaseStudyFilter``): resolving them is a cost on every list otherwise."""
        return self.alias(
            achieved_annual_saving=best_annual_saving(FigureStatus.ACHIEVED),
            expected_annual_saving=best_annual_saving(FigureStatus.EXPECTED),
        )

    def with_headline_saving_at_least(self, pounds: int) -> CaseStudyQuerySet:
        """Case studies whose headline annual saving is at least ``pounds``. The ``EXISTS`` (a probe
        of the figure index) narrows the rows before the headline itself is compared."""
        candidates = Figure.objects.headline_candidates().filter(case_study=OuterRef("pk"), annualised_high__gte=pounds)
        return self.alias(headline_at_least=headline_annual_saving()).filter(
            Exists(candidates), headline_at_least__gte=pounds
        )

    def for_listing(self) -> CaseStudyQuerySet:
        """Everything a result card or an API list row renders, in a fixed number of queries. Links
        come in their models' default order (``Meta.ordering``), as the API's SQL rows read them."""
        return (
            self.with_headline_saving()
            .select_related("partnership", "programme")
            .prefetch_related(
                Prefetch(
                    "council_links",
                    queryset=CaseStudyCouncil.objects.select_related("council").only(
                        "case_study",
                        "position",
                        "role",
                        *(f"council__{name}" for name in COUNCIL_COLUMNS),
                    ),
                ),
                Prefetch(
                    "model_links",
                    queryset=CaseStudyModel.objects.select_related("model").only(
                        "case_study",
                        "is_primary",
                        "classified_by",
                        "basis_quote",
                        "model__slug",
                        "model__name",
                        "model__display_order",
                    ),
                ),
                Prefetch("service_areas", queryset=ServiceArea.objects.only("slug", "name")),
            )
        )

    def for_detail(self) -> CaseStudyQuerySet:
        return (
            self.for_listing()
            .select_related("source")
            .prefetch_related(
                Prefetch(
                    "figures",
                    queryset=Figure.objects.select_related("part_of").prefetch_related(
                        Prefetch("applies_to", queryset=Council.objects.only(*COUNCIL_COLUMNS))
                    ),
                ),
                Prefetch("outcomes", queryset=Outcome.objects.select_related("council")),
                Prefetch(
                    "contacts",
                    queryset=public_contacts()
                    .select_related("council")
                    .prefetch_related(successors_by_name("council__")),
                ),
                "further_reading",
            )
        )

    def for_detail_page(self) -> CaseStudyQuerySet:
        """:meth:`for_detail`, and the successors of its abolished councils, which the web page names
        (the API's council rows do not)."""
        return self.for_detail().prefetch_related(successors_by_name("council_links__council__"))

    def for_comparison(self) -> CaseStudyQuerySet:
        """Everything the comparison page and a briefing show of each case, in a fixed number of
        queries however many cases: councils (whole rows, with their successors), models, service
        areas, figures and outcomes in their order, the source and further reading."""
        return self.select_related("source", "partnership", "programme").prefetch_related(
            Prefetch(
                "council_links",
                queryset=CaseStudyCouncil.objects.select_related("council")
                .prefetch_related(successors_by_name("council__"))
                .order_by("role", "position"),
            ),
            Prefetch("model_links", queryset=CaseStudyModel.objects.select_related("model")),
            "service_areas",
            Prefetch("figures", queryset=Figure.objects.prefetch_related("applies_to")),
            Prefetch("outcomes", queryset=Outcome.objects.select_related("council")),
            "further_reading",
        )

    def with_feed_dates(self) -> CaseStudyQuerySet:
        """Annotate ``first_published`` (the first recorded change that left the case published; its
        creation when history has none, as for cases loaded from fixtures) and ``last_changed``: the
        latest substantial change, from the history of the case study row and of its figures,
        outcomes, council and model links (a contact's details are not news). Subqueries, one
        row each: no join multiplies the cases."""

        def latest(history: models.Manager, column: str) -> Subquery:
            rows = history.filter(**{column: OuterRef("pk")}).order_by("-history_date").values("history_date")[:1]
            return Subquery(rows, output_field=models.DateTimeField())

        published = (
            CaseStudy.history.filter(id=OuterRef("pk"), status=CaseStudy.Status.PUBLISHED)
            .order_by("history_date")
            .values("history_date")[:1]
        )
        parts = [
            latest(CaseStudy.history, "id"),
            *(latest(part.history, "case_study_id") for part in (Figure, Outcome, CaseStudyCouncil, CaseStudyModel)),
        ]
        return self.annotate(
            first_published=models.functions.Coalesce(
                Subquery(published, output_field=models.DateTimeField()), F("created_at")
            )
        ).annotate(
            # Greatest is NULL on SQLite when any part is: each part falls back to first_published.
            last_changed=models.functions.Greatest(
                F("first_published"), *(models.functions.Coalesce(part, F("first_published")) for part in parts)
            )
        )

    def in_order(self, slugs: list[str]) -> list[CaseStudy]:
        """The case studies with these slugs, in the order given (missing ones left out). One query
        (and this queryset's prefetches)."""
        found = {case.slug: case for case in self.filter(slug__in=slugs)}
        return [found[slug] for slug in slugs if slug in found]

    def with_figures(self, present: bool = True) -> CaseStudyQuerySet:
        has = Exists(Figure.objects.filter(case_study=OuterRef("pk")))
        return self.filter(has if present else ~has)

    def search(self, text: str) -> CaseStudyQuerySet:
        """Case studies in which every word of ``text`` appears (``casestudies.search``: stemmed,
        case- and accent-insensitive, stop words ignored) in any of the title, summary, body, council
        names, model names, service area names and public contact names.

        PostgreSQL: the stored, GIN-indexed search document (``casestudies.derived``), each match
        annotated ``search_rank``. Elsewhere: the same test at query time, word by word, through the
        stemming SQL function of ``casestudies.search``.
        """
        words = word_search.query_words(text)
        if not words:
            return self
        if derived.stored_on(self.db):
            query = SearchQuery(" ".join(words), search_type="plain", config=derived.SEARCH_CONFIG)
            return self.filter(search_document__vector=query).annotate(
                search_rank=SearchRank(F("search_document__vector"), query)
            )
        queryset = self
        areas = CaseStudy.service_areas.through.objects
        for word in words:
            own = Concat("title", Value(" "), "summary", Value(" "), "body", output_field=models.TextField())
            councils = CaseStudyCouncil.objects.filter(
                word_search.has_stem("council__name", word), case_study=OuterRef("pk")
            )
            model_links = CaseStudyModel.objects.filter(
                word_search.has_stem("model__name", word), case_study=OuterRef("pk")
            )
            area_links = areas.filter(word_search.has_stem("servicearea__name", word), casestudy=OuterRef("pk"))
            contacts = Contact.objects.filter(
                word_search.has_stem("name", word), case_study=OuterRef("pk"), is_public=True
            )
            queryset = queryset.filter(
                Q(word_search.has_stem(own, word))
                | Exists(councils)
                | Exists(model_links)
                | Exists(area_links)
                | Exists(contacts)
            )
        return queryset

    def for_cards(self) -> CaseStudyQuerySet:
        """What a web result card shows: :meth:`for_listing` plus its headline saving figure,
        ``headline_figures[0]`` (the same rule and order as ``headline_annual_saving``; empty
        without one)."""
        headline = Prefetch("figures", queryset=Figure.objects.headline_candidates(), to_attr="headline_figures")
        return self.for_listing().prefetch_related(headline)

    def like(self, council: Council, limit: int = like_mine.RESULTS) -> list[like_mine.RankedCaseStudy]:
        """'Councils like mine': the published case studies of the councils most like ``council``
        (councils/similarity.py), each with that council and why, the most alike first. Not its
        own case studies (its page lists those); a council without any still gets its neighbours'.
        A fixed number of queries: the councils with case studies, the lineage, the cards."""
        links = CaseStudyCouncil.objects.filter(case_study=OuterRef("pk"))
        published = self.published()
        with_cases = Council.objects.filter(
            Exists(CaseStudyCouncil.objects.filter(council=OuterRef("pk"), case_study__in=published.values("pk")))
        )
        similar = with_cases.similar_to(council)
        cases = (
            published.for_cards()
            .filter(Exists(links.filter(council__in=[s.council.pk for s in similar])))
            .exclude(Exists(links.filter(council=council)))
        )
        return like_mine.rank(cases, similar, limit)

    def related_to(self, case_study: CaseStudy, limit: int = 4) -> CaseStudyQuerySet:
        """Other case studies sharing a model or a council type with ``case_study``, closest first:
        both in common, then the same model, then a similar council; by title within each.

        Reads the models and councils from ``case_study``'s prefetched links. One query per tier,
        stopping as soon as ``limit`` are found: each is an index walk in title order that ends
        after a few rows in a large library, where ranking every case study by closeness in one
        query would score them all (figures in docs/performance.md). ``same_model`` tells the
        page whether a result shares a model or only a council type.
        """
        model_ids = [link.model_id for link in case_study.model_links.all()]
        council_types = {link.council.council_type for link in case_study.council_links.all()}
        same_model = Exists(CaseStudyModel.objects.filter(case_study=OuterRef("pk"), model_id__in=model_ids))
        similar_council = Exists(
            CaseStudyCouncil.objects.filter(case_study=OuterRef("pk"), council__council_type__in=council_types)
        )
        others = self.exclude(pk=case_study.pk).order_by("title", "pk")
        tiers = [others.filter(same_model, similar_council), others.filter(same_model).exclude(similar_council)]
        tiers.append(others.filter(similar_council).exclude(same_model))
        found: list[int] = []
        sharing_a_model: list[int] = []
        for number, tier in enumerate(tiers):
            if len(found) >= limit:
                break
            ids = list(tier.values_list("pk", flat=True)[: limit - len(found)])
            found += ids
            if number < 2:  # the first two tiers share a model
                sharing_a_model += ids
        if not found:
            return self.none()
        closest_first = Case(*(When(pk=pk, then=Value(rank)) for rank, pk in enumerate(found)))
        shares_a_model = Case(
            When(pk__in=sharing_a_model, then=Value(True)), default=Value(False), output_field=models.BooleanField()
        )
        return self.filter(pk__in=found).annotate(same_model=shares_a_model).order_by(closest_first)

    def headline_numbers(self) -> dict[str, int]:
        """Counts for the home page: case studies, councils, and money figures by status."""
        figures = Figure.objects.filter(case_study__in=self.values("pk"))
        counts = figures.aggregate(
            achieved=models.Count("pk", filter=Q(status=Figure.Status.ACHIEVED)),
            expected=models.Count("pk", filter=Q(status=Figure.Status.EXPECTED)),
        )
        cases = self.aggregate(
            case_studies=models.Count("pk", distinct=True),
            councils=models.Count("council_links__council", distinct=True),
        )
        return {**cases, **counts}


# Addresses under /case-studies/ that are pages, not case studies (casestudies/urls.py).
RESERVED_SLUGS = ("compare", "feed")


class CaseStudyManager(models.Manager.from_queryset(CaseStudyQuerySet)):
    def get_by_natural_key(self, slug: str) -> CaseStudy:
        return self.get(slug=slug)


class CaseStudy(models.Model):
    """How one council (or a group of councils) changed the way it delivers services."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class Stage(models.TextChoices):
        IMPLEMENTED = "implemented", "Implemented"
        PROPOSAL = "proposal", "Proposal"

    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=150, unique=True)
    summary = MultilineTextField(help_text="Two or three sentences for result cards.")
    body = MultilineTextField(blank=True)
    councils = models.ManyToManyField(Council, through="CaseStudyCouncil", related_name="case_studies")
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.SET_NULL, related_name="case_studies"
    )
    transformation_models = models.ManyToManyField(
        TransformationModel, through="CaseStudyModel", related_name="case_studies"
    )
    service_areas = models.ManyToManyField(ServiceArea, blank=True, related_name="case_studies")
    start_year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    is_ongoing = models.BooleanField(
        default=False, help_text="Still running when the source was written, e.g. '(2010-Present)'."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.IMPLEMENTED, db_index=True)
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects")
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="case_studies_sourced"
    )
    source_section = models.CharField(max_length=200, blank=True, help_text="e.g. '2.4.1 Barnet'.")
    further_reading = models.ManyToManyField(Source, blank=True, related_name="case_studies")
    not_classified_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="If it has no transformation model: why (e.g. the source does not classify it).",
    )
    version = models.PositiveIntegerField(
        default=1,
        help_text="Goes up by one with each curator save; a stale admin form is refused (optimistic locking).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[service_areas, further_reading])

    objects = CaseStudyManager()

    class Meta:
        ordering = ["title"]
        verbose_name = "case study"
        verbose_name_plural = "case studies"
        constraints = [
            models.CheckConstraint(condition=_year_ok("start_year"), name="casestudy_start_year_plausible"),
            models.CheckConstraint(condition=_year_ok("end_year"), name="casestudy_end_year_plausible"),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(start_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="casestudy_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=~Q(is_ongoing=True, end_year__isnull=False), name="casestudy_ongoing_has_no_end"
            ),
            models.CheckConstraint(condition=Q(status__in=["draft", "published"]), name="casestudy_status_valid"),
            models.CheckConstraint(condition=Q(stage__in=["implemented", "proposal"]), name="casestudy_stage_valid"),
            # /case-studies/compare/ and /case-studies/feed/ are pages of their own.
            models.CheckConstraint(condition=~Q(slug__in=RESERVED_SLUGS), name="casestudy_slug_not_reserved"),
        ]
        indexes = [
            # The default list order (title, pk) of published case studies: the first page is an index walk.
            models.Index(fields=["title", "id"], condition=Q(status="published"), name="casestudy_published_title_idx"),
            # Counting what the link keys or a search found: each id is looked up in this small index.
            models.Index(fields=["id"], condition=Q(status="published"), name="casestudy_published_id_idx"),
        ]
        triggers = derived.case_study_triggers()

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("casestudies:detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is the address of another page: choose another slug."})
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "The end year is before the start year."})
        if self.is_ongoing and self.end_year:
            raise ValidationError({"end_year": "An ongoing case study has no end year: clear one of them."})

    @property
    def years_display(self) -> str:
        if self.start_year is None:
            return ""
        if self.is_ongoing:
            return f"{self.start_year} onwards"
        if self.end_year and self.end_year != self.start_year:
            return f"{self.start_year}–{self.end_year}"
        return str(self.start_year)


class CaseStudyCouncilManager(models.Manager):
    def get_by_natural_key(self, case_slug: str, council_slug: str) -> CaseStudyCouncil:
        return self.get(case_study__slug=case_slug, council__slug=council_slug)


class CaseStudyCouncil(models.Model):
    """A council taking part in a case study, and its role."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead council"
        PARTNER = "partner", "Partner council"

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="council_links")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="case_study_links")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.LEAD)
    position = models.PositiveSmallIntegerField(default=1)
    history = HistoricalRecords()

    objects = CaseStudyCouncilManager()

    class Meta:
        ordering = ["case_study", "role", "position"]
        verbose_name = "council in case study"
        verbose_name_plural = "councils in case study"
        constraints = [
            models.UniqueConstraint(fields=["case_study", "council"], name="casestudycouncil_unique"),
            models.CheckConstraint(condition=Q(role__in=["lead", "partner"]), name="casestudycouncil_role_valid"),
        ]
        indexes = [models.Index(fields=["council", "case_study"], name="cscouncil_council_case_idx")]
        triggers = derived.rederive_triggers("derived_councils")

    def __str__(self) -> str:
        return f"{self.council} ({self.get_role_display().lower()})"

    def natural_key(self) -> tuple[str, str]:
        return (*self.case_study.natural_key(), *self.council.natural_key())

    natural_key.dependencies = ["casestudies.casestudy", "councils.council"]


class CaseStudyModelManager(models.Manager):
    def get_by_natural_key(self, case_slug: str, model_slug: str) -> CaseStudyModel:
        return self.get(case_study__slug=case_slug, model__slug=model_slug)


class CaseStudyModel(models.Model):
    """A transformation model a case study illustrates; at most one is primary. Either the source
    document places it there, or the library's editors did, on the strength of a sentence of the
    source text (``basis_quote``, verbatim): an editorial classification, always shown as one."""

    class ClassifiedBy(models.TextChoices):
        SOURCE = "source", "The source document"
        LIBRARY = "library", "The library's editors"

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="model_links")
    model = models.ForeignKey(TransformationModel, on_delete=models.PROTECT, related_name="case_study_links")
    is_primary = models.BooleanField(default=False)
    classified_by = models.CharField(
        max_length=10,
        choices=ClassifiedBy.choices,
        default=ClassifiedBy.SOURCE,
        help_text="Who placed the case study in this model: its source document, or the library's editors.",
    )
    basis_quote = MultilineTextField(
        blank=True,
        help_text="For the editors' classification: the sentence of the source text it rests on, verbatim.",
    )
    history = HistoricalRecords()

    objects = CaseStudyModelManager()

    class Meta:
        ordering = ["case_study", "-is_primary", "model__display_order", "model__name"]
        verbose_name = "transformation model of case study"
        verbose_name_plural = "transformation models of case study"
        constraints = [
            models.UniqueConstraint(fields=["case_study", "model"], name="casestudymodel_unique"),
            models.UniqueConstraint(
                fields=["case_study"], condition=Q(is_primary=True), name="casestudymodel_one_primary"
            ),
            models.CheckConstraint(
                condition=Q(classified_by__in=["source", "library"]), name="casestudymodel_classified_by_valid"
            ),
            models.CheckConstraint(
                condition=~Q(classified_by="library", basis_quote=""),
                name="casestudymodel_library_classification_has_basis",
            ),
        ]
        indexes = [models.Index(fields=["model", "case_study"], name="csmodel_model_case_idx")]
        triggers = derived.rederive_triggers("derived_models")

    def __str__(self) -> str:
        editorial = " (classified by the library)" if self.is_editorial else ""
        return f"{self.model}{' (primary)' if self.is_primary else ''}{editorial}"

    @property
    def is_editorial(self) -> bool:
        """Classified by the library's editors, not by the source document."""
        return self.classified_by == self.ClassifiedBy.LIBRARY

    def natural_key(self) -> tuple[str, str]:
        return (*self.case_study.natural_key(), *self.model.natural_key())

    natural_key.dependencies = ["casestudies.casestudy", "transform_models.transformationmodel"]


class PositionedManager(models.Manager):
    """Natural key (case study slug, position) for rows listed in order under a case study."""

    def get_by_natural_key(self, case_slug: str, position: int) -> models.Model:
        return self.get(case_study__slug=case_slug, position=position)


class FigureQuerySet(models.QuerySet):
    def published(self) -> FigureQuerySet:
        return self.filter(case_study__status=CaseStudy.Status.PUBLISHED)

    def for_listing(self) -> FigureQuerySet:
        return self.select_related("case_study", "part_of").prefetch_related(
            Prefetch("applies_to", queryset=Council.objects.only("slug"))
        )

    def of_the_whole_case(self) -> FigureQuerySet:
        """Figures of the case study's own councils: ``applies_to`` blank, or naming every one of them
        (not a figure of only some of them, of a predecessor or of another body)."""
        through = Figure.applies_to.through
        named = through.objects.filter(figure=OuterRef(OuterRef("pk")), council=OuterRef("council"))
        left_out = CaseStudyCouncil.objects.filter(case_study=OuterRef("case_study")).filter(~Exists(named))
        return self.filter(~Exists(through.objects.filter(figure=OuterRef("pk"))) | ~Exists(left_out))

    def headline_candidates(self) -> FigureQuerySet:
        """The figures a case study's headline saving is chosen from, best first: its own councils'
        saving figures with a per-year value (so never one-off or first-year only), achieved before
        expected, then the largest per-year amount. The one definition of the headline rule."""
        return (
            self.filter(
                kind=FigureKind.SAVING,
                annualised_high__isnull=False,
                status__in=[FigureStatus.ACHIEVED, FigureStatus.EXPECTED],
            )
            .of_the_whole_case()
            .order_by(
                Case(When(status=FigureStatus.ACHIEVED, then=Value(0)), default=Value(1)),
                F("annualised_high").desc(),
                "position",
            )
        )

    def counted(self) -> FigureQuerySet:
        """Alias ``in_counted_whole``: the figure is part of another figure that is in this same
        queryset (so a total of these figures already holds it)."""
        wholes = self.order_by().filter(pk=OuterRef("part_of_id"))
        # A CASE, so that the subquery runs only for the few figures that are part of another: a
        # summary tests this alias five times per figure, over every figure of the library.
        in_counted_whole = Case(
            When(part_of__isnull=True, then=Value(False)), default=Exists(wholes), output_field=models.BooleanField()
        )
        return self.alias(in_counted_whole=in_counted_whole)

    def for_model_chart(self, model: TransformationModel) -> FigureQuerySet:
        """Money figures with a per-year amount, from published case studies using ``model``."""
        return (
            self.published()
            .filter(
                Exists(CaseStudyModel.objects.filter(case_study=OuterRef("case_study"), model=model)),
                annualised_high__isnull=False,
            )
            .select_related("case_study")
            .order_by(F("annualised_high").desc(), "case_study__title", "position")
        )

    def summary_totals(self) -> list[dict[str, object]]:
        """Counts and sums per kind and status over these figures (each figure once)."""
        rows = self.counted().order_by().values("kind", "status").annotate(**_summary_aggregates())
        return sorted(rows, key=kind_status_order)

    def summary(self, group_by: str) -> list[dict[str, object]]:
        """Counts and sums per group, kind and status, in one query; rows ``{"key", "kind",
        "status", …}``.

        ``kind`` and ``start_year`` belong to exactly one group per figure. ``model``,
        ``council_type`` and ``region`` come from the case study's links, so a figure on a
        case with two models is counted once in *each* of the two model groups (never twice
        in one group, whatever the number of councils of one type): each group is an
        ``Exists`` over the links, never a join that would multiply rows.
        """
        aggregates = _summary_aggregates()
        counted = self.counted()
        if group_by in ("kind", "start_year"):
            field = "kind" if group_by == "kind" else "case_study__start_year"
            rows = counted.order_by().values(field, "kind", "status").annotate(**aggregates)
            if field == "kind":
                return [{"key": row["kind"], **row} for row in rows]
            return [{"key": row.pop(field), **row} for row in rows]
        keys, link_filter = _summary_link_groups(group_by)
        if not keys:
            return []
        parts = [
            counted.filter(link_filter(key))
            .order_by()
            .annotate(group_key=Value(key, output_field=models.CharField()))
            .values("group_key", "kind", "status")
            .annotate(**aggregates)
            .values("group_key", "kind", "status", *aggregates)
            for key in keys
        ]
        rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        return [{"key": row.pop("group_key"), **row} for row in rows]


SUMMARY_GROUPS = ("model", "council_type", "region", "start_year", "kind")
# What the sums of /api/v1/figures/summary/ are, said in its response (docs/api.md).
SUMMARY_BASIS = (
    "Sums of per-year values (annualised_low, annualised_high; whole pounds a year) per figure kind and "
    "status, never across kinds or statuses. A figure recorded as part of another figure that is also "
    "counted (part_of) is left out of the sums; so are figures without a per-year value (percentages, "
    "one-off and first-year amounts, periods not stated), which are counted but not summed."
)


def _summary_aggregates() -> dict[str, models.Aggregate]:
    summed = Q(annualised_high__isnull=False, in_counted_whole=False)
    return {
        "figure_count": models.Count("pk"),
        "summed_count": models.Count("pk", filter=summed),
        "sum_annualised_low": models.functions.Coalesce(models.Sum("annualised_low", filter=summed), 0),
        "sum_annualised_high": models.functions.Coalesce(models.Sum("annualised_high", filter=summed), 0),
        "part_of_counted_figure": models.Count("pk", filter=Q(in_counted_whole=True)),
        "no_per_year_value": models.Count("pk", filter=Q(annualised_high__isnull=True, in_counted_whole=False)),
    }


def _summary_link_groups(group_by: str) -> tuple[list[str], object]:
    """The group keys of a link-based grouping and a function key -> Exists(case has that key)."""
    if group_by == "model":
        keys = list(TransformationModel.objects.order_by("display_order", "name").values_list("slug", flat=True))
        return keys, lambda key: Exists(
            CaseStudyModel.objects.filter(case_study=OuterRef("case_study"), model__slug=key)
        )
    if group_by in ("council_type", "region"):
        choices = Council.Type.choices if group_by == "council_type" else Council.Region.choices
        return [value for value, _label in choices], lambda key: Exists(
            CaseStudyCouncil.objects.filter(case_study=OuterRef("case_study"), **{f"council__{group_by}": key})
        )
    raise ValueError(f"Unknown group: {group_by!r}; choose from {', '.join(SUMMARY_GROUPS)}.")


def kind_status_order(row: dict[str, object]) -> tuple[int, int]:
    kinds = [kind.value for kind in FigureKind]
    statuses = [status.value for status in FigureStatus]
    status = row["status"]
    return kinds.index(row["kind"]), statuses.index(status) if status in statuses else len(statuses)


class FigureManager(PositionedManager.from_queryset(FigureQuerySet)):
    pass


class FigureKind(models.TextChoices):
    """What a figure is. The council's own money (saving, income, investment, loan) is kept apart
    from money it attracted from others (external investment, funds levered)."""

    SAVING = "saving", "Saving"
    INCOME = "income", "Income"
    INVESTMENT = "investment", "Investment (the council's own money)"
    EXTERNAL_INVESTMENT = "external_investment", "Investment by others (attracted, not the council's money)"
    LOAN = "loan", "Loan"
    FUNDS_LEVERED = "funds_levered", "Funds levered (from others)"
    BUDGET_REDUCTION = "budget_reduction", "Budget reduction"
    EFFICIENCY = "efficiency", "Efficiency gain"
    COST = "cost", "Cost"


# Kinds whose figures are reported as achieved, expected or a target. The others (what something
# costs, a cut the council faced, other bodies' money) are facts with no status: blank.
STATUS_KINDS = (
    FigureKind.SAVING,
    FigureKind.INCOME,
    FigureKind.INVESTMENT,
    FigureKind.LOAN,
    FigureKind.FUNDS_LEVERED,
    FigureKind.EFFICIENCY,
)


class FigureStatus(models.TextChoices):
    """How the document reports a figure: done, only expected, or a target set."""

    ACHIEVED = "achieved", "Achieved"
    EXPECTED = "expected", "Expected"
    TARGET = "target", "Target"


class FigureRecurrence(models.TextChoices):
    """Whether the amount recurs: only a recurring (or unstated) amount has a per-year value."""

    RECURRING = "recurring", "Recurring (every year)"
    FIRST_YEAR = "first_year", "First year only"
    ONE_OFF = "one_off", "One-off"
    NOT_STATED = "", "Not stated"


class FigureEvidence(models.TextChoices):
    """Where the figure comes from, as the document tells it."""

    COUNCIL_STATEMENT = "council_statement", "The council's own statement, reported in the document"
    AUDITED_ACCOUNTS = "audited_accounts", "Audited accounts"
    INDEPENDENT_EVALUATION = "independent_evaluation", "Independent evaluation"
    SURVEY = "survey", "Survey"
    NOT_STATED = "", "Not stated"


# A per-year value exists only for money, over a period that can be spread over years, and never
# for an amount that does not recur (one-off, first year only). The one definition, in SQL.
def _annualised(bound: str) -> Case:
    recurs = ~Q(recurrence__in=[FigureRecurrence.ONE_OFF, FigureRecurrence.FIRST_YEAR])
    return Case(
        When(Q(measure="money", period="per_year") & recurs, then=F(bound)),
        When(Q(measure="money", period="total", period_years__gt=0) & recurs, then=F(bound) / F("period_years")),
        When(
            Q(measure="money", period="cumulative", period_end_year__gt=F("period_start_year")) & recurs,
            then=F(bound) / (F("period_end_year") - F("period_start_year")),
        ),
        default=Value(None),
    )


class FigurePeriod(models.TextChoices):
    ONE_OFF = "one_off", "One-off"
    PER_YEAR = "per_year", "Per year"
    TOTAL = "total", "Total over a number of years"
    CUMULATIVE = "cumulative", "Cumulative between two years"
    UNSPECIFIED = "unspecified", "Not stated"


class Figure(models.Model):
    """A financial figure quoted in a source, normalised, with the sentence it came from."""

    Kind = FigureKind

    class Measure(models.TextChoices):
        MONEY = "money", "Money (£)"
        PERCENT = "percent", "Percentage"

    Period = FigurePeriod
    Status = FigureStatus
    Recurrence = FigureRecurrence
    Evidence = FigureEvidence

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="figures")
    applies_to = models.ManyToManyField(
        Council,
        blank=True,
        related_name="figures",
        help_text="The councils this figure belongs to, when not all of the case study's (some of a "
        "partnership's councils, or a predecessor arrangement). Blank: the case study's councils.",
    )
    position = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    label = models.CharField(max_length=250, blank=True, help_text="Short description, e.g. 'Back-office savings'.")
    measure = models.CharField(max_length=10, choices=Measure.choices, default=Measure.MONEY)
    amount_low = models.BigIntegerField(null=True, blank=True, help_text="Whole pounds. Blank for 'up to'.")
    amount_high = models.BigIntegerField(null=True, blank=True, help_text="Whole pounds.")
    percent_low = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    percent_high = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    period = models.CharField(max_length=20, choices=Period.choices, default=Period.UNSPECIFIED)
    period_years = models.PositiveSmallIntegerField(null=True, blank=True, help_text="For 'total over N years': N.")
    period_start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    period_end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    recurrence = models.CharField(
        max_length=12,
        choices=Recurrence.choices,
        blank=True,
        help_text="Recurring, first year only or one-off, as the text says; blank if it does not. "
        "A first-year or one-off amount never gets a per-year value.",
    )
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parts",
        help_text="The figure of the same case study that contains this one (e.g. property income, "
        "part of total income). Totals never count a part and its whole both.",
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        blank=True,
        db_index=True,
        help_text="Savings, income, investments, loans, funds levered and efficiency gains: achieved, "
        "expected or a target. Costs, budget reductions and others' investment: blank.",
    )
    evidence = models.CharField(
        max_length=30,
        choices=Evidence.choices,
        blank=True,
        help_text="Where the figure comes from, as the document says; blank if it does not.",
    )
    quote = MultilineTextField(help_text="The exact sentence the figure comes from.")
    annualised_low = models.GeneratedField(
        expression=_annualised("amount_low"), output_field=models.BigIntegerField(null=True), db_persist=True
    )
    annualised_high = models.GeneratedField(
        expression=_annualised("amount_high"), output_field=models.BigIntegerField(null=True), db_persist=True
    )
    history = HistoricalRecords(excluded_fields=["annualised_low", "annualised_high"])

    # The columns of a figure's low and high values, by its measure: the one definition that the
    # low and high properties and the API's figure fields (casestudies/serializers.py) read.
    VALUE_COLUMNS = {
        Measure.MONEY: ("amount_low", "amount_high"),
        Measure.PERCENT: ("percent_low", "percent_high"),
    }

    objects = FigureManager()

    class Meta:
        ordering = ["case_study", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case_study", "position"], name="figure_unique_position"),
            models.CheckConstraint(
                condition=Q(amount_high__isnull=False) | Q(percent_high__isnull=False),
                name="figure_has_amount_or_percent",
            ),
            models.CheckConstraint(
                condition=(
                    Q(measure="money", percent_low__isnull=True, percent_high__isnull=True)
                    | Q(measure="percent", amount_low__isnull=True, amount_high__isnull=True)
                ),
                name="figure_measure_matches_values",
            ),
            models.CheckConstraint(
                condition=Q(amount_low__isnull=True) | Q(amount_low__gte=0), name="figure_amount_low_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount_high__isnull=True) | Q(amount_high__gte=0), name="figure_amount_high_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount_low__isnull=True)
                | Q(amount_high__isnull=True)
                | Q(amount_low__lte=F("amount_high")),
                name="figure_amount_low_le_high",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(percent_low__isnull=True) | Q(percent_low__gte=0, percent_low__lte=100))
                    & (Q(percent_high__isnull=True) | Q(percent_high__gte=0, percent_high__lte=100))
                ),
                name="figure_percent_0_to_100",
            ),
            models.CheckConstraint(
                condition=(
                    Q(percent_low__isnull=True) | Q(percent_high__isnull=True) | Q(percent_low__lte=F("percent_high"))
                ),
                name="figure_percent_low_le_high",
            ),
            models.CheckConstraint(
                condition=~Q(period="total") | Q(period_years__isnull=False, period_years__gte=1),
                name="figure_total_needs_years",
            ),
            models.CheckConstraint(
                condition=~Q(period="cumulative")
                | Q(
                    period_start_year__isnull=False,
                    period_end_year__isnull=False,
                    period_end_year__gt=F("period_start_year"),
                ),
                name="figure_cumulative_needs_year_span",
            ),
            models.CheckConstraint(
                condition=(
                    Q(period_start_year__isnull=True)
                    | Q(period_end_year__isnull=True)
                    | Q(period_end_year__gte=F("period_start_year"))
                ),
                name="figure_period_end_not_before_start",
            ),
            models.CheckConstraint(condition=~Q(quote=""), name="figure_quote_required"),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in FigureKind]), name="figure_kind_valid"),
            models.CheckConstraint(condition=Q(period__in=[p.value for p in FigurePeriod]), name="figure_period_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=STATUS_KINDS, status__in=[s.value for s in FigureStatus])
                | (~Q(kind__in=STATUS_KINDS) & Q(status="")),
                name="figure_status_fits_kind",
            ),
            models.CheckConstraint(
                condition=Q(recurrence__in=[r.value for r in FigureRecurrence]), name="figure_recurrence_valid"
            ),
            models.CheckConstraint(
                condition=~Q(period="one_off", recurrence__in=["recurring", "first_year"]),
                name="figure_one_off_does_not_recur",
            ),
            models.CheckConstraint(
                condition=Q(evidence__in=[e.value for e in FigureEvidence]), name="figure_evidence_valid"
            ),
            models.CheckConstraint(condition=~Q(part_of=F("pk")), name="figure_not_part_of_itself"),
        ]
        indexes = [
            models.Index(fields=["kind", "annualised_high"], name="figure_kind_annual_idx"),
            # The headline saving of each case study (CaseStudyQuerySet.with_headline_saving).
            models.Index(
                fields=["case_study", "kind", "status", "annualised_high"], name="figure_case_kind_annual_idx"
            ),
            # The figure_kind / figure_status filters' EXISTS.
            models.Index(fields=["kind", "status", "case_study"], name="figure_kind_status_case_idx"),
        ]

    def __str__(self) -> str:
        status = f" ({self.get_status_display().lower()})" if self.status else ""
        return f"{self.get_kind_display()}: {self.amount_display}{status}"

    def natural_key(self) -> tuple[str, int]:
        return (*self.case_study.natural_key(), self.position)

    natural_key.dependencies = ["casestudies.casestudy", "councils.council"]

    @property
    def has_status(self) -> bool:
        """Whether a figure of this kind is reported as achieved, expected or a target."""
        return self.kind in STATUS_KINDS

    def clean(self) -> None:
        """Explain what is wrong on the field itself; the database constraints are the backstop."""
        errors: dict[str, str] = {}
        if self.kind and self.has_status and not self.status:
            errors["status"] = (
                f"A {self.get_kind_display().lower()} is reported as achieved, expected or a target: choose one."
            )
        if self.kind and not self.has_status and self.status:
            errors["status"] = (
                f"A figure of the kind '{self.get_kind_display()}' has no status (it is not something the "
                "council achieved or expects): leave it blank."
            )
        if self.period == self.Period.ONE_OFF and self.recurrence in (
            self.Recurrence.RECURRING,
            self.Recurrence.FIRST_YEAR,
        ):
            errors["recurrence"] = "A one-off figure does not recur: choose 'One-off' or leave it blank."
        if self.part_of_id is not None:
            if self.pk is not None and self.part_of_id == self.pk:
                errors["part_of"] = "A figure cannot be part of itself."
            elif self.part_of.case_study_id != self.case_study_id:
                errors["part_of"] = "Choose a figure of the same case study."
        if self.measure == self.Measure.MONEY:
            if self.amount_high is None:
                errors["amount_high"] = (
                    "Enter the amount in whole pounds (for a single figure, low and high are equal)."
                )
            if self.percent_low is not None or self.percent_high is not None:
                errors["percent_high"] = "This figure is measured in money: leave the percentages blank."
        else:
            if self.percent_high is None:
                errors["percent_high"] = "Enter the percentage (for a single figure, low and high are equal)."
            if self.amount_low is not None or self.amount_high is not None:
                errors["amount_high"] = "This figure is a percentage: leave the amounts blank."
        for field in ("amount_low", "amount_high"):
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = "Money cannot be negative: record a cost or loss with the kind 'cost'."
        for field in ("percent_low", "percent_high"):
            value = getattr(self, field)
            if value is not None and not 0 <= value <= 100:
                errors[field] = "A percentage must be between 0 and 100."
        if self.amount_low is not None and self.amount_high is not None and self.amount_low > self.amount_high:
            errors["amount_low"] = "The low amount is above the high amount: swap them."
        if self.percent_low is not None and self.percent_high is not None and self.percent_low > self.percent_high:
            errors["percent_low"] = "The low percentage is above the high percentage: swap them."
        if self.period == self.Period.TOTAL and not self.period_years:
            errors["period_years"] = "A total over a number of years needs the number of years."
        if self.period == self.Period.CUMULATIVE and not (
            self.period_start_year and self.period_end_year and self.period_end_year > self.period_start_year
        ):
            errors["period_end_year"] = "A cumulative figure needs a start year and a later end year."
        if errors:
            raise ValidationError(errors)

    @property
    def low(self) -> int | Decimal | None:
        columns = self.VALUE_COLUMNS.get(self.measure)  # none while a form's measure is not yet valid
        return getattr(self, columns[0]) if columns else None

    @property
    def high(self) -> int | Decimal | None:
        columns = self.VALUE_COLUMNS.get(self.measure)
        return getattr(self, columns[1]) if columns else None

    @property
    def amount_display(self) -> str:
        """'£2m–£3m', 'up to £165m', '2–3%': the figure as a person would say it."""
        low, high = self.low, self.high
        if self.measure == self.Measure.PERCENT:
            fmt = format_percent
        else:
            fmt = format_pounds
        if high is None:
            return ""
        if low is None:
            return f"up to {fmt(high)}"
        if low == high:
            return fmt(high)
        return f"{fmt(low)}–{fmt(high)}"

    @property
    def annual_display(self) -> str:
        """Our normalisation per year: '£2m–£3m', 'up to £2m', or '' when it cannot be worked out
        (a one-off, a percentage, no period stated). The one place that writes it."""
        if self.annualised_high is None:
            return ""
        if self.annualised_low is None:
            return f"up to {format_pounds(self.annualised_high)}"
        if self.annualised_low == self.annualised_high:
            return format_pounds(self.annualised_high)
        return f"{format_pounds(self.annualised_low)}–{format_pounds(self.annualised_high)}"

    @property
    def period_display(self) -> str:
        if self.period == self.Period.TOTAL and self.period_years:
            return f"total over {self.period_years} year{'s' if self.period_years != 1 else ''}"
        if self.period == self.Period.CUMULATIVE and self.period_start_year and self.period_end_year:
            return f"between {self.period_start_year} and {self.period_end_year}"
        return self.get_period_display().lower()


class OutcomeQuerySet(models.QuerySet):
    def published(self) -> OutcomeQuerySet:
        return self.filter(case_study__status=CaseStudy.Status.PUBLISHED)


class OutcomeManager(PositionedManager.from_queryset(OutcomeQuerySet)):
    pass


class Outcome(models.Model):
    """A non-financial result: jobs supported, apprenticeships, families helped, …"""

    class Status(models.TextChoices):
        ACHIEVED = "achieved", "Achieved"
        EXPECTED = "expected", "Expected"

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="outcomes")
    council = models.ForeignKey(Council, null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes")
    position = models.PositiveSmallIntegerField(default=1)
    metric = models.CharField(max_length=250, help_text="What was measured, e.g. 'Apprenticeships created'.")
    baseline = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The value before, when the text gives one ('reduced from 36 to 4': 36).",
    )
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Only where the text says.")
    value = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="The value reached ('from 36 to 4': 4)."
    )
    value_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Only where the text says.")
    unit = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACHIEVED)
    quote = MultilineTextField(help_text="The exact sentence the outcome comes from.")
    history = HistoricalRecords()

    objects = OutcomeManager()

    class Meta:
        ordering = ["case_study", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case_study", "position"], name="outcome_unique_position"),
            models.CheckConstraint(condition=~Q(quote=""), name="outcome_quote_required"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="outcome_value_not_negative"
            ),
            models.CheckConstraint(condition=Q(status__in=["achieved", "expected"]), name="outcome_status_valid"),
            models.CheckConstraint(
                condition=Q(baseline__isnull=True) | Q(baseline__gte=0), name="outcome_baseline_not_negative"
            ),
            models.CheckConstraint(condition=_year_ok("baseline_year"), name="outcome_baseline_year_plausible"),
            models.CheckConstraint(condition=_year_ok("value_year"), name="outcome_value_year_plausible"),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True)
                | Q(value_year__isnull=True)
                | Q(value_year__gte=F("baseline_year")),
                name="outcome_value_year_not_before_baseline",
            ),
        ]

    def __str__(self) -> str:
        return self.metric

    def natural_key(self) -> tuple[str, int]:
        return (*self.case_study.natural_key(), self.position)

    natural_key.dependencies = ["casestudies.casestudy", "councils.council"]


class ContactQuerySet(models.QuerySet):
    def public(self) -> ContactQuerySet:
        return self.filter(is_public=True)

    def with_freshness(self, today: datetime.date | None = None) -> ContactQuerySet:
        """Annotate ``needs_checking``: never checked, not checked for ``CONTACT_CHECK_MONTHS``, or
        the contact's council has been abolished. The one definition of "may be out of date"."""
        today = today or timezone.localdate()
        cutoff = today - datetime.timedelta(days=round(settings.CONTACT_CHECK_MONTHS * 365.25 / 12))
        stale = Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff) | Q(council__abolished_on__isnull=False)
        return self.annotate(
            needs_checking=Case(When(stale, then=Value(True)), default=Value(False), output_field=models.BooleanField())
        )

    def to_check(self) -> ContactQuerySet:
        return self.with_freshness().filter(needs_checking=True)


class ContactManager(PositionedManager.from_queryset(ContactQuerySet)):
    pass


def public_contacts() -> ContactQuerySet:
    """The contacts a case study shows the public (web page and API), with their freshness
    (``needs_checking``): the one definition both read."""
    return Contact.objects.public().with_freshness()


class Contact(models.Model):
    """A named person to contact about a case study, as published in the source.

    Contacts are personal data: a curator can hide one from the public without deleting it.
    """

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="contacts")
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=250, blank=True)
    organisation = models.CharField(max_length=250, blank=True, help_text="As published, if not a council.")
    council = models.ForeignKey(Council, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts")
    email = models.EmailField(blank=True)
    published_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year the source published these details."
    )
    last_verified = models.DateField(null=True, blank=True, help_text="Leave blank unless you checked them.")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The curator who last checked these details.",
    )
    is_public = models.BooleanField(default=True, help_text="Untick to hide this contact from the public.")
    history = HistoricalRecords()

    objects = ContactManager()

    class Meta:
        ordering = ["case_study", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case_study", "position"], name="contact_unique_position"),
            models.CheckConstraint(condition=_year_ok("published_year"), name="contact_published_year_plausible"),
        ]
        triggers = derived.rederive_triggers("derived_contacts")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, int]:
        return (*self.case_study.natural_key(), self.position)

    natural_key.dependencies = ["casestudies.casestudy", "councils.council"]


class LoadedFixture(models.Model):
    """What ``load_library`` last wrote into a record from ``fixtures/`` (a digest of those fields),
    so that a later load can tell a record nobody changed since (it may take a shipped correction)
    from one somebody edited, by whatever means (it is never overwritten)."""

    model = models.CharField(max_length=100)
    object_id = models.BigIntegerField()
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "object_id"], name="loadedfixture_one_per_record")]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"


class FixtureConflict(models.Model):
    """A shipped correction (a changed fixture) that ``load_library`` did not apply, because a
    curator has edited that record since it was loaded: both values, for a curator to decide."""

    model = models.CharField(max_length=100, help_text="The record's model, e.g. casestudies.casestudy.")
    object_id = models.BigIntegerField()
    record = models.CharField(max_length=300, help_text="The record, as the library names it.")
    field = models.CharField(max_length=100)
    fixture_value = models.TextField(blank=True)
    library_value = models.TextField(blank=True)
    found_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["model", "object_id", "field"]
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id", "field"], name="fixtureconflict_one_per_field")
        ]

    def __str__(self) -> str:
        return f"{self.record}: {self.field}"


class ContactErasure(models.Model):
    """That a contact was erased at someone's request: when, by whom, and which record (its id),
    but nothing about the person. A restore from an older backup erases the same records again."""

    contact_id = models.BigIntegerField(help_text="The erased contact's id (its details are gone).")
    case_study = models.ForeignKey(CaseStudy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The contact's natural key, so that loading fixtures (make run, a reset) never brings it back.
    case_study_slug = models.SlugField(max_length=150)
    position = models.PositiveSmallIntegerField()
    erased_at = models.DateTimeField(auto_now_add=True)
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = "contact erasure"

    def __str__(self) -> str:
        return f"Contact {self.contact_id} erased on {self.erased_at:%d %B %Y}"


def links_to(kind: str, values: list) -> models.QuerySet:
    """The link rows tying the outer case study (``OuterRef("pk")``) to any of ``values`` of ``kind``."""
    if kind == "model":
        return CaseStudyModel.objects.filter(case_study=OuterRef("pk"), model__in=values)
    if kind in ("council_type", "region"):
        return CaseStudyCouncil.objects.filter(case_study=OuterRef("pk"), **{f"council__{kind}__in": values})
    return CaseStudy.service_areas.through.objects.filter(casestudy=OuterRef("pk"), servicearea__in=values)


# The three expressions below are built once per process and shared (functools.cache): they depend
# on nothing but the rule, and building their nested subqueries is a large part of a list request's
# Python time. Sharing is safe because a query that uses an expression resolves a copy of it.


@functools.cache
def best_annual_saving(status: str) -> Subquery:
    """The largest per-year amount of the outer case study's (``OuterRef("pk")``) headline
    candidates (:meth:`FigureQuerySet.headline_candidates`) with ``status``."""
    best = (
        Figure.objects.headline_candidates()
        .filter(case_study=OuterRef("pk"), status=status)
        .order_by("-annualised_high")
        .values("annualised_high")[:1]
    )
    return Subquery(best, output_field=models.BigIntegerField())


def best_headline_candidate(column: str) -> Subquery:
    """``column`` of the outer case study's best headline candidate (the first of
    :meth:`FigureQuerySet.headline_candidates`, which holds the rule and its order)."""
    best = Figure.objects.headline_candidates().filter(case_study=OuterRef("pk")).values(column)[:1]
    return Subquery(best)


@functools.cache
def headline_annual_saving() -> models.Expression:
    """The headline annual saving of the outer case study: the largest per-year amount of an
    *achieved* saving of its own councils; if there is none, the largest *expected* one (its
    status says so: :func:`headline_saving_status`); never a one-off or first-year amount, never a
    figure of only some of its councils or of another body. The rule and its order are
    :meth:`FigureQuerySet.headline_candidates`; this is its first candidate's amount."""
    return best_headline_candidate("annualised_high")


@functools.cache
def headline_saving_status() -> models.Expression:
    """Whether the headline annual saving (:func:`headline_annual_saving`) was achieved or is
    expected: the status of the same first candidate."""
    return best_headline_candidate("status")


# --- Derived rows (PostgreSQL): see casestudies/derived.py -----------------------------------------


class CaseStudyLinkKeysQuerySet(models.QuerySet):
    def of_published(self) -> CaseStudyLinkKeysQuerySet:
        return self.filter(keys__contains=[derived.PUBLISHED_KEY])

    def with_any_of_each(self, groups: dict[str, Iterable[Any]]) -> CaseStudyLinkKeysQuerySet:
        """Rows with at least one key of each group given ({kind: values}): OR within, AND across."""
        queryset = self
        for kind, values in groups.items():
            if keys := [derived.link_key(kind, value) for value in values]:
                queryset = queryset.filter(keys__overlap=keys)
        return queryset

    def count_keys(self, kinds: Iterable[str]) -> dict[str, dict[str, int]]:
        """How many of these rows have each key of each of ``kinds``: {kind: {value: count}}, in one
        grouped query over this narrow table (its keys unnested), without touching the case studies
        themselves."""
        key = models.Func(F("keys"), function="unnest", output_field=models.TextField())
        rows = self.annotate(key=key).values("key").annotate(n=models.Count("*")).order_by()
        prefixes = {kind: derived.link_key(kind, "") for kind in kinds}
        counts: dict[str, dict[str, int]] = {kind: {} for kind in prefixes}
        for row in rows:
            for kind, prefix in prefixes.items():
                if row["key"].startswith(prefix):
                    counts[kind][row["key"].removeprefix(prefix)] = row["n"]
        return counts


class CaseStudyLinkKeys(models.Model):
    """Derived, PostgreSQL only: a case study's link keys (``model:3``, ``region:london``, …), for
    answering the linked filters together from one GIN index. Kept by triggers; never written here."""

    case_study = models.OneToOneField(
        CaseStudy,
        primary_key=True,
        on_delete=models.DO_NOTHING,  # the case study's delete trigger removes the row
        db_constraint=False,
        related_name="link_keys",
    )
    keys = ArrayField(models.TextField(), default=list)

    objects = CaseStudyLinkKeysQuerySet.as_manager()

    class Meta:
        required_db_vendor = "postgresql"
        indexes = [GinIndex(fields=["keys"], name="casestudy_link_keys_gin")]
        triggers = derived.facet_total_triggers()

    def __str__(self) -> str:
        return f"Link keys of case study {self.case_study_id}"


class CaseStudyFacetTotalQuerySet(models.QuerySet):
    def by_facet(self) -> dict[str, dict[str, int]]:
        """The totals as {facet: {key value: count}} (``model`` and ``service_area`` keyed by id)."""
        totals: dict[str, dict[str, int]] = {}
        for key, count in self.filter(count__gt=0).values_list("key", "count"):
            facet, value = key.split(":", 1)
            totals.setdefault(facet, {})[value] = count
        return totals

    def published_total(self) -> int:
        """How many case studies are published: the total of the key every published one has."""
        found = self.filter(key=derived.PUBLISHED_KEY).values_list("count", flat=True).first()
        return found or 0


class CaseStudyFacetTotal(models.Model):
    """Derived, PostgreSQL only: how many published case studies have each link key (``model:3``,
    ``stage:proposal``, …): the unfiltered facet counts. Kept by triggers on the link keys."""

    key = models.TextField(primary_key=True)
    count = models.IntegerField()

    objects = CaseStudyFacetTotalQuerySet.as_manager()

    class Meta:
        required_db_vendor = "postgresql"

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class CaseStudySearchDocument(models.Model):
    """Derived, PostgreSQL only: the weighted search vector of a case study (title, council names,
    summary, public contact names, body). Kept by triggers; never written here."""

    case_study = models.OneToOneField(
        CaseStudy,
        primary_key=True,
        on_delete=models.DO_NOTHING,  # the case study's delete trigger removes the row
        db_constraint=False,
        related_name="search_document",
    )
    vector = SearchVectorField()

    class Meta:
        required_db_vendor = "postgresql"
        indexes = [GinIndex(fields=["vector"], name="casestudy_search_vector_gin")]

    def __str__(self) -> str:
        return f"Search document of case study {self.case_study_id}"


class CouncilDerivedTriggers(Council):
    """The triggers through which a council's name, type or region reach its case studies'
    derived rows, declared here because they are about case studies (a proxy: no table)."""

    class Meta:
        proxy = True
        triggers = derived.council_triggers()


class CaseStudyServiceAreaDerivedTriggers(CaseStudy.service_areas.through):
    """The triggers of the case study–service area links (a proxy of the automatic through table)."""

    class Meta:
        proxy = True
        triggers = derived.rederive_triggers("derived_areas", case_study_column="casestudy_id")


class TransformationModelDerivedTriggers(TransformationModel):
    """The trigger through which a transformation model's new name reaches its case studies' search
    documents, declared here because it is about case studies (a proxy: no table)."""

    class Meta:
        proxy = True
        triggers = derived.renamed_triggers("derived_model", "casestudies_casestudymodel", "model_id", "case_study_id")


# --- Suggestions from council officers --------------------------------------------------------------


class SuggestionQuerySet(models.QuerySet):
    def waiting(self) -> SuggestionQuerySet:
        return self.filter(status=Suggestion.Status.WAITING)

    def recent_from(self, address_hash: str, hours: int = 1) -> SuggestionQuerySet:
        """Suggestions sent from one address (its hash) in the last ``hours``: the rate limit."""
        since = timezone.now() - datetime.timedelta(hours=hours)
        return self.filter(address_hash=address_hash, submitted_at__gte=since)


class Suggestion(models.Model):
    """A case study suggested by a council officer through the public form. Never published as it
    is: a curator reads it in the moderation queue and may turn it into a *draft* case study.

    The contact details are personal data: used only to reply, never shown on the public site or in
    the API (see the privacy page)."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for a curator"
        DRAFTED = "drafted", "Made into a draft case study"
        DECLINED = "declined", "Declined"

    reference = models.CharField(max_length=12, unique=True, editable=False)
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=250)
    what_they_did = MultilineTextField()
    figures = MultilineTextField(
        blank=True, help_text="Figures as submitted, each with the sentence or document it comes from."
    )
    source_url = models.URLField(max_length=500, blank=True)
    upload_reference = models.CharField(
        max_length=200, blank=True, help_text="Where the submitter says the document is, if not at a URL."
    )
    contact_name = models.CharField(max_length=150)
    contact_role = models.CharField(max_length=250, blank=True)
    contact_email = models.EmailField()
    consent = models.BooleanField(help_text="The submitter agreed to be contacted about this suggestion.")
    # A keyed hash of the sender's address, for the rate limit: the address itself is not kept.
    address_hash = models.CharField(max_length=64, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True)
    case_study = models.ForeignKey(
        CaseStudy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(condition=Q(consent=True), name="suggestion_has_consent"),
            models.CheckConstraint(condition=~Q(source_url="", upload_reference=""), name="suggestion_has_a_source"),
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "drafted", "declined"]), name="suggestion_status_valid"
            ),
        ]
        indexes = [
            # The rate limit (SuggestionQuerySet.recent_from).
            models.Index(fields=["address_hash", "submitted_at"], name="suggestion_address_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"
