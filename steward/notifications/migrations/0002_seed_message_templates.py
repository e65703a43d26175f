"""Seed the message templates of the foundation events in zh-Hans and English.

Re-runnable: an existing template (perhaps reworded by an administrator) is left alone.
The reverse is a no-op so that reworded templates survive a rollback.
"""

from django.db import migrations

TEMPLATES = [
    (
        "notification.test",
        "zh-hans",
        "Steward 测试通知",
        "{{ recipient_name }}，您好：\n\n这是您在 Steward 中请求发送的测试通知。"
        "您能看到这条消息，说明这个渠道可以把通知送达给您。",
    ),
    (
        "notification.test",
        "en",
        "Steward test notification",
        "Hello {{ recipient_name }},\n\nThis is the test notification you asked Steward to "
        "send. If you can read it, this channel reaches you.",
    ),
    (
        "account.locked",
        "zh-hans",
        "您的 Steward 帐户已被锁定",
        "{{ recipient_name }}，您好：\n\n由于连续 {{ failed_logins }} 次登录失败，"
        "您的帐户已被锁定{% if locked_until %}，直到 {{ locked_until }}{% endif %}。"
        "如果这些登录不是您本人所为，请联系服务台。",
    ),
    (
        "account.locked",
        "en",
        "Your Steward account was locked",
        "Hello {{ recipient_name }},\n\nAfter {{ failed_logins }} failed sign-in attempts your "
        "account is locked{% if locked_until %} until {{ locked_until }}{% endif %}. If these "
        "attempts were not yours, contact the service desk.",
    ),
    (
        "record.updated",
        "zh-hans",
        "[{{ number }}] {{ title }} 已更新",
        "{{ recipient_name }}，您好：\n\n{% if actor_name %}{{ actor_name }} 更新了{% else %}已更新{% endif %}"
        " {{ number }}「{{ title }}」。{% if summary %}\n\n{{ summary }}{% endif %}",
    ),
    (
        "record.updated",
        "en",
        "[{{ number }}] {{ title }} was updated",
        "Hello {{ recipient_name }},\n\n{% if actor_name %}{{ actor_name }} updated{% else %}"
        "There is an update to{% endif %} {{ number }} \"{{ title }}\"."
        "{% if summary %}\n\n{{ summary }}{% endif %}",
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
        ("notifications", "0001_notifications_outbox_and_channels"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
