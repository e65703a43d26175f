"""Seed the message templates of a major incident's declaration, of the change of its manager
(to the new and to the previous manager), and of its completed review (to the service owner
and the IT manager, and to each action's owner) in zh-Hans and English.

Re-runnable: an existing template (perhaps reworded by an administrator) is left alone.
The reverse is a no-op so that reworded templates survive a rollback.
"""

from django.db import migrations

TEMPLATES = [
    (
        "incident.major_declared",
        "zh-hans",
        "[重大故障 {{ number }}] 已宣布为重大故障：{{ title }}",
        "{{ recipient_name }}，您好：\n\n故障 {{ number }}「{{ title }}」已宣布为重大故障，"
        "请立即关注。\n\n"
        "受影响服务：{{ service_name|default:'（未指定服务）' }}\n"
        "判定依据：{{ criterion }}\n"
        "原因：{{ reason }}\n"
        "宣布方式：{% if declared_by_name %}由 {{ declared_by_name }} 手动宣布"
        "{% else %}系统按重大故障判定标准自动宣布{% endif %}\n"
        "宣布时间：{{ declared_at|date:'Y-m-d H:i' }}\n"
        "重大故障经理：{% if is_manager %}您本人{% else %}"
        "{{ manager_name|default:'尚未指定，请尽快指定' }}{% endif %}\n"
        "首次进展通报截止：{{ next_update_due_at|date:'Y-m-d H:i' }}\n\n"
        "处理详情：{{ link }}",
    ),
    (
        "incident.major_declared",
        "en",
        "[Major incident {{ number }}] declared: {{ title }}",
        "Hello {{ recipient_name }},\n\nIncident {{ number }} \"{{ title }}\" has been declared "
        "a major incident and needs your attention now.\n\n"
        "Service: {{ service_name|default:'(no service)' }}\n"
        "Criterion: {{ criterion }}\n"
        "Reason: {{ reason }}\n"
        "Declared: {% if declared_by_name %}by {{ declared_by_name }}"
        "{% else %}automatically, by the major-incident criteria{% endif %}, "
        "{{ declared_at|date:'Y-m-d H:i' }}\n"
        "Major-incident manager: {% if is_manager %}you{% else %}"
        "{{ manager_name|default:'not named yet, please name one' }}{% endif %}\n"
        "First update due: {{ next_update_due_at|date:'Y-m-d H:i' }}\n\n"
        "{{ link }}",
    ),
    (
        "incident.major_owner_changed",
        "zh-hans",
        "[重大故障 {{ number }}] 您已成为重大故障经理：{{ title }}",
        "{{ recipient_name }}，您好：\n\n"
        "您已接任重大故障 {{ number }}「{{ title }}」的重大故障经理，"
        "负责统筹处置并按时发布进展通报。\n\n"
        "{% if previous_name %}前任经理：{{ previous_name }}\n{% endif %}"
        "{% if actor_name %}变更人：{{ actor_name }}\n{% endif %}"
        "通报间隔：每 {{ interval_minutes }} 分钟\n"
        "下次进展通报截止：{{ next_update_due_at|date:'Y-m-d H:i' }}\n\n"
        "处理详情：{{ link }}",
    ),
    (
        "incident.major_owner_changed",
        "en",
        "[Major incident {{ number }}] you are now the manager: {{ title }}",
        "Hello {{ recipient_name }},\n\n"
        "You are now the major-incident manager of {{ number }} \"{{ title }}\": you run the "
        "response and post the updates on schedule.\n\n"
        "{% if previous_name %}Previous manager: {{ previous_name }}\n{% endif %}"
        "{% if actor_name %}Changed by: {{ actor_name }}\n{% endif %}"
        "Updates every {{ interval_minutes }} minutes; the next is due at "
        "{{ next_update_due_at|date:'Y-m-d H:i' }}.\n\n"
        "{{ link }}",
    ),
    (
        "incident.major_handed_over",
        "zh-hans",
        "[重大故障 {{ number }}] 重大故障经理已移交：{{ title }}",
        "{{ recipient_name }}，您好：\n\n"
        "重大故障 {{ number }}「{{ title }}」的重大故障经理已由您移交给 {{ owner_name }}"
        "{% if actor_name %}（由 {{ actor_name }} 调整）{% endif %}。"
        "此后的处置统筹和进展通报由 {{ owner_name }} 负责，"
        "下次进展通报截止时间为 {{ next_update_due_at|date:'Y-m-d H:i' }}。\n\n"
        "处理详情：{{ link }}",
    ),
    (
        "incident.major_handed_over",
        "en",
        "[Major incident {{ number }}] handed over to {{ owner_name }}: {{ title }}",
        "Hello {{ recipient_name }},\n\n"
        "You have handed major incident {{ number }} \"{{ title }}\" over to {{ owner_name }}"
        "{% if actor_name %} (changed by {{ actor_name }}){% endif %}. {{ owner_name }} now "
        "runs the response and posts the updates; the next is due at "
        "{{ next_update_due_at|date:'Y-m-d H:i' }}.\n\n"
        "{{ link }}",
    ),
    (
        "incident.major_review_completed",
        "zh-hans",
        "[重大故障 {{ number }}] 复盘已完成：{{ title }}",
        "{{ recipient_name }}，您好：\n\n"
        "重大故障 {{ number }}「{{ title }}」的复盘已由 {{ completed_by_name }} 于 "
        "{{ completed_at|date:'Y-m-d H:i' }} 完成。\n\n"
        "故障原因：\n{{ cause }}\n\n"
        "改进措施（共 {{ action_count }} 项）：\n"
        "{% for action in actions %}{{ forloop.counter }}. {{ action.description }}"
        "（负责人：{{ action.owner_name }}，完成期限：{{ action.due_on|date:'Y-m-d' }}）\n"
        "{% endfor %}\n"
        "完整复盘：{{ link }}",
    ),
    (
        "incident.major_review_completed",
        "en",
        "[Major incident {{ number }}] review completed: {{ title }}",
        "Hello {{ recipient_name }},\n\n"
        "{{ completed_by_name }} completed the review of major incident {{ number }} "
        "\"{{ title }}\" at {{ completed_at|date:'Y-m-d H:i' }}.\n\n"
        "Cause:\n{{ cause }}\n\n"
        "Actions ({{ action_count }}):\n"
        "{% for action in actions %}{{ forloop.counter }}. {{ action.description }} "
        "(owner: {{ action.owner_name }}, due {{ action.due_on|date:'Y-m-d' }})\n"
        "{% endfor %}\n"
        "The full review: {{ link }}",
    ),
    (
        "incident.major_review_action",
        "zh-hans",
        "[重大故障 {{ number }}] 请落实复盘改进措施：{{ title }}",
        "{{ recipient_name }}，您好：\n\n"
        "重大故障 {{ number }}「{{ title }}」的复盘已完成，以下改进措施由您负责落实：\n\n"
        "{% for action in actions %}{{ forloop.counter }}. {{ action.description }}"
        "（完成期限：{{ action.due_on|date:'Y-m-d' }}）\n"
        "{% endfor %}\n"
        "故障原因：{{ cause }}\n\n"
        "完整复盘：{{ link }}",
    ),
    (
        "incident.major_review_action",
        "en",
        "[Major incident {{ number }}] review action for you: {{ title }}",
        "Hello {{ recipient_name }},\n\n"
        "The review of major incident {{ number }} \"{{ title }}\" is complete. These actions "
        "are yours:\n\n"
        "{% for action in actions %}{{ forloop.counter }}. {{ action.description }} "
        "(due {{ action.due_on|date:'Y-m-d' }})\n"
        "{% endfor %}\n"
        "Cause: {{ cause }}\n\n"
        "The full review: {{ link }}",
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
        ("notifications", "0009_seed_major_incident_templates"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
