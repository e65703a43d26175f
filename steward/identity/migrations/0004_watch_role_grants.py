from django.db import migrations

from steward.core.config_cache import WatchConfig


class Migration(migrations.Migration):
    """Role grants are read on every request: writes to them move the configuration stamp."""

    dependencies = [
        ("core", "0001_config_stamp"),
        ("identity", "0003_watch_config"),
    ]

    operations = [
        WatchConfig("identity_rolegrant"),
    ]
