"""The built-in 24 × 7 calendar (code 24X7), present on every installation."""

from django.db import migrations


def create(apps, schema_editor):
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    BusinessCalendar.objects.get_or_create(
        code="24X7",
        defaults={"name": "全天候", "name_en": "24 × 7", "kind": "always",
                  "time_zone": "Asia/Shanghai"},
    )


class Migration(migrations.Migration):
    dependencies = [("sla", "0002_agreement_compliance_target")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
