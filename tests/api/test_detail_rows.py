"""On PostgreSQL a case study's API detail is built by the database from CaseStudyDetailSerializer's
fields (api/serializer_rows.py), as list rows are: it must equal what the serializer gives from the
objects, field for field, whatever the case holds."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIRequestFactory

from casestudies.models import CaseStudy, CaseStudyModel, Figure
from casestudies.serializers import CaseStudyDetailSerializer
from councils.models import Succession
from tests.factories import (
    CaseStudyFactory,
    ContactFactory,
    CouncilFactory,
    FigureFactory,
    OutcomeFactory,
    SourceFactory,
    TransformationModelFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def rich_case(postgres_only) -> CaseStudy:
    """A case with one of everything the detail shows, in each of its shapes."""
    adur = CouncilFactory(slug="adur", name="Adur")
    worthing = CouncilFactory(slug="worthing", name="Worthing")
    cumbria = CouncilFactory(slug="cumbria", name="Cumbria", abolished_on=datetime.date(2023, 3, 31))
    for successor in ("cumberland", "westmorland-and-furness"):
        Succession.objects.create(predecessor=cumbria, successor=CouncilFactory(slug=successor, name=successor))
    suffolk_coastal = CouncilFactory(
        slug="suffolk-coastal", name="Suffolk Coastal", abolished_on=datetime.date(2019, 3, 31)
    )
    Succession.objects.create(
        predecessor=suffolk_coastal, successor=CouncilFactory(slug="east-suffolk", name="East Suffolk")
    )
    sharing = TransformationModelFactory(slug="sharing", name="Sharing")
    holistic = TransformationModelFactory(slug="holistic", name="Holistic")
    case = CaseStudyFactory(slug="rich", models=[sharing], councils=[adur, worthing], source=SourceFactory(url=""))
    CaseStudyModel.objects.create(
        case_study=case, model=holistic, classified_by="library", basis_quote="They redesigned everything."
    )
    case.further_reading.set([SourceFactory(url="https://example.org/report"), SourceFactory(url="")])
    whole = FigureFactory(case_study=case, position=1, amount_low=None, amount_high=2_000_000)
    FigureFactory(
        case_study=case, position=2, amount_low=100_000, amount_high=150_000, part_of=whole, applies_to=[adur]
    )
    FigureFactory(case_study=case, position=3, applies_to=[adur, worthing])
    FigureFactory(
        case_study=case,
        position=4,
        kind=Figure.Kind.EFFICIENCY,
        measure=Figure.Measure.PERCENT,
        amount_low=None,
        amount_high=None,
        percent_low=Decimal("2.50"),
        percent_high=Decimal("3"),
        status="expected",
        quote="Efficiency of 2.5-3%.",
    )
    OutcomeFactory(case_study=case, council=adur, baseline=Decimal("12.50"), value=Decimal("40"))
    OutcomeFactory(case_study=case, baseline=None)
    ContactFactory(case_study=case, council=cumbria, last_verified=datetime.date.today())
    ContactFactory(case_study=case, council=suffolk_coastal, email="")
    ContactFactory(case_study=case, council=None, organisation="A charity")
    ContactFactory(case_study=case, name="Hidden Person", is_public=False)
    return case


def _from_the_objects(slug: str) -> dict:
    request = APIRequestFactory().get(f"/api/v1/case-studies/{slug}/")
    case = CaseStudy.objects.published().for_detail().get(slug=slug)
    return CaseStudyDetailSerializer(case, context={"request": request}).data


def test_the_detail_built_in_sql_equals_the_serializer(api, rich_case, settings) -> None:
    settings.LIBRARY_CACHE_SECONDS = 0
    built = api("case-studies/rich/").json()
    expected = _from_the_objects("rich")
    assert built == expected
    assert list(built) == list(expected)  # in the serializer's order


def test_the_detail_built_in_sql_gives_every_shape_of_its_nested_values(api, rich_case, settings) -> None:
    settings.LIBRARY_CACHE_SECONDS = 0
    built = api("case-studies/rich/").json()
    assert [(f["council"], f["low"], f["high"], f["part_of"]) for f in built["figures"]] == [
        (None, None, 2_000_000, None),
        ("adur", 100_000, 150_000, 1),
        (None, 1_000_000, 1_000_000, None),
        (None, 2.5, 3.0, None),
    ]
    assert [(m["model"], m["classification"]) for m in built["model_classifications"]] == [
        ("sharing", "source"),
        ("holistic", "editorial"),
    ]
    assert [(o["council"], o["baseline"], o["value"]) for o in built["outcomes"]] == [
        ("adur", 12.5, 40.0),
        (None, None, 50.0),
    ]
    contacts = [
        (
            c["council"],
            c["council_abolished"],
            c["council_successor"],
            c["council_successors"],
            c["email"] is None,
            c["needs_checking"],
        )
        for c in built["contacts"]
    ]
    assert contacts == [
        ("cumbria", True, None, ["cumberland", "westmorland-and-furness"], False, True),
        ("suffolk-coastal", True, "east-suffolk", ["east-suffolk"], True, True),
        (None, False, None, [], False, True),
    ]
    assert [source["url"] for source in built["further_reading"]].count(None) == 1
    assert built["source"]["url"] is None


def test_the_detail_leaves_out_a_contact_hidden_from_the_public(api, rich_case, settings) -> None:
    settings.LIBRARY_CACHE_SECONDS = 0
    names = [contact["name"] for contact in api("case-studies/rich/").json()["contacts"]]
    assert "Hidden Person" not in names and len(names) == 3


@pytest.mark.parametrize("extra", [0, 5])
def test_the_detail_is_one_query_whatever_it_holds(api, rich_case, settings, django_assert_num_queries, extra) -> None:
    settings.LIBRARY_CACHE_SECONDS = 0
    for _ in range(extra):
        FigureFactory(case_study=rich_case, applies_to=[CouncilFactory()])
        ContactFactory(case_study=rich_case, council=CouncilFactory())
    # its row with everything nested, the id chosen inside it by slug (published only)
    with django_assert_num_queries(1):
        assert api("case-studies/rich/").status_code == 200


def test_an_unknown_or_unpublished_case_study_is_a_404_in_one_query(
    api, rich_case, settings, django_assert_num_queries
) -> None:
    settings.LIBRARY_CACHE_SECONDS = 0
    CaseStudyFactory(slug="draft", status=CaseStudy.Status.DRAFT)
    for slug in ("nothing-here", "draft"):
        with django_assert_num_queries(1):
            assert api(f"case-studies/{slug}/").status_code == 404


def _prepared(marker: str) -> tuple[int, int]:
    """How many times PostgreSQL ran this connection's prepared statements whose text has ``marker``
    with a generic plan, and with a custom one."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0)"
            " FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{marker}%"],
        )
        return cursor.fetchone()


