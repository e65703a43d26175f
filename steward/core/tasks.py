"""The periodic outbox sweep: re-enqueue rows whose job was lost or whose worker died."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from steward.core import outbox


@db_periodic_task(crontab(minute="*"))
def outbox_sweep() -> dict[str, int]:
    return outbox.sweep()
