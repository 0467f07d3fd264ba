"""Write mySociety's register of UK councils into ``fixtures/03_councils.json``.

The register (``COUNCIL_REGISTER_DIR``: its CSV and datapackage.yaml) gives every UK council, past
and current. This command joins it to the councils the fixture already has and writes the fixture
again; ``load_library`` then brings it into the library. Re-run it when the register updates.

- A council named in the source documents (``in_documents``) keeps the name, type, region,
  website and notes the documents give it. The register adds its code, GSS code, start date,
  population and coordinates, and its end date and successors where the record has none. Where the
  register says otherwise than the record, both are kept: the record's value stays and a
  ``RegisterDiscrepancy`` records the register's.
- Every other council of the register is written from the register alone (and rewritten on every run).
- Each council's successors (the register's ``replaced-by``, which may list several: Cumbria
  County Council has two) are ``councils.succession`` records, written after the councils.
- The other records of the file (partnerships) are kept as they are.

It only writes the file; the database is not touched.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from councils.register import POPULATION_YEAR, REGIONS, REGISTER, REGISTER_LICENCE_NAME, TYPES

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "03_councils.json"
CSV_NAME = "uk_local_authorities_current.csv"
PACKAGE_NAME = "datapackage.yaml"
COUNCIL = "councils.council"
DISCREPANCY = "councils.registerdiscrepancy"
SUCCESSION = "councils.succession"
GENERATED = (COUNCIL, DISCREPANCY, SUCCESSION)  # what this command writes; the file's other records are kept
# What the register owns on every council it has (documented councils included).
REGISTER_FIELDS = ("register_code", "established_on", "population", "population_year", "latitude", "longitude")

REGISTER_LISTING_YEAR = "2005-"

Row = dict[str, str]
Item = dict[str, Any]


class Command(BaseCommand):
    help = (
        "Join mySociety's register of UK councils to fixtures/03_councils.json and write the file again "
        "(load_library brings it in). Re-run when the register updates."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            default=None,
            help="The register's folder (CSV and datapackage.yaml); default COUNCIL_REGISTER_DIR.",
        )
        parser.add_argument("--fixture", type=Path, default=FIXTURE, help="The fixture file to rewrite.")
        parser.add_argument(
            "--check", action="store_true", help="Write nothing; fail if the fixture is not what the register gives."
        )

    def handle(self, *args: Any, path: Path | None, fixture: Path, check: bool, verbosity: int = 1, **options: Any):
        folder = path or Path(settings.COUNCIL_REGISTER_DIR)
        _check_package(folder / PACKAGE_NAME)
        rows = _read_rows(folder / CSV_NAME, progress=verbosity > 0)
        try:
            items = json.loads(fixture.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"{fixture} could not be read: {error}") from error
        councils, unjoined = join(items, rows)
        written = render(councils, [i for i in items if i["model"] not in GENERATED])
        if check:
            if fixture.read_text(encoding="utf-8") != written:
                raise CommandError(f"{fixture.name} is not what the register gives: run import_council_register.")
            return
        fixture.write_text(written, encoding="utf-8")
        if verbosity:
            current = sum(1 for c in councils if c["fields"]["abolished_on"] is None and c["fields"]["register_code"])
            documented = sum(1 for c in councils if c["fields"]["in_documents"])
            discrepancies = sum(len(c["discrepancies"]) for c in councils)
            successions = sum(len(c["successors"]) for c in councils)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Wrote {fixture.name}: {len(rows)} councils from the register ({current} current), "
                    f"{documented} named in the documents, {successions} successions, "
                    f"{discrepancies} disagreements recorded."
                )
            )
        for item in unjoined:
            self.stdout.write(self.style.WARNING(f"Not in the register: {item['fields']['name']} (kept as it is)."))


def _check_package(path: Path) -> None:
    try:
        package = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CommandError(f"{path} could not be read: {error}") from error
    version = str(package.get("version"))
    licences = [licence.get("name") for licence in package.get("licenses", [])]
    if version != REGISTER.release or licences != [REGISTER_LICENCE_NAME]:
        raise CommandError(
            f"The register is version {version} under {', '.join(map(str, licences))}; the library credits version "
            f"{REGISTER.release} under {REGISTER.licence}. Check its licence, update REGISTER in "
            "councils/register.py, then run this again."
        )


def _read_rows(path: Path, *, progress: bool) -> list[Row]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(tqdm(csv.DictReader(handle), desc="Council register", unit="council", disable=not progress))
    except OSError as error:
        raise CommandError(f"{path} could not be read: {error}") from error
    codes = {row["local-authority-code"] for row in rows}
    if len(codes) != len(rows) or "" in codes:
        raise CommandError(f"{path.name}: every row needs its own local-authority-code.")
    for row in rows:
        unknown = [code for code in _successor_codes(row) if code not in codes]
        if unknown:
            raise CommandError(f"{path.name}: {row['official-name']} is replaced by {', '.join(unknown)}, not in it.")
        if row["local-authority-type"] not in TYPES or (row["region"] and row["region"] not in REGIONS):
            raise CommandError(
                f"{path.name}: {row['official-name']} has type {row['local-authority-type']!r} and region "
                f"{row['region']!r}; map them in councils/register.py."
            )
    return rows


def join(items: list[Item], rows: list[Row]) -> tuple[list[Item], list[Item]]:
    """The fixture's council items joined to the register's rows, and those the register lacks.
    Each council item is ``{"model", "fields", "discrepancies"}``."""
    by_code = {row["local-authority-code"]: row for row in rows}
    existing = [item for item in items if item["model"] == COUNCIL]
    joined: dict[str, Item] = {}  # register code -> item
    unjoined: list[Item] = []
    for item in existing:
        row = _find(item["fields"], rows, by_code)
        if row is None or row["local-authority-code"] in joined:
            unjoined.append(item)
        else:
            joined[row["local-authority-code"]] = item
    slugs = {item["fields"]["slug"] for item in existing}
    for row in rows:  # a council only the register has: a new record, with a slug of its own
        code = row["local-authority-code"]
        if code not in joined:
            slug = slugify(row["official-name"])[:150]
            if slug in slugs:
                slug = f"{slug[:140]}-{code.lower()}"
            slugs.add(slug)
            joined[code] = {"model": COUNCIL, "fields": {"slug": slug, "in_documents": False}}
    slug_of = {code: item["fields"]["slug"] for code, item in joined.items()}
    regions = _regions(rows, by_code)
    lineage = _successions(items)
    councils = [
        {**item, "discrepancies": [], "successors": lineage.get(item["fields"]["slug"], []), "source_id": id(item)}
        for item in unjoined
    ]
    councils += [
        _council(item, by_code[code], regions[code], slug_of, lineage.get(item["fields"]["slug"], []))
        for code, item in joined.items()
    ]
    return [_clean(c) for c in _in_fixture_order(councils, existing)], unjoined


def _successions(items: list[Item]) -> dict[str, list[str]]:
    """The successors the file gives each council (predecessor slug -> successor slugs): its
    succession records, or a council's ``successor`` as files before the lineage gave it."""
    found: dict[str, list[str]] = {}
    for item in items:
        if item["model"] == SUCCESSION:
            found.setdefault(item["fields"]["predecessor"][0], []).append(item["fields"]["successor"][0])
        elif item["model"] == COUNCIL and item["fields"].get("successor"):
            found.setdefault(item["fields"]["slug"], []).append(item["fields"]["successor"][0])
    return found


