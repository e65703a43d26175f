"""Seed the activity types of time entries (zh-Hans name, English name).

Re-runnable: existing types are left alone. The reverse is a no-op.
"""

from django.db import migrations

TYPES = [
    ("diagnosis", "排查诊断", "Diagnosis", 10),
    ("remote", "远程处理", "Remote fix", 20),
    ("onsite", "现场处理", "On-site work", 30),
    ("travel", "路途", "Travel", 40),
    ("vendor", "对接供应商", "Vendor liaison", 50),
    ("communication", "沟通协调", "Communication", 60),
    ("documentation", "文档记录", "Documentation", 70),
]


def seed(apps, schema_editor):
    ActivityType = apps.get_model("workitems", "ActivityType")
    for code, name, name_en, position in TYPES:
        ActivityType.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workitems", "0002_time_entries"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
