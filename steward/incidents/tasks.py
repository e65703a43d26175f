"""Background jobs of incident management: take ids or nothing, call services, idempotent."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from steward.incidents import services


@db_periodic_task(crontab(minute="*/15"))
def incident_auto_close_due() -> list[str]:
    """Close resolved incidents whose auto-close period has passed (safe to run anywhere)."""
    return services.incident_auto_close_due()
