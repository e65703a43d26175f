"""Seed the message templates of major-incident updates and of the overdue-update reminder in
zh-Hans and English.

Re-runnable: an existing template (perhaps reworded by an administrator) is left alone.
The reverse is a no-op so that reworded templates survive a rollback.
"""

from django.db import migrations

TEMPLATES = [
    (
        "incident.major_update",
        "zh-hans",
        "[重大故障 {{ number }}] 进展通报：{{ title }}",
        "{{ recipient_name }}，您好：\n\n重大故障 {{ number }}「{{ title }}」（当前状态：{{ status }}）"
        "的最新进展：\n\n{{ message }}\n\n—— {{ author_name }}，{{ written_at|date:'Y-m-d H:i' }}",
    ),
    (
        "incident.major_update",
        "en",
        "[Major incident {{ number }}] update: {{ title }}",
        "Hello {{ recipient_name }},\n\nAn update on major incident {{ number }} \"{{ title }}\" "
        "(now {{ status }}):\n\n{{ message }}\n\n— {{ author_name }}, "
        "{{ written_at|date:'Y-m-d H:i' }}",
    ),
    (
        "incident.major_update_due",
        "zh-hans",
        "[重大故障 {{ number }}] 进展通报已到期：{{ title }}",
        "{{ recipient_name }}，您好：\n\n重大故障 {{ number }}「{{ title }}」的进展通报应在 "
        "{{ due_at|date:'Y-m-d H:i' }} 发出，尚未填写。请尽快发布进展：{{ link }}",
    ),
    (
        "incident.major_update_due",
        "en",
        "[Major incident {{ number }}] update due: {{ title }}",
        "Hello {{ recipient_name }},\n\nThe update on major incident {{ number }} \"{{ title }}\" "
        "was due at {{ due_at|date:'Y-m-d H:i' }} and has not been written. Please post it: "
        "{{ link }}",
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
        ("notifications", "0008_seed_escalation_templates"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
