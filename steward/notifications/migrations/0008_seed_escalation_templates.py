"""Seed the message templates of incident escalations (to the new owner) in zh-Hans and
English.

Re-runnable: an existing template (perhaps reworded by an administrator) is left alone.
The reverse is a no-op so that reworded templates survive a rollback.
"""

from django.db import migrations

TEMPLATES = [
    (
        "incident.escalated",
        "zh-hans",
        "[{{ number }}] 故障已升级给您：{{ title }}",
        "{{ recipient_name }}，您好：\n\n{{ actor_name }} 将故障 {{ number }}「{{ title }}」"
        "{% if kind == 'functional' %}转派升级至 {{ team_name }}{% else %}升级至您"
        "（第 {{ level }} 级）{% endif %}。\n\n优先级：P{{ priority }}\n升级原因：{{ reason }}"
        "\n\n查看并处理：{{ link }}",
    ),
    (
        "incident.escalated",
        "en",
        "[{{ number }}] escalated to you: {{ title }}",
        "Hello {{ recipient_name }},\n\n{{ actor_name }} escalated {{ number }} \"{{ title }}\" "
        "{% if kind == 'functional' %}to {{ team_name }}{% else %}to you (level {{ level }})"
        "{% endif %}.\n\nPriority: P{{ priority }}\nReason: {{ reason }}"
        "\n\nOpen it: {{ link }}",
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
        ("notifications", "0007_seed_request_templates"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