def _find(fields: dict[str, Any], rows: list[Row], by_code: dict[str, Row]) -> Row | None:
    """The register's row for a fixture council: by its register code, else its GSS code, else its
    name as the register's official name, else as one of the register's other names (only a match
    with exactly one row counts)."""
    if fields.get("register_code"):
        return by_code.get(fields["register_code"])
    if fields.get("gss_code"):
        found = [row for row in rows if row["gss-code"] == fields["gss_code"]]
        return found[0] if len(found) == 1 else None
    name = fields["name"].casefold()
    for matches in (
        [row for row in rows if row["official-name"].casefold() == name],
        [row for row in rows if name in {alt.strip().casefold() for alt in row["alt-names"].split(",")}],
    ):
        if len(matches) == 1:
            return matches[0]
    return None


def _regions(rows: list[Row], by_code: dict[str, Row]) -> dict[str, str]:
    """Each council's region: the register's, or where it is blank (some abolished councils) that
    of its successors, when they agree."""

    def region(row: Row, seen: frozenset[str]) -> str:
        if row["region"]:
            return REGIONS[row["region"]]
        successors = [by_code[code] for code in _successor_codes(row) if code not in seen]
        found = {region(s, seen | {row["local-authority-code"]}) for s in successors}
        if len(found) != 1 or "" in found:
            raise CommandError(f"The register gives {row['official-name']} no region, nor one its successors share.")
        return found.pop()

    return {row["local-authority-code"]: region(row, frozenset()) for row in rows}


