from django.db import migrations

from steward.core.config_cache import WatchConfig


class Migration(migrations.Migration):
    """Writes to the configuration every ticket reads move the configuration stamp."""

    dependencies = [
        ("core", "0001_config_stamp"),
        ("notifications", "0010_seed_major_incident_lifecycle_templates"),
    ]

    operations = [
        WatchConfig("notifications_messagetemplate"),
    ]
