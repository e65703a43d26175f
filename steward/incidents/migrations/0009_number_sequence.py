"""On PostgreSQL, incident numbers come from a sequence that never waits (``core.numbers``);
it starts after the last number handed out so far."""

from django.db import migrations

from steward.core.numbers import sequence_migration


class Migration(migrations.Migration):
    dependencies = [("incidents", "0008_watch_config")]

    operations = [
        sequence_migration(
            app_label="incidents",
            prefix="INC",
            sequence="incidents_number_inc",
            counter="NumberSequence",
            record="Incident",
        )
    ]
