"""Writes that touch several models at once."""

from __future__ import annotations

import codecs
import copy
import csv
import difflib
import hashlib
import hmac
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, IntegrityError, models, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify

from councils.models import Council
from transform_models.models import TransformationModel

from .models import (
    RESERVED_SLUGS,
    CaseStudy,
    CaseStudyCouncil,
    CaseStudyModel,
    Contact,
    ContactErasure,
    Programme,
    ServiceArea,
    Source,
    Suggestion,
)
from .publishing import COUNCILS, MODEL, SOURCE, SUMMARY, PublicationFacts, publishing_problems


@transaction.atomic
def case_study_set_status(
    *, case_study_ids: Iterable[int], status: str, refused: dict[str, dict[str, str]] | None = None
) -> int:
    """Publish or unpublish case studies; returns how many changed.

    A case study that breaks a publishing rule (casestudies/publishing.py) stays a draft; its title
    and the rules it breaks go into ``refused``. Saves row by row so that each change is recorded
    in the audit history.
    """
    changed = 0
    for case_study in CaseStudy.objects.filter(pk__in=list(case_study_ids)).exclude(status=status):
        if status == CaseStudy.Status.PUBLISHED:
            problems = publishing_problems(PublicationFacts.of(case_study))
            if problems:
                if refused is not None:
                    refused[case_study.title] = problems
                continue
        case_study.status = status
        case_study.version += 1  # a curator's open form is now stale (optimistic locking)
        case_study.save(update_fields=["status", "version", "updated_at"])
        changed += 1
    return changed


@transaction.atomic
def fixture_conflicts_apply(*, conflicts: Iterable[Any]) -> tuple[int, int]:
    """Give records the fixture's value of each conflicting field a curator chose to accept, as an
    ordinary save (so the history shows the decision); returns (applied, left for a curator)."""
    from django.apps import apps

    applied = left = 0
    for conflict in list(conflicts):
        model = apps.get_model(conflict.model)
        field = model._meta.get_field(conflict.field)
        if field.is_relation:
            left += 1
            continue
        record = model._default_manager.get(pk=conflict.object_id)
        setattr(record, field.attname, field.to_python(conflict.fixture_value))
        if hasattr(record, "version"):
            record.version += 1  # an open admin form of this record is now stale (optimistic locking)
        record.save()
        conflict.delete()
        applied += 1
    return applied, left


@transaction.atomic
def contacts_erase(*, contact_ids: Iterable[int], user: Any) -> int:
    """Erase contacts at their request: the rows, every history row that holds their details, and
    (through the database's derived rows) their trace in search; record that each erasure happened,
    without personal data. Returns how many were erased."""
    contacts = list(Contact.objects.filter(pk__in=list(contact_ids)))
    for contact in contacts:
        ContactErasure.objects.create(
            contact_id=contact.pk,
            case_study_id=contact.case_study_id,
            case_study_slug=contact.case_study.slug,
            position=contact.position,
            erased_by=user,
        )
    erase_contact_records([contact.pk for contact in contacts])
    return len(contacts)


def erase_contact_records(contact_ids: Iterable[int], *, using: str = "default") -> None:
    """Delete these contacts and their history rows (also used to re-apply erasures after a restore)."""
    ids = list(contact_ids)
    Contact.objects.using(using).filter(pk__in=ids).delete()
    Contact.history.using(using).filter(id__in=ids).delete()


@transaction.atomic
def contacts_mark_verified(*, contact_ids: Iterable[int], user: Any) -> int:
    """A curator checked these contacts' details today; returns how many were marked.

    Saves row by row so that each check is in the audit history with the curator."""
    today = timezone.localdate()
    count = 0
    for contact in Contact.objects.filter(pk__in=list(contact_ids)):
        contact.last_verified = today
        contact.verified_by = user
        contact.save(update_fields=["last_verified", "verified_by"])
        count += 1
    return count


