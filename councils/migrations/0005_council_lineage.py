"""A council's one ``successor`` becomes its lineage, ``successors`` (a council divided between two
has both). Each successor is moved into a ``Succession`` row before the column goes.

A library loaded from the fixtures remembers a digest of each council as loaded, with its
``successor``; the fixture's councils no longer carry it (their successions are records of their
own). So that the next ``load_library`` can still tell an unedited council from a curator's edit
(and give the unedited ones the fixture's corrections, such as Cumbria's two successors instead of
a note), the digest of every council nobody changed since it was loaded is written again without
the field. An edited council keeps its old digest: its differences become fixture conflicts, as
before."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# The fields each council of fixtures/03_councils.json gave before this migration (its digest is of these).
FIXTURE_FIELDS_BEFORE = {
    "name", "slug", "in_documents", "council_type", "region", "register_code", "gss_code", "website",
    "established_on", "abolished_on", "successor", "population", "population_year", "latitude", "longitude",
    "notes", "created_at", "updated_at",
}  # fmt: skip


def move_successors_to_the_lineage(apps, schema_editor):
    from casestudies.management.commands.load_library import fixture_digest

    database = schema_editor.connection.alias
    Council = apps.get_model("councils", "Council")
    Succession = apps.get_model("councils", "Succession")
    LoadedFixture = apps.get_model("casestudies", "LoadedFixture")
    councils = Council.objects.using(database)
    Succession.objects.using(database).bulk_create(
        Succession(predecessor_id=pk, successor_id=successor)
        for pk, successor in councils.filter(successor__isnull=False).values_list("pk", "successor_id")
    )
    loaded = LoadedFixture.objects.using(database).filter(model="councils.council")
    digests = {row.object_id: row for row in loaded}
    changed = []
    for council in councils.filter(pk__in=list(digests)):
        row = digests[council.pk]
        if row.digest == fixture_digest(council, FIXTURE_FIELDS_BEFORE):
            row.digest = fixture_digest(council, FIXTURE_FIELDS_BEFORE - {"successor"})
            changed.append(row)
    LoadedFixture.objects.using(database).bulk_update(changed, ["digest"], batch_size=500)


def move_single_successors_back(apps, schema_editor):
    """Backwards: a council with one successor gets it back in ``successor``; one divided between
    several has none, as before (the digests are left: the next load lists any difference)."""
    database = schema_editor.connection.alias
    Council = apps.get_model("councils", "Council")
    Succession = apps.get_model("councils", "Succession")
    successors: dict[int, list[int]] = {}
    for old, new in Succession.objects.using(database).values_list("predecessor_id", "successor_id"):
        successors.setdefault(old, []).append(new)
    for old, new in successors.items():
        if len(new) == 1:
            Council.objects.using(database).filter(pk=old).update(successor_id=new[0])


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0004_council_register"),
        ("casestudies", "0016_loaded_fixture"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalSuccession",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
            ],
            options={
                "verbose_name": "historical succession",
                "verbose_name_plural": "historical successions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Succession",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ],
            options={
                "ordering": ["predecessor__name", "successor__name"],
            },
        ),
        migrations.AlterField(
            model_name="registerdiscrepancy",
            name="field",
            field=models.CharField(
                choices=[
                    ("name", "Name"),
                    ("council_type", "Council type"),
                    ("region", "Region"),
                    ("abolished_on", "Abolished on"),
                    ("successor", "Successors"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="historicalsuccession",
            name="history_user",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="historicalsuccession",
            name="predecessor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="councils.council",
            ),
        ),
        migrations.AddField(
            model_name="historicalsuccession",
            name="successor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="A council that took over (all or part of) the predecessor's work when it was abolished.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="councils.council",
            ),
        ),
        migrations.AddField(
            model_name="succession",
            name="predecessor",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="succession_links", to="councils.council"
            ),
        ),
        migrations.AddField(
            model_name="succession",
            name="successor",
            field=models.ForeignKey(
                help_text="A council that took over (all or part of) the predecessor's work when it was abolished.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="predecession_links",
                to="councils.council",
            ),
        ),
        migrations.AddField(
            model_name="council",
            name="successors",
            field=models.ManyToManyField(
                blank=True,
                help_text="The councils that took over when this one was abolished (several when it was divided).",
                related_name="predecessors",
                through="councils.Succession",
                through_fields=("predecessor", "successor"),
                to="councils.council",
            ),
        ),
        migrations.AddConstraint(
            model_name="succession",
            constraint=models.UniqueConstraint(fields=("predecessor", "successor"), name="succession_once_per_pair"),
        ),
        migrations.AddConstraint(
            model_name="succession",
            constraint=models.CheckConstraint(
                condition=models.Q(("predecessor", models.F("successor")), _negated=True),
                name="succession_not_own_successor",
            ),
        ),
        migrations.RunPython(move_successors_to_the_lineage, move_single_successors_back),
        migrations.RemoveConstraint(
            model_name="council",
            name="council_successor_needs_abolition_date",
        ),
        migrations.RemoveConstraint(
            model_name="council",
            name="council_not_own_successor",
        ),
        migrations.RemoveField(
            model_name="council",
            name="successor",
        ),
        migrations.RemoveField(
            model_name="historicalcouncil",
            name="successor",
        ),
    ]
