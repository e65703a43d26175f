"""Seed the message templates of SLA warnings and breaches in zh-Hans and English.

Re-runnable: an existing template (perhaps reworded by an administrator) is left alone.
"""

from django.db import migrations

METRIC_ZH = (
    '{% if metric == "first_response" %}首次响应{% elif metric == "resolution" %}解决'
    "{% else %}交付{% endif %}"
)
METRIC_EN = '{% if metric == "first_response" %}first response{% elif metric == "resolution" %}resolution{% else %}fulfilment{% endif %}'

TEMPLATES = [
    (
        "sla.warning",
        "zh-hans",
        "[{{ number }}] SLA 预警：" + METRIC_ZH + "已用 {{ percent }}%",
        "{{ recipient_name }}，您好：\n\n{{ number }}「{{ title }}」的" + METRIC_ZH
        + "时限已用去 {{ percent }}%（协议 {{ agreement }}）。"
        "\n\n请尽快处理：{{ link }}",
    ),
    (
        "sla.warning",
        "en",
        "[{{ number }}] SLA warning: " + METRIC_EN + " {{ percent }}% used",
        "Hello {{ recipient_name }},\n\n{{ percent }}% of the " + METRIC_EN
        + " time of {{ number }} \"{{ title }}\" is used (agreement {{ agreement }})."
        "\n\nPlease act now: {{ link }}",
    ),
    (
        "sla.breached",
        "zh-hans",
        "[{{ number }}] SLA 已违约：" + METRIC_ZH,
        "{{ recipient_name }}，您好：\n\n{{ number }}「{{ title }}」的" + METRIC_ZH
        + "时限已于 {{ due_at|date:'Y-m-d H:i' }} 到期（协议 {{ agreement }}）。"
        "\n\n请立即处理并升级：{{ link }}",
    ),
    (
        "sla.breached",
        "en",
        "[{{ number }}] SLA breached: " + METRIC_EN,
        "Hello {{ recipient_name }},\n\nThe " + METRIC_EN + " target of {{ number }} "
        "\"{{ title }}\" expired at {{ due_at|date:'Y-m-d H:i' }} (agreement {{ agreement }})."
        "\n\nAct and escalate now: {{ link }}",
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
        ("notifications", "0002_seed_message_templates"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
