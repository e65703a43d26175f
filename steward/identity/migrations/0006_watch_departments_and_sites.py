from django.db import migrations

from steward.core.config_cache import WatchConfig


class Migration(migrations.Migration):
    """A new ticket records its requester's department and site, and SLA matching walks the
    department's ancestors: both are read from the configuration cache, so writes to them
    move the configuration stamp."""

    dependencies = [
        ("core", "0001_config_stamp"),
        ("identity", "0005_watch_team_memberships"),
    ]

    operations = [
        WatchConfig("identity_department", "identity_site"),
    ]