def _successor_codes(row: Row) -> list[str]:
    return [code.strip() for code in row["replaced-by"].split(",") if code.strip()]


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def _council(item: Item, row: Row, region: str, slug_of: dict[str, str], successors_given: list[str]) -> Item:
    """One council's fixture item with the register's fields, its successors, and its
    disagreements with the register."""
    fields = dict(item["fields"])
    fields.pop("successor", None)  # files before the lineage: now ``successors_given``
    first_written = timezone.now().strftime("%Y-%m-%dT00:00:00Z")  # kept on later runs
    fields.setdefault("created_at", first_written)
    fields.setdefault("updated_at", first_written)
    successors = [slug_of[code] for code in _successor_codes(row)]
    population = _number(row["pop-2020"])
    lat, long = _number(row["lat"]), _number(row["long"])
    register = {
        "name": row["official-name"],
        "council_type": str(TYPES[row["local-authority-type"]]),
        "region": str(region),
        "gss_code": row["gss-code"],
        "abolished_on": row["end-date"] or None,
    }
    fields.update(
        register_code=row["local-authority-code"],
        established_on=_start_date(row),
        population=round(population) if population is not None else None,
        population_year=POPULATION_YEAR if population is not None else None,
        latitude=lat if long is not None else None,
        longitude=long if lat is not None else None,
    )
    discrepancies = []
    if fields.get("in_documents"):
        for name, value in register.items():
            mine = fields.get(name)
            if mine in (None, "", []):
                fields[name] = value  # the documents say nothing: the register's value fills it
            elif value not in (None, "") and mine != value:
                discrepancies.append({"field": name, "library_value": _text(mine), "register_value": _text(value)})
        if not successors_given:
            successors_given = successors  # the documents name none: the register's fill them
        elif successors and sorted(successors_given) != sorted(successors):
            discrepancies.append(
                {"field": "successor", "library_value": _text(successors_given), "register_value": _text(successors)}
            )
    else:
        fields.update(register, website=fields.get("website", ""), notes="")
        successors_given = successors
    if successors_given and not fields.get("abolished_on"):
        raise CommandError(f"{fields['name']} has successors but no end date: only an abolished council has them.")
    return {
        "model": COUNCIL,
        "fields": fields,
        "discrepancies": discrepancies,
        "successors": successors_given,
        "source_id": id(item),
    }


def _start_date(row: Row) -> str | None:
    """The register's start date, unless it is a day of 2005: no UK council came into existence in
    2005; those are the days the former official register listed a council (Aberdeenshire Council,
    created in 1996, has 2005-06-18), so they are left out rather than shown as its start."""
    date = row["start-date"]
    return None if not date or date.startswith(REGISTER_LISTING_YEAR) else date


def _text(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def _in_fixture_order(councils: list[Item], existing: list[Item]) -> list[Item]:
    """The fixture's own councils first, in its order, then the register's others by slug."""
    order = {id(item): n for n, item in enumerate(existing)}
    return sorted(councils, key=lambda c: (order.get(c["source_id"], len(order)), c["fields"]["slug"]))


def _clean(council: Item) -> Item:
    return {key: council[key] for key in ("model", "fields", "discrepancies", "successors")}


FIELD_ORDER = (
    "name",
    "slug",
    "in_documents",
    "council_type",
    "region",
    "register_code",
    "gss_code",
    "website",
    "established_on",
    "abolished_on",
    "population",
    "population_year",
    "latitude",
    "longitude",
    "notes",
)


def render(councils: Iterable[Item], others: list[Item]) -> str:
    """The fixture file: the councils, then their disagreements with the register, their
    successions, then the rest."""
    councils = list(councils)
    items: list[Item] = []
    for council in councils:
        fields = council["fields"]
        ordered = {name: fields.get(name, _default(name)) for name in FIELD_ORDER}
        ordered.update({name: value for name, value in fields.items() if name not in ordered})
        items.append({"model": COUNCIL, "fields": ordered})
    for council in councils:
        for discrepancy in council["discrepancies"]:
            items.append({"model": DISCREPANCY, "fields": {"council": [council["fields"]["slug"]], **discrepancy}})
    for council in councils:
        for successor in council["successors"]:
            items.append(
                {"model": SUCCESSION, "fields": {"predecessor": [council["fields"]["slug"]], "successor": [successor]}}
            )
    items.extend(others)
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def _default(name: str) -> Any:
    return {"in_documents": False, "website": "", "notes": "", "gss_code": "", "register_code": ""}.get(name)