@transaction.atomic
def contacts_set_public(*, contact_ids: Iterable[int], is_public: bool) -> int:
    """Show or hide contacts (personal data) without deleting them; returns how many changed.

    Saves row by row so each change is in the audit history (search, which indexes public contact
    names only, follows by itself: casestudies/derived.py).
    """
    count = 0
    for contact in Contact.objects.filter(pk__in=list(contact_ids)).exclude(is_public=is_public):
        contact.is_public = is_public
        contact.save(update_fields=["is_public"])
        count += 1
    return count


# Bulk import of case studies from CSV ---------------------------------------------------------

IMPORT_COLUMNS = [
    "title",
    "slug",
    "summary",
    "body",
    "start_year",
    "end_year",
    "is_ongoing",
    "status",
    "stage",
    "councils",
    "models",
    "service_areas",
    "programme",
    "source",
    "source_section",
    "not_classified_reason",
]
IMPORT_REQUIRED_COLUMNS = ["title", "slug", "summary", "councils"]
IMPORT_SCALAR_FIELDS = [
    "title",
    "summary",
    "body",
    "start_year",
    "end_year",
    "is_ongoing",
    "status",
    "stage",
    "programme",
    "source",
    "source_section",
    "not_classified_reason",
]
IMPORT_MAX_BYTES = 5 * 1024 * 1024
# The column a publishing rule's error points at.
IMPORT_RULE_COLUMNS = {SUMMARY: "summary", SOURCE: "source", COUNCILS: "councils", MODEL: "models"}
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


@dataclass
class ImportedRow:
    """What one row of the file does (or would do, in a dry run)."""

    line: int
    slug: str
    title: str
    action: str  # "create" or "update"
    changes: list[str] = field(default_factory=list)


