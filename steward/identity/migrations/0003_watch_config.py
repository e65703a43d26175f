from django.db import migrations

from steward.core.config_cache import WatchConfig


class Migration(migrations.Migration):
    """Writes to the configuration every ticket reads move the configuration stamp."""

    dependencies = [
        ("core", "0001_config_stamp"),
        ("identity", "0002_site_group"),
    ]

    operations = [
        WatchConfig("identity_team", "identity_sitegroup", "identity_sitegroup_sites"),
    ]
