"""The synthetic data generator: deterministic, bounded shapes, never beside curated data by accident."""

from __future__ import annotations

import pytest
from django.db.models import Count

from bench import synthetic
from bench.generate import main, parser
from bench.synthetic import SyntheticDataError
from casestudies.models import CaseStudy, CaseStudyCouncil, CaseStudyModel, Contact, Figure
from councils.models import Council
from tests.factories import CaseStudyFactory, CouncilFactory
from transform_models.models import TransformationModel

pytestmark = pytest.mark.django_db

SIX_MODELS = {"commissioning", "cooperative", "entrepreneurial", "enabling", "sharing", "holistic"}


def generate(councils: int = 5, cases: int = 30, seed: int = 7, **options) -> None:
    synthetic.generate(councils=councils, case_studies=cases, seed=seed, batch_size=8, **options)


def snapshot() -> tuple[list, list]:
    slugs = list(CaseStudy.objects.order_by("slug").values_list("slug", flat=True))
    figures = list(
        Figure.objects.order_by("case_study__slug", "position").values_list(
            "case_study__slug", "position", "kind", "status", "amount_low", "amount_high", "percent_high", "period"
        )
    )
    return slugs, figures


def test_same_seed_generates_the_same_library_twice() -> None:
    generate(seed=11)
    first = snapshot()
    generate(seed=11)
    assert snapshot() == first
    assert CaseStudy.objects.count() == 30


def test_different_seeds_generate_different_libraries() -> None:
    generate(seed=1)
    first = snapshot()
    generate(seed=2)
    assert snapshot() != first


def test_refuses_to_write_beside_curated_case_studies_without_force() -> None:
    CaseStudyFactory(slug="barnet-commissioning")
    with pytest.raises(SyntheticDataError, match="--force"):
        generate()
    assert not CaseStudy.objects.filter(slug__startswith="synthetic-").exists()


def test_force_writes_beside_curated_data_and_leaves_it_alone() -> None:
    CaseStudyFactory(slug="barnet-commissioning", councils=[CouncilFactory(slug="barnet")])
    generate(force=True)
    generate(force=True)  # a re-run replaces only the synthetic rows
    assert CaseStudy.objects.filter(slug="barnet-commissioning", councils__slug="barnet").exists()
    assert CaseStudy.objects.filter(slug__startswith="synthetic-").count() == 30


@pytest.mark.parametrize("sizes", [{"councils": 0}, {"cases": -1}, {"batch_size": 0}])
def test_nonsense_sizes_are_refused(sizes) -> None:
    options = {"councils": 5, "case_studies": 5, "batch_size": 8}
    options.update({("case_studies" if k == "cases" else k): v for k, v in sizes.items()})
    with pytest.raises(SyntheticDataError, match="at least"):
        synthetic.generate(**options)


def test_every_generated_row_is_marked_synthetic() -> None:
    generate()
    assert not CaseStudy.objects.exclude(slug__startswith="synthetic-").exists()
    assert not Council.objects.exclude(slug__startswith="synthetic-").exists()


def test_the_six_transformation_models_exist_after_generating() -> None:
    generate()
    assert set(TransformationModel.objects.values_list("slug", flat=True)) == SIX_MODELS


def test_case_study_shapes_are_within_bounds() -> None:
    generate(councils=20, cases=60)
    cases = CaseStudy.objects.annotate(
        n_councils=Count("council_links", distinct=True),
        n_models=Count("model_links", distinct=True),
        n_contacts=Count("contacts", distinct=True),
        n_figures=Count("figures", distinct=True),
    )
    for case in cases:
        assert 1 <= case.n_councils <= 4
        assert 1 <= case.n_models <= 3
        assert 1 <= case.n_contacts <= 2
        assert 0 <= case.n_figures <= 5
        assert len(case.body) > 500
    assert any(case.n_figures == 0 for case in cases)  # some cases quote no figure
    # exactly one lead council and one primary model per case
    assert CaseStudyCouncil.objects.filter(role="lead").count() == 60
    assert CaseStudyModel.objects.filter(is_primary=True).count() == 60


def test_figures_mix_kinds_statuses_and_periods() -> None:
    generate(councils=20, cases=60)
    assert Figure.objects.values("kind").distinct().count() >= 4
    # achieved and expected; blank for the kinds without a status (costs, budget reductions)
    assert set(Figure.objects.values_list("status", flat=True)) == {"achieved", "expected", ""}
    assert Figure.objects.values("period").distinct().count() >= 4
    assert Figure.objects.filter(measure="percent").exists()


