from django.db import migrations

from steward.core.config_cache import WatchConfig


class Migration(migrations.Migration):
    """Writes to the configuration every ticket reads move the configuration stamp."""

    dependencies = [
        ("core", "0001_config_stamp"),
        ("sla", "0004_service_hours"),
    ]

    operations = [
        WatchConfig("sla_agreement", "sla_agreementmetric", "sla_businesscalendar"),
    ]
