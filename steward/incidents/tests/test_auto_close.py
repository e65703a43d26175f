"""Resolved incidents close by themselves after the policy's period; the job is idempotent."""

from __future__ import annotations

import pytest

from steward.incidents import services, tasks
from steward.incidents.events import IncidentClosed
from steward.incidents.tests.conftest import at, audit_entries

pytestmark = pytest.mark.django_db


def test_incidents_resolved_longer_than_the_period_are_closed_once(incident_in, clock, events):
    due = incident_in("resolved")  # resolved Monday 10:15
    clock.advance(days=1)
    recent = incident_in("resolved")
    clock.set(at(2026, 3, 9, 10, 15))

    with events.capture():
        closed = services.incident_auto_close_due()

    assert closed == [due.number]
    due.refresh_from_db()
    recent.refresh_from_db()
    assert (due.status, due.closed_at, recent.status) == (
        "closed",
        at(2026, 3, 9, 10, 15),
        "resolved",
    )
    entry = audit_entries(due)[-1]
    assert (entry.action, entry.actor_id, entry.actor_label) == ("close", None, "system")
    assert entry.changes["automatic"] is True
    assert events.items == [
        IncidentClosed(incident_id=due.pk, number=due.number, actor_id=None, automatic=True)
    ]
    assert services.incident_auto_close_due() == []
    assert len(audit_entries(due)) == len(audit_entries(recent)) + 1


def test_a_reopened_incident_is_not_closed(incident_in, requester, clock):
    incident = incident_in("resolved")
    clock.advance(days=2)
    services.incident_reopen(actor=requester, incident=incident, reason="又坏了")
    clock.advance(days=30)

    assert services.incident_auto_close_due() == []


def test_the_period_is_the_policys(incident_in, admin, clock):
    services.incident_policy_update(actor=admin, changes={"auto_close_days": 2})
    incident = incident_in("resolved")
    clock.advance(days=2)

    assert services.incident_auto_close_due() == [incident.number]


def test_the_periodic_job_runs_the_service(incident_in, clock):
    incident = incident_in("resolved")
    clock.advance(days=8)

    assert tasks.incident_auto_close_due.call_local() == [incident.number]
