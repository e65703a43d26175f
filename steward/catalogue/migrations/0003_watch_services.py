from django.db import migrations

from steward.core.config_cache import WatchConfig


class Migration(migrations.Migration):
    """Every new ticket reads its service: writes to services move the configuration stamp."""

    dependencies = [
        ("core", "0001_config_stamp"),
        ("catalogue", "0002_approval_kind_department_head"),
    ]

    operations = [
        WatchConfig("catalogue_service"),
    ]
