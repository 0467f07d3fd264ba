"""factory_boy factories for test data (fixtures are only for reference data), and a builder of
several case studies at once."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model

from casestudies.models import (
    STATUS_KINDS,
    CaseStudy,
    CaseStudyCouncil,
    CaseStudyModel,
    Contact,
    Figure,
    Outcome,
    Programme,
    ServiceArea,
    Source,
)
from councils.models import Council, Partnership
from surveys.models import Finding, Recommendation, Survey
from transform_models.models import ModelPoint, Theme, TransformationModel


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class TransformationModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransformationModel
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"model-{n}")
    name = factory.LazyAttribute(lambda m: m.slug.replace("-", " ").title())
    definition = "Councils that do things in a particular way."
    key_features = "Key features of the model."
    display_order = factory.Sequence(int)


class ModelPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelPoint

    model = factory.SubFactory(TransformationModelFactory)
    kind = ModelPoint.Kind.BENEFIT
    position = factory.Sequence(lambda n: n + 1)
    text = "A benefit."


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    slug = factory.Sequence(lambda n: f"theme-{n}")
    kind = Theme.Kind.RECURRENT_THEME
    title = factory.Sequence(lambda n: f"Theme {n}")
    description = "What the theme is."


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Borough Council {n}")
    slug = factory.Sequence(lambda n: f"council-{n}")
    council_type = Council.Type.DISTRICT
    region = Council.Region.SOUTH_EAST

    @factory.post_generation
    def successors(self, create: bool, extracted: list[Council] | None, **kwargs: object) -> None:
        if create and extracted:
            self.successors.set(extracted)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    formed_year = 2011


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Service area {n}")
    slug = factory.Sequence(lambda n: f"service-area-{n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"A report on transformation, part {n}")
    author = "Localis"
    year = 2016


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    fund_amount = 1_000_000


class CaseStudyFactory(factory.django.DjangoModelFactory):
    """A published case study. Pass ``councils=[...]``, ``models=[...]``, ``service_areas=[...]``."""

    class Meta:
        model = CaseStudy
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Case study {n}")
    slug = factory.Sequence(lambda n: f"case-study-{n}")
    summary = "A council changed how it delivers services."
    body = "The council reorganised its services around residents."
    start_year = 2012
    is_ongoing = True
    status = CaseStudy.Status.PUBLISHED
    stage = CaseStudy.Stage.IMPLEMENTED
    source = factory.SubFactory(SourceFactory)  # a published case study needs a source

    @factory.post_generation
    def councils(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        for position, council in enumerate(extracted or [CouncilFactory()], start=1):
            role = CaseStudyCouncil.Role.LEAD if position == 1 else CaseStudyCouncil.Role.PARTNER
            CaseStudyCouncil.objects.create(case_study=self, council=council, role=role, position=position)

    @factory.post_generation
    def models(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        for index, model in enumerate(extracted or [TransformationModelFactory(slug="sharing", name="Sharing")]):
            CaseStudyModel.objects.create(case_study=self, model=model, is_primary=index == 0)

    @factory.post_generation
    def service_areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.service_areas.set(extracted)


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure
        skip_postgeneration_save = True

    case_study = factory.SubFactory(CaseStudyFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = Figure.Kind.SAVING
    measure = Figure.Measure.MONEY
    amount_low = 1_000_000
    amount_high = 1_000_000
    period = Figure.Period.PER_YEAR
    # Achieved where the kind has a status; blank for a cost, a budget cut or others' money.
    status = factory.LazyAttribute(lambda figure: Figure.Status.ACHIEVED if figure.kind in STATUS_KINDS else "")
    quote = "The council saved £1 million per year."

    @factory.post_generation
    def applies_to(self, create: bool, councils: list | None, **kwargs: object) -> None:
        if create and councils:
            self.applies_to.set(councils)


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    case_study = factory.SubFactory(CaseStudyFactory)
    position = factory.Sequence(lambda n: n + 1)
    metric = "Apprenticeships created"
    value = 50
    unit = "apprenticeships"
    quote = "The council created 50 apprenticeships."


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    case_study = factory.SubFactory(CaseStudyFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Alex Officer {n}")
    role = "Head of Transformation"
    email = factory.Sequence(lambda n: f"contact{n}@council.example.gov.uk")
    published_year = 2016


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Survey {n}")
    slug = factory.Sequence(lambda n: f"survey-{n}")
    publisher = "Localis"
    year = 2016
    sample_size = 80


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n + 1)
    category = Finding.Category.DRIVER
    statement = "Financial pressure drives innovation."
    percentage = 75


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "Share what works."


def make_case_studies(count: int, models: list) -> list[CaseStudy]:
    """``count`` published case studies, each with two councils, a figure, an outcome and a contact."""
    area = ServiceAreaFactory(slug="waste", name="Waste")
    made = []
    for index in range(count):
        councils = [
            CouncilFactory(council_type=Council.Type.DISTRICT if index % 2 else Council.Type.COUNTY),
            CouncilFactory(region=Council.Region.LONDON),
        ]
        case_study = CaseStudyFactory(councils=councils, models=[models[index % len(models)]], service_areas=[area])
        FigureFactory(case_study=case_study, amount_low=1_000_000 * (index + 1), amount_high=1_000_000 * (index + 1))
        OutcomeFactory(case_study=case_study)
        ContactFactory(case_study=case_study, council=councils[0])
        made.append(case_study)
    return made


def make_varied_library() -> dict[str, Any]:
    """A library in which every field that can be null is null somewhere and set elsewhere, every
    list is empty somewhere, and every choice (enum) value occurs: what a schema check needs to see
    (tests/api/test_schema.py). Returns the slugs of every record, per API resource."""
    import datetime
    from decimal import Decimal

    from councils.models import CouncilType, Region

    sharing = TransformationModelFactory(slug="sharing", name="Sharing")
    lonely_model = TransformationModelFactory(slug="lonely", name="Lonely")  # no case, no points: empty lists
    for kind in ModelPoint.Kind:
        ModelPointFactory(model=sharing, kind=kind, text=f"A {kind.label.lower()}.")
    sources = [
        SourceFactory(kind=kind, url="" if n else "https://example.org/report", year=None if n else 2016)
        for n, kind in enumerate(Source.Kind)
    ]
    sources[0].transformation_models.add(sharing)
    councils = [
        CouncilFactory(
            slug=f"council-{region.value}",
            council_type=list(CouncilType)[n % len(CouncilType)],
            region=region,
            website="https://council.example.gov.uk" if n == 0 else "",
            gss_code="E07000223" if n == 0 else "",
        )
        for n, region in enumerate(Region)
    ]
    abolished = CouncilFactory(slug="abolished", abolished_on=datetime.date(2019, 4, 1), successors=[councils[0]])
    partnership = PartnershipFactory(slug="shared-partnership", formed_year=None, description="Shared staff.")
    partnership.members.set(councils[:2])
    empty_partnership = PartnershipFactory(slug="empty-partnership")
    programme = ProgrammeFactory(slug="funded", fund_amount=None, year=None)
    empty_programme = ProgrammeFactory(slug="empty-programme", year=2016, fund_name="Fund")
    waste = ServiceAreaFactory(slug="waste", name="Waste")
    empty_area = ServiceAreaFactory(slug="unused-area", name="Unused")
    full = CaseStudyFactory(
        slug="full",
        models=[sharing],
        councils=[councils[0], abolished, councils[1]],
        service_areas=[waste],
        partnership=partnership,
        programme=programme,
        is_ongoing=False,
        end_year=2015,
        source=sources[0],
        source_section="2.4.1",
    )
    full.further_reading.add(sources[1])
    bare = CaseStudyFactory(
        slug="bare",
        models=[],
        councils=[councils[2]],
        start_year=None,
        is_ongoing=False,
        stage=CaseStudy.Stage.PROPOSAL,
        source=None,
        summary="A proposal.",
        body="",
    )
    CaseStudyModel.objects.filter(case_study=bare).delete()  # no model at all: models [] and primary null
    CaseStudyFactory(slug="draft-case", status=CaseStudy.Status.DRAFT, councils=[councils[3]])
    # Every kind, period, measure and status; "up to" figures (low null); figures with and without a council.
    periods = {
        Figure.Period.ONE_OFF: {},
        Figure.Period.PER_YEAR: {},
        Figure.Period.TOTAL: {"period_years": 4},
        Figure.Period.CUMULATIVE: {"period_start_year": 2010, "period_end_year": 2014},
        Figure.Period.UNSPECIFIED: {},
    }
    kinds, statuses, period_items = list(Figure.Kind), list(Figure.Status), list(periods.items())
    for n in range(max(len(kinds), len(period_items))):
        period, extra = period_items[n % len(period_items)]
        FigureFactory(
            case_study=full if n % 2 else bare,
            kind=kinds[n % len(kinds)],
            period=period,
            # a status only where the kind has one (figure_status_fits_kind)
            status=statuses[n % len(statuses)] if kinds[n % len(kinds)] in STATUS_KINDS else "",
            amount_low=None if n % 3 == 0 else 100_000,
            amount_high=400_000,
            applies_to=[councils[0]] if n % 2 else [],
            **extra,
        )
    FigureFactory(
        case_study=full,
        measure=Figure.Measure.PERCENT,
        amount_low=None,
        amount_high=None,
        percent_low=Decimal("2.5"),
        percent_high=Decimal("7.25"),
        period=Figure.Period.UNSPECIFIED,
    )
    FigureFactory(
        case_study=full,
        measure=Figure.Measure.PERCENT,
        amount_low=None,
        amount_high=None,
        percent_low=None,
        percent_high=Decimal("10"),
        status=Figure.Status.EXPECTED,
    )
    for status in Outcome.Status:
        OutcomeFactory(
            case_study=full,
            status=status,
            value=None if status == Outcome.Status.EXPECTED else 12,
            council=councils[0] if status == Outcome.Status.ACHIEVED else None,
            unit="",
        )
    ContactFactory(case_study=full, council=abolished, last_verified=datetime.date(2024, 1, 1))
    ContactFactory(case_study=full, council=None, email="", published_year=None, role="", organisation="Charity")
    survey = SurveyFactory(slug="survey", sample_size=None)
    for category in Finding.Category:
        FindingFactory(survey=survey, category=category, percentage=None if category == "other" else 40)
    RecommendationFactory(survey=survey)
    SurveyFactory(slug="empty-survey", year=None, publisher="")
    for kind in Theme.Kind:
        ThemeFactory(slug=f"theme-{kind.value}", kind=kind).transformation_models.add(sharing)
    ThemeFactory(slug="theme-alone")
    return {
        "transformation-models": [sharing.slug, lonely_model.slug],
        "councils": [council.slug for council in councils] + [abolished.slug],
        "partnerships": [partnership.slug, empty_partnership.slug],
        "programmes": [programme.slug, empty_programme.slug],
        "service-areas": [waste.slug, empty_area.slug],
        "case-studies": [full.slug, bare.slug],
        "surveys": [survey.slug, "empty-survey"],
        "themes": [f"theme-{kind.value}" for kind in Theme.Kind] + ["theme-alone"],
    }