@dataclass
class CaseStudyImport:
    """The outcome of an import: every row's action, or the errors that stopped it."""

    dry_run: bool
    rows: list[ImportedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Prepared:
    row: ImportedRow
    case_study: CaseStudy
    councils: list[Council]
    models: list[TransformationModel]
    service_areas: list[ServiceArea]


def _decode_csv(data: bytes) -> tuple[str | None, str | None]:
    """The file as text, or a message saying why it cannot be read."""
    if not data.strip():
        return None, "The file is empty."
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, (
            "The file is UTF-16 text. Save it as 'CSV UTF-8 (comma delimited)' in Excel, "
            "or with the character set 'Unicode (UTF-8)' in LibreOffice, and upload it again."
        )
    try:
        text = data.decode("utf-8-sig")  # tolerates the byte-order mark Excel writes
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, (
            f"The file is not UTF-8 text: line {line} has the byte 0x{data[error.start]:02x}, which is not "
            "UTF-8 (the file was probably saved as 'CSV (comma delimited)' in a Windows character set). "
            "Save it as 'CSV UTF-8 (comma delimited)' in Excel, or with the character set "
            "'Unicode (UTF-8)' in LibreOffice, and upload it again."
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, f"Line {line} contains a NUL character: this is not a text CSV file."
    return text, None


def _suggest(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def _slug_list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(";") if part.strip()]


class _RowReader:
    """Turns one CSV row into an unsaved case study and its relations, collecting errors."""

    def __init__(self, lookups: dict[str, dict[str, models.Model]], existing: dict[str, CaseStudy]) -> None:
        self.lookups = lookups
        self.existing = existing
        self.errors: list[str] = []

    def error(self, line: int, column: str | None, message: str) -> None:
        self.errors.append(f"line {line}, column {column}: {message}" if column else f"line {line}: {message}")

    def year(self, line: int, column: str, raw: str) -> int | None:
        raw = raw.strip()
        if not raw:
            return None
        if not raw.isdigit():
            self.error(line, column, f"'{raw}' is not a year: write it as four digits, e.g. 2016, or leave it blank.")
            return None
        return int(raw)

    def flag(self, line: int, column: str, raw: str) -> bool:
        value = raw.strip().lower()
        if value in _YES:
            return True
        if value not in _NO:
            self.error(line, column, f"'{raw}' is not yes or no.")
        return False

    def choice(self, line: int, column: str, raw: str, choices: type[models.TextChoices], default: str) -> str:
        value = raw.strip().lower() or default
        if value not in choices.values:
            self.error(line, column, f"'{raw}' is not one of: {', '.join(choices.values)}.")
            return default
        return value

    def related(self, line: int, column: str, raw: str, kind: str) -> list[models.Model]:
        table = self.lookups[kind]
        found, seen = [], set()
        for slug in _slug_list(raw):
            if slug in seen:
                self.error(line, column, f"'{slug}' is listed twice.")
                continue
            seen.add(slug)
            if slug not in table:
                self.error(line, column, f"no {kind} with slug '{slug}'.{_suggest(slug, table)}")
                continue
            found.append(table[slug])
        return found

    def read(self, line: int, values: dict[str, str]) -> _Prepared | None:
        before = len(self.errors)
        slug = values.get("slug", "").strip()
        existing = self.existing.get(slug)
        case_study = copy.copy(existing) if existing else CaseStudy()
        case_study.slug = slug
        for name in ("title", "summary", "body", "source_section", "not_classified_reason"):
            setattr(case_study, name, values.get(name, "").strip())
        case_study.start_year = self.year(line, "start_year", values.get("start_year", ""))
        case_study.end_year = self.year(line, "end_year", values.get("end_year", ""))
        case_study.is_ongoing = self.flag(line, "is_ongoing", values.get("is_ongoing", ""))
        case_study.status = self.choice(line, "status", values.get("status", ""), CaseStudy.Status, "draft")
        case_study.stage = self.choice(line, "stage", values.get("stage", ""), CaseStudy.Stage, "implemented")
        programmes = self.related(line, "programme", values.get("programme", ""), "programme")
        if len(programmes) > 1:
            self.error(line, "programme", "give one programme slug at most.")
        case_study.programme = programmes[0] if programmes else None
        if "source" in values:  # without the column, an update keeps the source it has
            sources = self.related(line, "source", values["source"], "source")
            if len(sources) > 1:
                self.error(line, "source", "give one source slug at most (add further reading in the admin).")
            case_study.source = sources[0] if sources else None
        councils = self.related(line, "councils", values.get("councils", ""), "council")
        if not _slug_list(values.get("councils", "")):
            self.error(line, "councils", "give at least one council slug (the first is the lead council).")
        transformation_models = self.related(line, "models", values.get("models", ""), "model")
        service_areas = self.related(line, "service_areas", values.get("service_areas", ""), "service area")
        if case_study.status == CaseStudy.Status.PUBLISHED and len(self.errors) == before:
            facts = PublicationFacts(
                summary=case_study.summary,
                has_source=case_study.source_id is not None
                or (existing is not None and existing.further_reading.exists()),
                council_count=len(councils),
                model_count=len(transformation_models),
                not_classified_reason=case_study.not_classified_reason,
            )
            for rule, message in publishing_problems(facts).items():
                self.error(line, IMPORT_RULE_COLUMNS[rule], f"{message} (or import it with status draft)")
        try:
            case_study.full_clean(exclude=["version"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.error(line, None if name == NON_FIELD_ERRORS else name, message)
        if len(self.errors) > before:
            return None
        row = ImportedRow(line=line, slug=slug, title=case_study.title, action="update" if existing else "create")
        if existing:
            row.changes = _changes(existing, case_study, councils, transformation_models, service_areas)
        return _Prepared(row, case_study, councils, transformation_models, service_areas)


def _changes(
    before: CaseStudy,
    after: CaseStudy,
    councils: list[Council],
    transformation_models: list[TransformationModel],
    service_areas: list[ServiceArea],
) -> list[str]:
    changed = [name for name in IMPORT_SCALAR_FIELDS if getattr(before, name) != getattr(after, name)]
    old_councils = [link.council.slug for link in sorted(before.council_links.all(), key=_council_order)]
    if old_councils != [council.slug for council in councils]:
        changed.append("councils")
    old_models = [link.model.slug for link in sorted(before.model_links.all(), key=lambda link: not link.is_primary)]
    if old_models[:1] != [m.slug for m in transformation_models][:1] or set(old_models) != {
        m.slug for m in transformation_models
    }:
        changed.append("models")
    if {area.slug for area in before.service_areas.all()} != {area.slug for area in service_areas}:
        changed.append("service_areas")
    return changed


def _council_order(link: CaseStudyCouncil) -> tuple[int, int]:
    return (0 if link.role == CaseStudyCouncil.Role.LEAD else 1, link.position)


def _read_rows(text: str, result: CaseStudyImport) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        result.errors.append(f"line 1: the header row cannot be read ({error}).")
        return []
    columns = [name.strip().lower() for name in header]
    for name in columns:
        if name not in IMPORT_COLUMNS:
            result.errors.append(
                f"line 1: unknown column '{name}'.{_suggest(name, IMPORT_COLUMNS)} "
                f"The columns are: {', '.join(IMPORT_COLUMNS)}."
            )
        elif columns.count(name) > 1:
            result.errors.append(f"line 1: the column '{name}' appears twice.")
    for name in IMPORT_REQUIRED_COLUMNS:
        if name not in columns:
            result.errors.append(f"line 1: the required column '{name}' is missing.")
    if result.errors:
        return []
    rows: list[tuple[int, dict[str, str]]] = []
    start = reader.line_num + 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                if len(record) > len(columns):
                    result.errors.append(
                        f"line {start}: {len(record)} values but {len(columns)} columns "
                        "(a comma inside a value needs the value in double quotes)."
                    )
                else:
                    rows.append((start, dict(zip(columns, record, strict=False))))
            start = reader.line_num + 1
    except csv.Error as error:
        result.errors.append(f"line {start}: {error}.")
    if not rows and not result.errors:
        result.errors.append("The file has a header row but no case studies.")
    return rows


def case_studies_import_csv(*, data: bytes, dry_run: bool = False, user: Any = None) -> CaseStudyImport:
    """Create or update case studies from a CSV file (columns in docs/curation.md).

    Every row is checked before anything is written; if any row has an error nothing is
    written (one transaction) and every error is reported with its line number. A row whose
    slug exists updates that case study. With ``dry_run`` nothing is written either way.
    """
    result = CaseStudyImport(dry_run=dry_run)
    if len(data) > IMPORT_MAX_BYTES:
        result.errors.append(f"The file is larger than {IMPORT_MAX_BYTES // (1024 * 1024)} MB: split it.")
        return result
    text, problem = _decode_csv(data)
    if problem:
        result.errors.append(problem)
        return result
    rows = _read_rows(text, result)
    if result.errors:
        return result

    first_line: dict[str, int] = {}
    for line, values in rows:
        slug = values.get("slug", "").strip()
        if slug and slug in first_line:
            result.errors.append(
                f"line {line}, column slug: '{slug}' is also on line {first_line[slug]}; list each case study once."
            )
        first_line.setdefault(slug, line)

    lookups: dict[str, dict[str, models.Model]] = {
        "council": {c.slug: c for c in Council.objects.only("pk", "slug", "name")},
        "model": {m.slug: m for m in TransformationModel.objects.only("pk", "slug", "name")},
        "service area": {s.slug: s for s in ServiceArea.objects.only("pk", "slug", "name")},
        "programme": {p.slug: p for p in Programme.objects.only("pk", "slug", "name")},
        "source": {s.slug: s for s in Source.objects.only("pk", "slug", "title")},
    }
    existing = {
        case.slug: case
        for case in CaseStudy.objects.filter(slug__in=list(first_line)).prefetch_related(
            Prefetch("council_links", queryset=CaseStudyCouncil.objects.select_related("council")),
            Prefetch("model_links", queryset=CaseStudyModel.objects.select_related("model")),
            "service_areas",
        )
    }
    reader = _RowReader(lookups, existing)
    prepared = [item for line, values in rows if (item := reader.read(line, values)) is not None]
    result.errors.extend(reader.errors)
    result.errors.sort(key=_error_line)
    result.rows = [item.row for item in prepared]
    if result.errors or dry_run:
        return result

    current_line = 0
    try:
        with transaction.atomic():
            for item in prepared:
                current_line = item.row.line
                _write(item, user)
    except DatabaseError as error:
        result.errors.append(f"line {current_line}: the database refused this row ({error}). Nothing was imported.")
        return result
    result.written = True
    return result


def _error_line(message: str) -> int:
    head = message.split(",", 1)[0].split(":", 1)[0]
    digits = "".join(ch for ch in head if ch.isdigit())
    return int(digits) if digits else 0


def _attribute(obj: models.Model, user: Any) -> models.Model:
    """Record ``user`` as the author of this change in the audit history."""
    if user is not None:
        obj._history_user = user
    return obj


def _write(item: _Prepared, user: Any) -> None:
    case_study = _attribute(item.case_study, user)
    if item.row.action == "update":
        case_study.version += 1  # a curator's open form is now stale (optimistic locking)
    case_study.save()

    wanted = [
        (council, CaseStudyCouncil.Role.LEAD if index == 0 else CaseStudyCouncil.Role.PARTNER, index + 1)
        for index, council in enumerate(item.councils)
    ]
    links = {link.council_id: link for link in CaseStudyCouncil.objects.filter(case_study=case_study)}
    for council, role, position in wanted:
        link = links.pop(council.pk, None) or CaseStudyCouncil(case_study=case_study, council=council)
        if link.pk is None or (link.role, link.position) != (role, position):
            link.role, link.position = role, position
            _attribute(link, user).save()
    for link in links.values():
        _attribute(link, user).delete()

    primary = item.models[0].pk if item.models else None
    model_links = {link.model_id: link for link in CaseStudyModel.objects.filter(case_study=case_study)}
    for model_id, link in list(model_links.items()):
        # Removed links and demoted primaries first: at most one primary at any moment.
        keep = any(m.pk == model_id for m in item.models)
        if not keep or (link.is_primary and model_id != primary):
            _attribute(link, user)
            if keep:
                link.is_primary = False
                link.save()
            else:
                link.delete()
                del model_links[model_id]
    for model in item.models:
        link = model_links.get(model.pk) or CaseStudyModel(case_study=case_study, model=model)
        if link.pk is None or link.is_primary != (model.pk == primary):
            link.is_primary = model.pk == primary
            _attribute(link, user).save()

    case_study.service_areas.set(item.service_areas)


# Suggestions ----------------------------------------------------------------------------------------

SUGGESTIONS_PER_HOUR = 3


def address_hash(address: str) -> str:
    """A keyed hash of a client address: enough to count one sender's suggestions, not to find them."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def suggestion_submit(*, form: Any, address: str) -> Suggestion | None:
    """Save a valid suggestion with a new reference, or return ``None`` when this address has sent
    ``SUGGESTIONS_PER_HOUR`` in the last hour (the form then gets an error)."""
    hashed = address_hash(address)
    if Suggestion.objects.recent_from(hashed).count() >= SUGGESTIONS_PER_HOUR:
        return None
    suggestion = form.save(commit=False)
    suggestion.address_hash = hashed
    for _attempt in range(5):
        suggestion.reference = "S-" + "".join(secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(6))
        try:
            with transaction.atomic():
                suggestion.save()
            return suggestion
        except IntegrityError:  # that reference is taken: draw another
            continue
    raise RuntimeError("Could not draw a free suggestion reference")


def suggestion_make_draft(*, suggestion: Suggestion, user: Any) -> CaseStudy:
    """Turn a suggestion into a *draft* case study (never published here): its title, what the council
    did as the summary and body, the council as lead. Figures and sources stay on the suggestion for
    the curator to enter with their sentences; the contact is not copied (it was given to reply)."""
    with transaction.atomic():
        base = slugify(suggestion.title)[:140] or "suggested-case-study"
        slug, number = base, 2
        while CaseStudy.objects.filter(slug=slug).exists() or slug in RESERVED_SLUGS:
            slug, number = f"{base}-{number}", number + 1
        case_study = _attribute(
            CaseStudy(
                title=suggestion.title,
                slug=slug,
                summary=suggestion.what_they_did,
                body=suggestion.what_they_did,
                status=CaseStudy.Status.DRAFT,
            ),
            user,
        )
        case_study.save()
        _attribute(CaseStudyCouncil(case_study=case_study, council=suggestion.council), user).save()
        suggestion.status = Suggestion.Status.DRAFTED
        suggestion.case_study = case_study
        suggestion.save(update_fields=["status", "case_study"])
    return case_study
