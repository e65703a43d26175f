"""SLA jobs: fire milestones when due. The outbox sweep re-enqueues any that were lost."""

from __future__ import annotations

from datetime import datetime

from huey.contrib.djhuey import db_task

from steward.core import jobs
from steward.sla.services.milestones import milestone_fire


@db_task(retries=3, retry_delay=30)
def sla_milestone_fire(milestone_id: int) -> bool:
    return milestone_fire(milestone_id=milestone_id)


def enqueue_milestone(milestone_id: int, eta: datetime | None = None) -> None:
    """Schedule the milestone's job at its due time (or now)."""
    jobs.enqueue(sla_milestone_fire, milestone_id, eta=eta)