DETAIL_STATEMENT = '"row_model_classifications"'


def test_the_detail_statement_is_prepared_and_keeps_one_generic_plan(api, rich_case, settings) -> None:
    settings.LIBRARY_CACHE_SECONDS = 0
    generic_before, _ = _prepared(DETAIL_STATEMENT)
    for _ in range(8):  # PostgreSQL plans the first five runs for their values, then keeps a generic plan
        assert api("case-studies/rich/").status_code == 200
    generic_after, _ = _prepared(DETAIL_STATEMENT)
    assert generic_after > generic_before


def test_every_detail_shares_one_prepared_statement_its_slug_a_parameter(api, rich_case, settings) -> None:
    from django.db import connection

    settings.LIBRARY_CACHE_SECONDS = 0
    CaseStudyFactory(slug="other", status=CaseStudy.Status.PUBLISHED)
    for slug in ("rich", "other", "nothing-here"):
        api(f"case-studies/{slug}/")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{DETAIL_STATEMENT}%"]
        )
        (statement,) = [text for (text,) in cursor.fetchall()]
    assert "'rich'" not in statement and "'other'" not in statement


def test_no_statement_is_prepared_with_prepared_row_statements_off(api, rich_case, settings) -> None:
    settings.LIBRARY_CACHE_SECONDS = 0
    settings.DATABASE_PREPARED_ROW_STATEMENTS = False
    before = _prepared(DETAIL_STATEMENT)
    for _ in range(8):
        assert api("case-studies/rich/").status_code == 200
    assert _prepared(DETAIL_STATEMENT) == before


def test_only_row_statements_are_prepared(api, rich_case, settings) -> None:
    settings.LIBRARY_CACHE_SECONDS = 0
    for _ in range(8):  # counts, ids, searches and filters are planned for their own values
        api("case-studies/", {"q": "council", "model": "sharing"})
        api("case-studies/rich/")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [statement for (statement,) in cursor.fetchall()]
    assert statements
    assert all('"row_slug"' in statement for statement in statements)
