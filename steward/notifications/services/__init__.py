"""Every write of the notifications app: sending, delivering, and administering channels.

Notifications are rows written in the business transaction (the outbox); delivery jobs take
row ids. See steward/notifications/README.md.
"""

from steward.notifications.services.admin import (
    allow_rule_create,
    allow_rule_delete,
    masked_url,
    robot_create,
    robot_delete,
    robot_update,
)
from steward.notifications.services.delivery import delivery_process, delivery_retry
from steward.notifications.services.sending import notification_send, notification_send_test

__all__ = [
    "allow_rule_create",
    "allow_rule_delete",
    "delivery_process",
    "delivery_retry",
    "masked_url",
    "notification_send",
    "notification_send_test",
    "robot_create",
    "robot_delete",
    "robot_update",
]
