"""Fulfilment jobs: approval reminders when due. The outbox sweep re-enqueues lost ones."""

from __future__ import annotations

from datetime import datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from steward.core import jobs
from steward.fulfilment.services import request_auto_close_due
from steward.fulfilment.services.reminders import reminder_fire


@db_task(retries=3, retry_delay=30)
def approval_reminder_fire(reminder_id: int) -> bool:
    return reminder_fire(reminder_id=reminder_id)


def enqueue_reminder(reminder_id: int, eta: datetime | None = None) -> None:
    """Schedule the reminder's job at its due time (or now)."""
    jobs.enqueue(approval_reminder_fire, reminder_id, eta=eta)


@db_periodic_task(crontab(minute="*/15"))
def request_auto_close() -> list[str]:
    """Close fulfilled requests whose confirmation period has passed (safe to run anywhere)."""
    return request_auto_close_due()
