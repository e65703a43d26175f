"""Seed the default priority matrix: ITIL's 3 × 3 impact × urgency → 5 priorities.

Re-runnable: a cell an administrator already changed is left alone. The reverse is a no-op so
that an edited matrix survives a rollback.
"""

from django.db import migrations

DEFAULT = {
    (1, 1): 1,
    (1, 2): 2,
    (1, 3): 3,
    (2, 1): 2,
    (2, 2): 3,
    (2, 3): 4,
    (3, 1): 3,
    (3, 2): 4,
    (3, 3): 5,
}


def seed(apps, schema_editor):
    PriorityRule = apps.get_model("incidents", "PriorityRule")
    for (impact, urgency), priority in DEFAULT.items():
        PriorityRule.objects.get_or_create(
            impact=impact, urgency=urgency, defaults={"priority": priority}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_incident_comment_priority_matrix_policy"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
