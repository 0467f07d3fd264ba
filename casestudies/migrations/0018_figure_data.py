"""Data for the new figure fields: a figure's one council becomes its applies_to, and kinds that have
no status lose the meaningless one. Its own migration: PostgreSQL will not alter a table with
rows written in the same transaction.

It also keeps ``load_library`` able to tell which figures and outcomes nobody has edited since they
were loaded (docs/curation.md): their ``LoadedFixture`` digest covered the fixture's fields as they
were; the shipped fixtures now give more fields (and no ``council``). Where the old digest still
matches the record, it is replaced by the digest of the same record over the new fields, so that
the shipped corrections reach it; a record someone edited keeps its old digest (a conflict to
decide, as before). The digest is computed as ``load_library`` computes it (a frozen copy)."""

import hashlib
import json

from django.db import migrations

FIGURE_FIELDS_BEFORE = [
    "case_study",
    "council",
    "position",
    "kind",
    "label",
    "measure",
    "amount_low",
    "amount_high",
    "percent_low",
    "percent_high",
    "period",
    "period_years",
    "period_start_year",
    "period_end_year",
    "status",
    "quote",
]
FIGURE_FIELDS_AFTER = [
    *(name for name in FIGURE_FIELDS_BEFORE if name != "council"),
    "applies_to",
    "recurrence",
    "part_of",
    "evidence",
]
OUTCOME_FIELDS_BEFORE = ["case_study", "council", "position", "metric", "value", "unit", "status", "quote"]
OUTCOME_FIELDS_AFTER = [*OUTCOME_FIELDS_BEFORE, "baseline", "baseline_year", "value_year"]

# Kinds whose figures have no status (a cost, a budget cut faced, other bodies' money): as of this migration.
NO_STATUS_KINDS = ["budget_reduction", "cost", "external_investment"]


def _digest(instance, names):
    """``load_library``'s digest of ``instance`` over the fixture fields ``names`` (frozen copy)."""
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = ", ".join(sorted(str(pk) for pk in getattr(instance, name).values_list("pk", flat=True)))
        else:
            values[name] = field.value_to_string(instance)
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def _unedited(apps, db, label, before):
    """The records of ``label`` whose loaded digest still matches them over the ``before`` fields."""
    model = apps.get_model(*label.split("."))
    loaded = apps.get_model("casestudies", "LoadedFixture").objects.using(db).filter(model=label)
    records = model.objects.using(db).in_bulk([row.object_id for row in loaded])
    return [
        (row, records[row.object_id])
        for row in loaded
        if row.object_id in records and row.digest == _digest(records[row.object_id], before)
    ]


def migrate_figure_data(apps, schema_editor):
    db = schema_editor.connection.alias
    unedited = [
        (row, FIGURE_FIELDS_AFTER) for row, _ in _unedited(apps, db, "casestudies.figure", FIGURE_FIELDS_BEFORE)
    ] + [(row, OUTCOME_FIELDS_AFTER) for row, _ in _unedited(apps, db, "casestudies.outcome", OUTCOME_FIELDS_BEFORE)]
    council_to_applies_to(apps, schema_editor)
    blank_meaningless_status(apps, schema_editor)
    for row, after in unedited:
        model = apps.get_model(*row.model.split("."))
        row.digest = _digest(model.objects.using(db).get(pk=row.object_id), after)
        row.save(update_fields=["digest"])


def council_to_applies_to(apps, schema_editor):
    """A figure's one council becomes its only ``applies_to`` council."""
    Figure = apps.get_model("casestudies", "Figure")
    through = Figure.applies_to.through
    db = schema_editor.connection.alias
    rows = Figure.objects.using(db).filter(council__isnull=False).values_list("pk", "council_id")
    links = [through(figure_id=pk, council_id=council) for pk, council in rows]
    through.objects.using(db).bulk_create(links, ignore_conflicts=True)


def applies_to_to_council(apps, schema_editor):
    """Back, for the schema before: a figure that applies to exactly one council gets it as its
    council (the links go with their table); the old schema wants a status on every figure
    (achieved or expected), so a blank one becomes achieved, as it was, and a target expected; it
    has no kind for others' investment, so that becomes an investment, as it was."""
    Figure = apps.get_model("casestudies", "Figure")
    db = schema_editor.connection.alias
    for figure in Figure.objects.using(db).prefetch_related("applies_to"):
        councils = list(figure.applies_to.all())
        if len(councils) == 1:
            Figure.objects.using(db).filter(pk=figure.pk).update(council=councils[0])
    Figure.applies_to.through.objects.using(db).all().delete()
    Figure.objects.using(db).filter(status="").update(status="achieved")
    Figure.objects.using(db).filter(status="target").update(status="expected")
    Figure.objects.using(db).filter(kind="external_investment").update(kind="investment")


def blank_meaningless_status(apps, schema_editor):
    """Costs, budget reductions and others' investment are not achieved or expected: no status."""
    Figure = apps.get_model("casestudies", "Figure")
    Figure.objects.using(schema_editor.connection.alias).filter(kind__in=NO_STATUS_KINDS).update(status="")


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0017_figures_truth")]

    operations = [
        migrations.RunPython(migrate_figure_data, applies_to_to_council),
    ]
