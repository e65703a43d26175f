"""On PostgreSQL, incident numbers come from a sequence that never waits (see
``services/numbering.py``); it starts after the last number handed out so far."""

from django.db import migrations
from django.db.models.functions import Length

SEQUENCE = "incidents_number_inc"


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    alias = schema_editor.connection.alias
    NumberSequence = apps.get_model("incidents", "NumberSequence")
    Incident = apps.get_model("incidents", "Incident")
    row = NumberSequence.objects.using(alias).filter(prefix="INC").first()
    last = row.last_value if row else 0
    highest = (
        Incident.objects.using(alias)
        .filter(number__startswith="INC-")
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    if highest:
        last = max(last, int(highest.split("-", 1)[1]))
    schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} AS bigint")
    schema_editor.execute("SELECT setval(%s, %s, %s)", [SEQUENCE, max(last, 1), last > 0])


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0008_watch_config")]

    operations = [migrations.RunPython(create_sequence, drop_sequence)]
