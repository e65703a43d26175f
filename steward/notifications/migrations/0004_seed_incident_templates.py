"""Seed the message templates of incident acknowledgement, replies and resolution in zh-Hans
and English.

Re-runnable: an existing template (perhaps reworded by an administrator) is left alone.
The reverse is a no-op so that reworded templates survive a rollback.
"""

from django.db import migrations

TEMPLATES = [
    (
        "incident.created",
        "zh-hans",
        "[{{ number }}] 已收到您的故障报告：{{ title }}",
        "{{ recipient_name }}，您好：\n\n我们已收到您报告的问题 {{ number }}「{{ title }}」。"
        "{% if due_at %}工程师将在 {{ due_at|date:'Y-m-d H:i' }} 前响应。"
        "{% else %}工程师会尽快响应。{% endif %}"
        "\n\n查看进度或补充信息：{{ link }}",
    ),
    (
        "incident.created",
        "en",
        "[{{ number }}] received: {{ title }}",
        "Hello {{ recipient_name }},\n\n{{ number }} \"{{ title }}\" received; "
        "{% if due_at %}an engineer will respond by {{ due_at|date:'Y-m-d H:i' }}."
        "{% else %}an engineer will respond as soon as possible.{% endif %}"
        "\n\nFollow it or add details: {{ link }}",
    ),
    (
        "incident.replied",
        "zh-hans",
        "[{{ number }}] {{ author_name }} 回复了您：{{ title }}",
        "{{ recipient_name }}，您好：\n\n{{ author_name }} 回复了 {{ number }}「{{ title }}」：\n\n"
        "{{ body }}\n\n回复或查看：{{ link }}",
    ),
    (
        "incident.replied",
        "en",
        "[{{ number }}] {{ author_name }} replied: {{ title }}",
        "Hello {{ recipient_name }},\n\n{{ author_name }} replied on {{ number }} "
        "\"{{ title }}\":\n\n{{ body }}\n\nReply or follow it: {{ link }}",
    ),
    (
        "incident.resolved",
        "zh-hans",
        "[{{ number }}] 已解决：{{ title }}",
        "{{ recipient_name }}，您好：\n\n{{ number }}「{{ title }}」已解决。"
        "{% if resolution_note %}\n\n处理说明：{{ resolution_note }}{% endif %}"
        "\n\n如果问题已经解决，您可以确认关闭；如果仍有问题，请在 "
        "{{ reopen_until|date:'Y-m-d H:i' }} 前重新打开：{{ link }}",
    ),
    (
        "incident.resolved",
        "en",
        "[{{ number }}] resolved: {{ title }}",
        "Hello {{ recipient_name }},\n\n{{ number }} \"{{ title }}\" is resolved."
        "{% if resolution_note %}\n\nWhat was done: {{ resolution_note }}{% endif %}"
        "\n\nIf it works again, please confirm and close it; if not, reopen it before "
        "{{ reopen_until|date:'Y-m-d H:i' }}: {{ link }}",
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
        ("notifications", "0003_seed_sla_templates"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
