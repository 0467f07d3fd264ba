"""Fill the database with the deterministic synthetic library for benchmarks (bench/synthetic.py).

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctl_bench .venv/bin/python bench/generate.py \
        --councils 400 --case-studies 100000 --seed 42 [--batch-size 2000] [--force]

Replaces earlier synthetic rows (slugs starting with ``synthetic-``) and refuses to write beside
curated case studies unless ``--force``. Django is set up as for bench/run.py (its environment:
debugging off, a bench-only secret key), against ``DATABASE_URL``; migrate the database first.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--councils", type=int, default=400, help="Number of synthetic councils (default 400).")
    parser.add_argument(
        "--case-studies", type=int, default=100_000, help="Number of synthetic case studies (default 100000)."
    )
    parser.add_argument("--seed", type=int, default=42, help="Random seed; the same seed gives the same data.")
    parser.add_argument("--batch-size", type=int, default=2000, help="Case studies per insert transaction.")
    parser.add_argument(
        "--force", action="store_true", help="Write even though the database holds curated (non-synthetic) data."
    )
    parser.add_argument("--quiet", action="store_true", help="No progress bar.")
    return parser


def setup_django() -> None:
    """As bench/run.py runs Django: its bench environment, then ``django.setup()`` (once)."""
    from django.conf import settings

    if settings.configured:  # already set up (e.g. under pytest)
        return
    from bench.run import bench_env

    os.environ.update(bench_env())
    # A batch writer like a management command (manage.py does the same): a batch's derived rows
    # take longer than a web request's statement timeout, which is for public requests.
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    setup_django()
    from bench.synthetic import SyntheticDataError, generate

    try:
        result = generate(
            councils=args.councils,
            case_studies=args.case_studies,
            seed=args.seed,
            batch_size=args.batch_size,
            force=args.force,
            progress=not args.quiet,
        )
    except SyntheticDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
