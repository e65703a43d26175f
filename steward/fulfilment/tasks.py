"""Fulfilment jobs: approval reminders when due. The outbox sweep re-enqueues lost ones."""

from __future__ import annotations

from datetime import datetime

from huey.contrib.djhuey import db_task

from steward.fulfilment.services.reminders import reminder_fire


@db_task(retries=3, retry_delay=30)
def approval_reminder_fire(reminder_id: int) -> bool:
    return reminder_fire(reminder_id=reminder_id)


def enqueue_reminder(reminder_id: int, eta: datetime | None = None) -> None:
    """Schedule the reminder's job at its due time (or now)."""
    if eta is None:
        approval_reminder_fire(reminder_id)
    else:
        approval_reminder_fire.schedule(args=(reminder_id,), eta=eta)
