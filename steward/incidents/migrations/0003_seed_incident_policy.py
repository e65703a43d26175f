"""Seed the incident policy row (reopen window 7 days, auto-close after 7 days, no default
team) and the INC number sequence, starting after any number already in use.

Re-runnable: existing rows are left alone. The reverse is a no-op.
"""

from django.db import migrations


def seed(apps, schema_editor):
    IncidentPolicy = apps.get_model("incidents", "IncidentPolicy")
    NumberSequence = apps.get_model("incidents", "NumberSequence")
    Incident = apps.get_model("incidents", "Incident")
    IncidentPolicy.objects.get_or_create(
        pk=1, defaults={"reopen_window_days": 7, "auto_close_days": 7}
    )
    if not NumberSequence.objects.filter(prefix="INC").exists():
        numbers = Incident.objects.filter(number__startswith="INC-").values_list(
            "number", flat=True
        )
        highest = max((int(n.split("-", 1)[1]) for n in numbers if n[4:].isdigit()), default=0)
        NumberSequence.objects.create(prefix="INC", last_value=highest)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0002_seed_priority_matrix"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
