"""Seed the message templates of warranty and licence end reminders in zh-Hans and English.

Re-runnable: an existing template (perhaps reworded by an administrator) is left alone.
The reverse is a no-op so that reworded templates survive a rollback.
"""

from django.db import migrations

TEMPLATES = [
    (
        "cmdb.warranty_ending",
        "zh-hans",
        "[{{ asset_tag }}] 保修将于 {{ ends_on|date:'Y-m-d' }} 到期：{{ name }}",
        "{{ recipient_name }}，您好：\n\n资产 {{ asset_tag }}「{{ name }}」"
        "{% if ci_id %}（配置项 {{ ci_id }} {{ ci_name }}）{% endif %}"
        "的保修将于 {{ ends_on|date:'Y-m-d' }} 到期，还有 {{ days_before }} 天以内。"
        "{% if supplier %}供应商：{{ supplier }}。{% endif %}"
        "\n\n请决定续保、更换或接受无保修运行：{{ link }}",
    ),
    (
        "cmdb.warranty_ending",
        "en",
        "[{{ asset_tag }}] warranty ends {{ ends_on|date:'Y-m-d' }}: {{ name }}",
        "Hello {{ recipient_name }},\n\nThe warranty of asset {{ asset_tag }} \"{{ name }}\""
        "{% if ci_id %} (CI {{ ci_id }} {{ ci_name }}){% endif %} ends on "
        "{{ ends_on|date:'Y-m-d' }}, within {{ days_before }} days."
        "{% if supplier %} Supplier: {{ supplier }}.{% endif %}"
        "\n\nPlease decide whether to extend it, replace the item or run it without "
        "warranty: {{ link }}",
    ),
    (
        "cmdb.licence_ending",
        "zh-hans",
        "[{{ code }}] 许可将于 {{ ends_on|date:'Y-m-d' }} 到期：{{ product }}",
        "{{ recipient_name }}，您好：\n\n软件许可 {{ code }}「{{ product }}」将于 "
        "{{ ends_on|date:'Y-m-d' }} 到期，还有 {{ days_before }} 天以内；"
        "已安装 {{ installed }} 套，授权 {{ entitlements }} 套。"
        "{% if supplier %}供应商：{{ supplier }}。{% endif %}"
        "\n\n请安排续订或卸载：{{ link }}",
    ),
    (
        "cmdb.licence_ending",
        "en",
        "[{{ code }}] licence ends {{ ends_on|date:'Y-m-d' }}: {{ product }}",
        "Hello {{ recipient_name }},\n\nThe licence {{ code }} \"{{ product }}\" ends on "
        "{{ ends_on|date:'Y-m-d' }}, within {{ days_before }} days; {{ installed }} of "
        "{{ entitlements }} entitled installations are in use."
        "{% if supplier %} Supplier: {{ supplier }}.{% endif %}"
        "\n\nPlease renew it or plan the uninstallation: {{ link }}",
    ),
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for event, language, subject, body in TEMPLATES:
        MessageTemplate.objects.get_or_create(
            event=event, language=language, defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0005_seed_satisfaction_templates"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
