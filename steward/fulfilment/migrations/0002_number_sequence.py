"""On PostgreSQL, request numbers come from a sequence that never waits (``core.numbers``);
it starts after the last number handed out so far."""

from django.db import migrations

from steward.core.numbers import sequence_migration


class Migration(migrations.Migration):
    dependencies = [("fulfilment", "0001_service_request_approval_task_comment")]

    operations = [
        sequence_migration(
            app_label="fulfilment",
            prefix="REQ",
            sequence="fulfilment_number_req",
            counter="RequestNumberSequence",
            record="ServiceRequest",
        )
    ]
