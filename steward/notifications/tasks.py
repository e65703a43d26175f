"""Background jobs of the notifications app: they take delivery ids and call the service."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from steward.audit.context import source
from steward.audit.models import AuditSource
from steward.notifications.services import delivery_process


@db_task(retries=0)
def notification_deliver(delivery_id: int) -> str:
    """Send one delivery. Retries are the row's own schedule (back-off), picked up by the sweep."""
    with source(AuditSource.JOB):
        delivery = delivery_process(delivery_id=delivery_id)
    return "nothing_to_do" if delivery is None else delivery.display_status