def test_every_council_type_and_region_is_used_with_enough_councils() -> None:
    generate(councils=40, cases=10)
    assert set(Council.objects.values_list("council_type", flat=True)) == set(Council.Type.values)
    assert set(Council.objects.values_list("region", flat=True)) == set(Council.Region.values)


def test_derived_headline_saving_is_computed_for_generated_cases() -> None:
    generate(councils=10, cases=40)
    cases = CaseStudy.objects.with_headline_saving().prefetch_related("figures__applies_to", "council_links")
    with_saving = 0
    for case in cases:
        councils = {link.council_id for link in case.council_links.all()}

        def own(figure: Figure, councils: set[int] = councils) -> bool:
            named = {council.pk for council in figure.applies_to.all()}
            return not named or councils <= named

        savings = {
            status: [
                f.annualised_high
                for f in case.figures.all()
                if f.kind == "saving" and f.annualised_high and f.status == status and own(f)
            ]
            for status in ("achieved", "expected")
        }
        best = max(savings["achieved"] or savings["expected"] or [None], key=lambda amount: amount or 0)
        assert case.headline_annual_saving == best
        with_saving += best is not None
    assert with_saving


def test_contacts_reference_a_council_of_their_case() -> None:
    generate(councils=10, cases=20)
    for contact in Contact.objects.all():
        assert CaseStudyCouncil.objects.filter(case_study=contact.case_study_id, council=contact.council_id).exists()


@pytest.mark.postgres
def test_generated_cases_have_their_derived_rows_and_are_found() -> None:
    """No refresh call: the triggers give every generated case study its link keys and search
    document, and a re-run (which deletes the previous library first) leaves none behind."""
    from casestudies.models import CaseStudyLinkKeys, CaseStudySearchDocument

    generate(councils=10, cases=30)
    generate(councils=10, cases=30)
    ids = set(CaseStudy.objects.values_list("pk", flat=True))
    assert set(CaseStudySearchDocument.objects.values_list("case_study_id", flat=True)) == ids
    assert set(CaseStudyLinkKeys.objects.values_list("case_study_id", flat=True)) == ids
    case = CaseStudy.objects.prefetch_related("council_links__council", "model_links").first()
    keys = set(CaseStudyLinkKeys.objects.get(case_study=case).keys)
    assert {f"model:{link.model_id}" for link in case.model_links.all()} <= keys
    assert {f"region:{link.council.region}" for link in case.council_links.all()} <= keys
    assert CaseStudy.objects.search("commissioning").exists()
    assert CaseStudy.objects.with_links(regions=["london"]).count() == (
        CaseStudy.objects.filter(council_links__council__region="london").distinct().count()
    )


def test_command_line_has_the_generators_options() -> None:
    args = parser().parse_args(["--councils", "400", "--case-studies", "100000", "--seed", "42"])
    assert (args.councils, args.case_studies, args.seed, args.batch_size, args.force) == (400, 100_000, 42, 2000, False)


def test_command_line_generates_and_reports(capsys) -> None:
    assert main(["--councils", "3", "--case-studies", "4", "--seed", "5", "--batch-size", "2", "--quiet"]) == 0
    assert "Generated 3 councils and 4 case studies (seed 5)" in capsys.readouterr().out
    assert CaseStudy.objects.count() == 4


def test_command_line_refuses_with_a_message_and_status_2(capsys) -> None:
    CaseStudyFactory(slug="barnet-commissioning")
    assert main(["--councils", "3", "--case-studies", "4", "--quiet"]) == 2
    assert "--force" in capsys.readouterr().err


@pytest.mark.postgres
def test_the_command_line_runs_without_the_web_statement_timeout() -> None:
    """A batch of 2,000 case studies and their derived rows outlasts the 5 s a public request gets:
    bench/generate.py, set up as its command line sets it up, must run without the limit."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.db import connection

    env = {name: value for name, value in os.environ.items() if name != "DATABASE_STATEMENT_TIMEOUT_MS"}
    db = connection.settings_dict  # the test database, which exists (DATABASE_URL's may not)
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    probe = (
        "from bench.generate import setup_django; setup_django(); from django.db import connection; "
        "cursor = connection.cursor(); cursor.execute('SHOW statement_timeout'); print(cursor.fetchone()[0])"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "0"
