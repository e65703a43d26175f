from django.db import migrations

from steward.core.config_cache import WatchConfig


class Migration(migrations.Migration):
    """Writes to the configuration every ticket reads move the configuration stamp."""

    dependencies = [
        ("core", "0001_config_stamp"),
        ("incidents", "0007_incident_triage"),
    ]

    operations = [
        WatchConfig("incidents_routingrule", "incidents_priorityrule", "incidents_incidentpolicy"),
    ]
