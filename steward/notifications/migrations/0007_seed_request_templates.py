"""Seed the message templates of service requests in zh-Hans and English: acknowledgement,
approval needed (with signed approve/reject links), approval reminder, rejection, task
assigned, fulfilled, and a staff message to the requester.

Re-runnable: an existing template (perhaps reworded by an administrator) is left alone.
The reverse is a no-op so that reworded templates survive a rollback.
"""

from django.db import migrations

TEMPLATES = [
    (
        "request.replied",
        "zh-hans",
        "[{{ number }}] {{ author_name }} 给您留言：{{ title }}",
        "{{ recipient_name }}，您好：\n\n{{ author_name }} 在服务请求 {{ number }}「{{ title }}」"
        "中留言：\n\n{{ body }}\n\n回复或查看：{{ link }}",
    ),
    (
        "request.replied",
        "en",
        "[{{ number }}] {{ author_name }} wrote: {{ title }}",
        "Hello {{ recipient_name }},\n\n{{ author_name }} wrote on your request {{ number }} "
        "\"{{ title }}\":\n\n{{ body }}\n\nReply or follow it: {{ link }}",
    ),
    (
        "request.submitted",
        "zh-hans",
        "[{{ number }}] 已收到您的服务请求：{{ title }}",
        "{{ recipient_name }}，您好：\n\n我们已收到您的服务请求 {{ number }}「{{ title }}」。"
        "{% if needs_approval %}请求需要审批，审批通过后约 {{ promised_hours }} 个工作小时内交付。"
        "{% elif due_at %}我们承诺在 {{ due_at|date:'Y-m-d H:i' }} 前完成。"
        "{% else %}我们承诺在 {{ promised_hours }} 个工作小时内完成。{% endif %}"
        "\n\n查看进度：{{ link }}",
    ),
    (
        "request.submitted",
        "en",
        "[{{ number }}] request received: {{ title }}",
        "Hello {{ recipient_name }},\n\nWe received your request {{ number }} \"{{ title }}\". "
        "{% if needs_approval %}It needs approval; once approved it is delivered within about "
        "{{ promised_hours }} business hours."
        "{% elif due_at %}We promise to deliver it by {{ due_at|date:'Y-m-d H:i' }}."
        "{% else %}We promise to deliver it within {{ promised_hours }} business hours."
        "{% endif %}\n\nFollow it: {{ link }}",
    ),
    (
        "request.approval_needed",
        "zh-hans",
        "[{{ number }}] 待您审批：{{ requester_name }} 申请「{{ title }}」",
        "{{ recipient_name }}，您好：\n\n{{ requester_name }} 提交了服务请求 {{ number }}"
        "「{{ title }}」，需要{% if on_behalf_of %}您代 {{ on_behalf_of }} {% else %}您{% endif %}审批。"
        "{% if answers_text %}\n\n{{ answers_text }}{% endif %}"
        "{% if approve_link %}\n\n同意：{{ approve_link }}\n拒绝：{{ reject_link }}\n\n"
        "每个链接只能使用一次，打开后需再次确认。也可以在审批列表中处理：{{ link }}"
        "{% else %}\n\n请在审批列表中处理：{{ link }}{% endif %}",
    ),
    (
        "request.approval_needed",
        "en",
        "[{{ number }}] approval needed: {{ requester_name }} asks for \"{{ title }}\"",
        "Hello {{ recipient_name }},\n\n{{ requester_name }} raised {{ number }} \"{{ title }}\", "
        "which needs your approval{% if on_behalf_of %} on behalf of {{ on_behalf_of }}{% endif %}."
        "{% if answers_text %}\n\n{{ answers_text }}{% endif %}"
        "{% if approve_link %}\n\nApprove: {{ approve_link }}\nReject: {{ reject_link }}\n\n"
        "Each link works once and asks you to confirm. Or decide in your approvals: {{ link }}"
        "{% else %}\n\nDecide in your approvals: {{ link }}{% endif %}",
    ),
    (
        "request.approval_reminder",
        "zh-hans",
        "[{{ number }}] 提醒：仍待您审批「{{ title }}」",
        "{{ recipient_name }}，您好：\n\n{{ requester_name }} 的服务请求 {{ number }}"
        "「{{ title }}」仍在等待{% if on_behalf_of %}您代 {{ on_behalf_of }} {% else %}您的{% endif %}审批。"
        "{% if approve_link %}\n\n同意：{{ approve_link }}\n拒绝：{{ reject_link }}{% endif %}"
        "\n\n审批列表：{{ link }}",
    ),
    (
        "request.approval_reminder",
        "en",
        "[{{ number }}] reminder: \"{{ title }}\" still awaits your approval",
        "Hello {{ recipient_name }},\n\n{{ requester_name }}'s request {{ number }} "
        "\"{{ title }}\" still awaits your approval{% if on_behalf_of %} on behalf of "
        "{{ on_behalf_of }}{% endif %}.{% if approve_link %}\n\nApprove: {{ approve_link }}\n"
        "Reject: {{ reject_link }}{% endif %}\n\nYour approvals: {{ link }}",
    ),
    (
        "request.rejected",
        "zh-hans",
        "[{{ number }}] 未获批准：{{ title }}",
        "{{ recipient_name }}，您好：\n\n您的服务请求 {{ number }}「{{ title }}」未获批准。"
        "\n\n审批意见：{{ comment }}\n\n查看：{{ link }}",
    ),
    (
        "request.rejected",
        "en",
        "[{{ number }}] not approved: {{ title }}",
        "Hello {{ recipient_name }},\n\nYour request {{ number }} \"{{ title }}\" was not "
        "approved.\n\nComment: {{ comment }}\n\nSee it: {{ link }}",
    ),
    (
        "request.task_assigned",
        "zh-hans",
        "[{{ number }}] 新履行任务：{{ task_title }}",
        "{{ recipient_name }}，您好：\n\n服务请求 {{ number }}「{{ title }}」的履行任务"
        "「{{ task_title }}」（{{ team_name }}）待处理。"
        "{% if instructions %}\n\n履行说明：{{ instructions }}{% endif %}\n\n处理：{{ link }}",
    ),
    (
        "request.task_assigned",
        "en",
        "[{{ number }}] fulfilment task: {{ task_title }}",
        "Hello {{ recipient_name }},\n\nThe fulfilment task \"{{ task_title }}\" "
        "({{ team_name }}) of {{ number }} \"{{ title }}\" is waiting for you."
        "{% if instructions %}\n\nInstructions: {{ instructions }}{% endif %}\n\nWork it: {{ link }}",
    ),
    (
        "request.fulfilled",
        "zh-hans",
        "[{{ number }}] 已完成：{{ title }}",
        "{{ recipient_name }}，您好：\n\n您的服务请求 {{ number }}「{{ title }}」已完成。"
        "{% if outcome_note %}\n\n说明：{{ outcome_note }}{% endif %}\n\n查看或确认关闭：{{ link }}",
    ),
    (
        "request.fulfilled",
        "en",
        "[{{ number }}] delivered: {{ title }}",
        "Hello {{ recipient_name }},\n\nYour request {{ number }} \"{{ title }}\" is fulfilled."
        "{% if outcome_note %}\n\nNote: {{ outcome_note }}{% endif %}\n\nSee or close it: {{ link }}",
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
        ("notifications", "0006_seed_cmdb_reminder_templates"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
