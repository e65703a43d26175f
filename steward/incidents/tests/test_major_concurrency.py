"""The overdue-update reminder fires once when several workers run the job at the same
moment (threads with their own connections on a committed database; SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from steward.core import events as core_events
from steward.identity.models import Role
from steward.incidents.events_major import MajorUpdateOverdue
from steward.incidents.services import major, major_comms
from steward.notifications import handlers_major
from steward.notifications.models import Notification
from steward.testing import factories

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORKERS = 4


def test_concurrent_jobs_remind_the_manager_once(isolated_subscribers):
    core_events.subscribe(MajorUpdateOverdue, handlers_major.on_major_update_overdue)
    lead = factories.person(roles=(Role.TEAM_LEAD,))
    team = factories.team(code="MI", members=(lead,), lead=lead)
    incident = factories.incident(service=factories.service(support_team=team))
    declared = major.major_declare(actor=lead, incident=incident, reason="全线中断")
    later = declared.next_update_due_at + dt.timedelta(minutes=1)
    start = threading.Barrier(WORKERS)
    reminded: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            reminded.extend(major_comms.major_remind_due(now=later))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert reminded == [incident.number]
    sent = Notification.objects.filter(event="incident.major_update_due")
    assert list(sent.values_list("recipient_id", flat=True)) == [lead.pk]
