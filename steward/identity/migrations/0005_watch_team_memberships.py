from django.db import migrations

from steward.core.config_cache import WatchConfig


class Migration(migrations.Migration):
    """Team membership is read for every ticket shown to an agent (what they may do with it):
    writes to it move the configuration stamp."""

    dependencies = [
        ("core", "0001_config_stamp"),
        ("identity", "0004_watch_role_grants"),
    ]

    operations = [
        WatchConfig("identity_teammembership"),
    ]
