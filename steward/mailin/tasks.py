"""Inbound mail jobs: poll the IMAP mailbox every minute (when one is configured)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from steward.mailin.receiving.imap import imap_poll, imap_settings


@db_periodic_task(crontab(minute="*"))
@lock_task("mailin-imap-poll")
def mail_poll_imap() -> int:
    """Ingest the unseen messages; one poll at a time across workers (the lock)."""
    config = imap_settings()
    if config is None:
        return 0
    return len(imap_poll(config))
