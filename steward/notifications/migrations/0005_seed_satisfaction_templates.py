"""Seed the message templates of the satisfaction survey invitation and of a complaint for its
owner and of its outcome for the requester, in zh-Hans and English.

Re-runnable: an existing template (perhaps reworded by an administrator) is left alone.
The reverse is a no-op so that reworded templates survive a rollback.
"""

from django.db import migrations

TEMPLATES = [
    (
        "satisfaction.invited",
        "zh-hans",
        "[{{ number }}] 请评价本次服务：{{ title }}",
        "{{ recipient_name }}，您好：\n\n{{ number }}「{{ title }}」已处理完毕。"
        "请花半分钟为本次服务打分（1–5 分），您的意见会帮助我们改进。\n\n"
        "评价链接（无需登录，仅可使用一次，{{ expires_at|date:'Y-m-d H:i' }} 前有效）：\n"
        "{{ link }}",
    ),
    (
        "satisfaction.invited",
        "en",
        "[{{ number }}] How did we do? {{ title }}",
        "Hello {{ recipient_name }},\n\n{{ number }} \"{{ title }}\" has been resolved. "
        "Please take half a minute to rate the service from 1 to 5; your opinion helps us "
        "improve.\n\nRate it here (no sign-in needed, works once, valid until "
        "{{ expires_at|date:'Y-m-d H:i' }}):\n{{ link }}",
    ),
    (
        "complaint.opened",
        "zh-hans",
        "[{{ complaint }}] 满意度投诉待处理：{{ number }} {{ title }}",
        "{{ recipient_name }}，您好：\n\n申请人对 {{ number }}「{{ title }}」的处理打了 "
        "{{ rating }} 分，已记录为投诉 {{ complaint }}，由您负责跟进。"
        "{% if comment %}\n\n申请人的意见：{{ comment }}{% endif %}\n\n处理投诉：{{ link }}",
    ),
    (
        "complaint.opened",
        "en",
        "[{{ complaint }}] Complaint to handle: {{ number }} {{ title }}",
        "Hello {{ recipient_name }},\n\nThe requester rated {{ number }} \"{{ title }}\" "
        "{{ rating }} out of 5. Complaint {{ complaint }} is yours to follow up."
        "{% if comment %}\n\nWhat they said: {{ comment }}{% endif %}\n\nHandle it: {{ link }}",
    ),
    (
        "complaint.resolved",
        "zh-hans",
        "[{{ number }}] 关于您的评价的处理结果",
        "{{ recipient_name }}，您好：\n\n感谢您对 {{ number }}「{{ title }}」的反馈。"
        "我们已跟进处理（{{ complaint }}）：\n\n{{ outcome }}\n\n查看工单：{{ link }}",
    ),
    (
        "complaint.resolved",
        "en",
        "[{{ number }}] What we did about your feedback",
        "Hello {{ recipient_name }},\n\nThank you for your feedback on {{ number }} "
        "\"{{ title }}\". We followed it up ({{ complaint }}):\n\n{{ outcome }}\n\n"
        "See the ticket: {{ link }}",
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
        ("notifications", "0004_seed_incident_templates"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
