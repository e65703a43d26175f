"""Background jobs of incident management: take ids or nothing, call services, idempotent."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from steward.core import jobs
from steward.incidents import services


@db_periodic_task(crontab(minute="*/15"))
def incident_auto_close_due() -> list[str]:
    """Close resolved incidents whose auto-close period has passed (safe to run anywhere)."""
    return services.incident_auto_close_due()


@db_periodic_task(crontab(minute="*"))
def major_remind_due() -> list[str]:
    """Remind major-incident managers of overdue updates (once per due time)."""
    from steward.incidents.services.major_comms import major_remind_due as remind

    return remind()


@db_task()
def incident_triage_run(triage_id: int) -> bool:
    """Assign a new incident by its team's strategy and check the major-incident criteria.
    Retries are the outbox's (back-off recorded on the row), not huey's."""
    from steward.incidents.services.triage import incident_triage

    return incident_triage(triage_id=triage_id)


def enqueue_triage(triage_id: int) -> None:
    jobs.enqueue(incident_triage_run, triage_id)
