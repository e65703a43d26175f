"""Background jobs of the CMDB: they take row ids and call the services."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from steward.audit.context import source
from steward.audit.models import AuditSource
from steward.cmdb.services.assets import reminders_send
from steward.cmdb.services.audits import audit_run, audits_due
from steward.cmdb.services.imports import import_run


@db_task(retries=0)
def cmdb_import_run(job_id: int) -> str:
    """Run one import job (a job runs once: a retry or a second worker finds it claimed)."""
    with source(AuditSource.JOB):
        job = import_run(job_id=job_id)
    return "nothing_to_do" if job is None else job.status


@db_periodic_task(crontab(hour="2", minute="10"))
def cmdb_audits_run_due() -> int:
    """Daily: run every configuration audit that is due (each once per due date)."""
    with source(AuditSource.JOB):
        runs = [audit_run(audit_id=pk) for pk in audits_due(today=timezone.localdate())]
    return sum(1 for run in runs if run is not None)


@db_periodic_task(crontab(hour="7", minute="0"))
def cmdb_send_end_reminders() -> int:
    """Daily: remind before warranties and licences end (each reminder once)."""
    with source(AuditSource.JOB):
        return len(reminders_send(today=timezone.localdate()))
