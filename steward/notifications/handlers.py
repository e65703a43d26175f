"""Notifications that follow domain events. Subscribed in NotificationsConfig.ready().

Both events here are emitted inside the transaction that causes them, so the notification and
delivery rows commit with it: an escalation or a lock-out notice is never lost.
"""

from __future__ import annotations

from django.conf import settings

from steward.identity.events import AccountLocked
from steward.identity.models import Person
from steward.notifications.services import notification_send
from steward.sla.events import SlaThresholdReached
from steward.sla.selectors import escalation_recipients


def on_account_locked(event: AccountLocked) -> None:
    person = Person.objects.get(pk=event.person_id)
    notification_send(
        event="account.locked",
        recipients=[person],
        context={"failed_logins": event.failed_logins, "locked_until": event.locked_until},
    )


def on_sla_threshold(event: SlaThresholdReached) -> None:
    clock, people = escalation_recipients(clock_id=event.clock_id, level=event.escalate_to)
    if not people:
        return
    record = clock.record
    notification_send(
        event="sla.breached" if event.percent >= 100 else "sla.warning",
        recipients=people,
        record=record,
        context={
            "number": clock.record_number,
            "title": getattr(record, "title", ""),
            "metric": clock.kind,
            "percent": event.percent,
            "due_at": event.due_at,
            "agreement": clock.agreement.code,
            "link": f"{settings.STEWARD_BASE_URL}/console/records/{clock.record_number}/",
        },
    )
