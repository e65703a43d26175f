"""The happy path of every action: exact status, timestamps, one audit entry with before and
after, the SLA clocks' reaction, and exactly the events."""

from __future__ import annotations

import pytest

from steward.core.errors import BusinessRuleViolation, ValidationFailed
from steward.identity.models import Role
from steward.incidents import services
from steward.incidents.events import (
    IncidentAssigned,
    IncidentCancelled,
    IncidentClosed,
    IncidentPutOnHold,
    IncidentReopened,
    IncidentResolved,
    IncidentResumed,
    IncidentStarted,
)
from steward.incidents.tests.conftest import at, audit_entries, clocks, state_of
from steward.testing import factories

pytestmark = pytest.mark.django_db


def test_assign_to_an_agent_of_the_team(raise_incident, agent, lead, desk, events):
    incident = raise_incident()

    with events.capture():
        assigned = services.incident_assign(actor=lead, incident=incident, assignee=agent)

    assert (assigned.status, assigned.team_id, assigned.assignee_id) == (
        "assigned",
        desk.pk,
        agent.pk,
    )
    assert (assigned.reassignment_count, assigned.version) == (0, 2)
    entry = audit_entries(incident)[-1]
    assert (entry.action, entry.actor_id, entry.changes) == (
        "assign",
        lead.pk,
        {"status": ["new", "assigned"], "assignee": [None, agent.pk]},
    )
    assert {c.kind: c.state for c in clocks(incident).values()} == {
        "first_response": "running",
        "resolution": "running",
    }
    assert events.items == [
        IncidentAssigned(
            incident_id=incident.pk,
            number=incident.number,
            actor_id=lead.pk,
            team_id=desk.pk,
            assignee_id=agent.pk,
        )
    ]


def test_moving_work_in_progress_to_another_team_is_a_reassignment(
    incident_in, agent, network, events
):
    incident = incident_in("in_progress")

    with events.capture():
        moved = services.incident_assign(actor=agent, incident=incident, team=network)

    assert (moved.status, moved.team_id, moved.assignee_id) == ("assigned", network.pk, None)
    assert moved.reassignment_count == 1
    assert audit_entries(incident)[-1].changes == {
        "status": ["in_progress", "assigned"],
        "team": [incident.team_id, network.pk],
        "assignee": [agent.pk, None],
        "reassignment_count": [0, 1],
    }
    assert events.names == ["IncidentAssigned"]


def test_assigning_someone_outside_the_team_is_refused(raise_incident, lead, network_agent, events):
    incident = raise_incident()
    before = state_of(incident)

    with events.capture(), pytest.raises(BusinessRuleViolation) as error:
        services.incident_assign(actor=lead, incident=incident, assignee=network_agent)

    assert (error.value.code, error.value.field) == ("assignee_not_in_team", "assignee_id")
    assert state_of(incident) == before
    assert events.items == []


def test_a_requester_in_the_team_is_not_an_assignee(raise_incident, lead, desk):
    clerk = factories.person(roles=(Role.REQUESTER,))
    factories.team(code="DESK2", members=(clerk, lead))
    incident = raise_incident()
    with pytest.raises(BusinessRuleViolation):
        services.incident_assign(actor=lead, incident=incident, assignee=clerk)


def test_assigning_nothing_is_invalid(raise_incident, lead):
    incident = raise_incident()
    with pytest.raises(ValidationFailed):
        services.incident_assign(actor=lead, incident=incident)


def test_start_takes_the_incident_and_is_the_first_response(raise_incident, agent, clock, events):
    incident = raise_incident(impact=1, urgency=2)
    clock.advance(minutes=10)

    with events.capture():
        started = services.incident_start(actor=agent, incident=incident)

    assert (started.status, started.assignee_id) == ("in_progress", agent.pk)
    assert started.first_responded_at == at(2026, 3, 2, 10, 25)
    assert audit_entries(incident)[-1].changes == {
        "status": ["new", "in_progress"],
        "assignee": [None, agent.pk],
        "first_responded_at": [None, "2026-03-02T02:25:00+00:00"],
    }
    found = clocks(incident)
    assert (found["first_response"].state, found["first_response"].elapsed_seconds) == ("met", 600)
    assert found["resolution"].state == "running"
    assert events.items == [
        IncidentStarted(incident_id=incident.pk, number=incident.number, actor_id=agent.pk)
    ]


def test_hold_pauses_the_resolution_clock(incident_in, agent, clock, events):
    incident = incident_in("in_progress")
    clock.advance(hours=1)

    with events.capture():
        held = services.incident_hold(
            actor=agent, incident=incident, reason="awaiting_vendor", note="等待厂商寄送主板"
        )

    assert (held.status, held.hold_reason) == ("on_hold", "awaiting_vendor")
    assert audit_entries(incident)[-1].changes == {
        "status": ["in_progress", "on_hold"],
        "hold_reason": ["", "awaiting_vendor"],
        "note": "等待厂商寄送主板",
    }
    resolution = clocks(incident)["resolution"]
    assert (resolution.state, resolution.elapsed_seconds, resolution.due_at) == (
        "paused",
        3600,
        None,
    )
    assert events.items == [
        IncidentPutOnHold(
            incident_id=incident.pk,
            number=incident.number,
            actor_id=agent.pk,
            hold_reason="awaiting_vendor",
        )
    ]


def test_an_unknown_hold_reason_is_refused(incident_in, agent):
    incident = incident_in("in_progress")
    with pytest.raises(ValidationFailed):
        services.incident_hold(actor=agent, incident=incident, reason="lunch")


def test_resume_runs_the_clock_again_with_the_pause_added(incident_in, agent, clock, events):
    incident = incident_in("on_hold")  # P5: 80 business hours, paused at Monday 10:15
    clock.set(at(2026, 3, 3, 10, 15))  # one business day later

    with events.capture():
        resumed = services.incident_resume(actor=agent, incident=incident)

    assert (resumed.status, resumed.hold_reason) == ("in_progress", "")
    assert audit_entries(incident)[-1].changes == {
        "status": ["on_hold", "in_progress"],
        "hold_reason": ["awaiting_vendor", ""],
    }
    resolution = clocks(incident)["resolution"]
    assert (resolution.state, resolution.due_at) == ("running", at(2026, 3, 17, 10, 15))
    assert events.items == [
        IncidentResumed(
            incident_id=incident.pk, number=incident.number, actor_id=agent.pk, automatic=False
        )
    ]


def test_resolve_stops_the_clock_and_offers_the_reopen_window(incident_in, agent, clock, events):
    incident = incident_in("in_progress")
    clock.advance(hours=2)

    with events.capture():
        resolved = services.incident_resolve(
            actor=agent,
            incident=incident,
            resolution_code="solution_provided",
            resolution_note="更换电源适配器后恢复。",
        )

    now = at(2026, 3, 2, 12, 15)
    assert (resolved.status, resolved.resolved_at, resolved.closed_at) == ("resolved", now, None)
    assert (resolved.resolution_code, resolved.resolution_note) == (
        "solution_provided",
        "更换电源适配器后恢复。",
    )
    assert audit_entries(incident)[-1].changes == {
        "status": ["in_progress", "resolved"],
        "resolved_at": [None, "2026-03-02T04:15:00+00:00"],
        "resolution_code": ["", "solution_provided"],
        "resolution_note": ["", "更换电源适配器后恢复。"],
    }
    resolution = clocks(incident)["resolution"]
    assert (resolution.state, resolution.elapsed_seconds) == ("met", 105 * 60)  # lunch is off
    assert events.items == [
        IncidentResolved(
            incident_id=incident.pk,
            number=incident.number,
            actor_id=agent.pk,
            resolved_at=now,
            resolution_code="solution_provided",
            reopen_until=at(2026, 3, 9, 12, 15),
        )
    ]


def test_resolving_a_new_incident_at_first_contact_is_its_first_response(
    raise_incident, agent, clock
):
    incident = raise_incident()
    clock.advance(minutes=5)

    resolved = services.incident_resolve(
        actor=agent, incident=incident, resolution_code="user_error", resolution_note="已指导重启"
    )

    assert resolved.first_responded_at == at(2026, 3, 2, 10, 20)
    assert {k: c.state for k, c in clocks(incident).items()} == {
        "first_response": "met",
        "resolution": "met",
    }


def test_resolve_needs_a_code_and_a_note(incident_in, agent):
    incident = incident_in("in_progress")
    before = state_of(incident)
    with pytest.raises(ValidationFailed) as error:
        services.incident_resolve(
            actor=agent, incident=incident, resolution_code="fixed", resolution_note="x"
        )
    assert error.value.field == "resolution_code"
    with pytest.raises(ValidationFailed) as error:
        services.incident_resolve(
            actor=agent, incident=incident, resolution_code="user_error", resolution_note=" "
        )
    assert error.value.field == "resolution_note"
    assert state_of(incident) == before


def test_requester_reopens_within_the_window_and_the_clock_continues(
    incident_in, requester, clock, events
):
    incident = incident_in("resolved")  # resolved at Monday 10:15, 0 business seconds used
    clock.set(at(2026, 3, 4, 9, 0))

    with events.capture():
        reopened = services.incident_reopen(actor=requester, incident=incident, reason="又黑屏了")

    assert (reopened.status, reopened.resolved_at, reopened.reopen_count) == (
        "in_progress",
        None,
        1,
    )
    assert (reopened.resolution_code, reopened.resolution_note) == ("", "")
    entry = audit_entries(incident)[-1]
    assert (entry.action, entry.actor_id) == ("reopen", requester.pk)
    assert entry.changes == {
        "status": ["resolved", "in_progress"],
        "resolved_at": ["2026-03-02T02:15:00+00:00", None],
        "resolution_code": ["solution_provided", ""],
        "resolution_note": ["重启收银机后恢复。", ""],
        "reopen_count": [0, 1],
        "reason": "又黑屏了",
    }
    resolution = clocks(incident)["resolution"]
    # The resolved interval counted as paused: the full 80 business hours run from now.
    assert (resolution.state, resolution.due_at) == ("running", at(2026, 3, 17, 18, 0))
    assert events.items == [
        IncidentReopened(
            incident_id=incident.pk,
            number=incident.number,
            actor_id=requester.pk,
            reason="又黑屏了",
        )
    ]


def test_reopening_after_the_window_is_refused(incident_in, requester, clock, events):
    incident = incident_in("resolved")
    clock.set(at(2026, 3, 9, 10, 16))  # 7 days and a minute after resolution
    before = state_of(incident)

    with events.capture(), pytest.raises(BusinessRuleViolation) as error:
        services.incident_reopen(actor=requester, incident=incident, reason="又坏了")

    assert error.value.code == "reopen_window_passed"
    assert state_of(incident) == before
    assert events.items == []


def test_reopening_on_the_last_minute_of_the_window_is_allowed(incident_in, requester, clock):
    incident = incident_in("resolved")
    clock.set(at(2026, 3, 9, 10, 15))
    assert services.incident_reopen(actor=requester, incident=incident, reason="x").status == (
        "in_progress"
    )


@pytest.mark.parametrize("closer", ["agent", "requester"])
def test_close_a_resolved_incident(closer, incident_in, clock, events, request):
    incident = incident_in("resolved")
    actor = request.getfixturevalue(closer)
    clock.advance(days=1)

    with events.capture():
        closed = services.incident_close(actor=actor, incident=incident)

    assert (closed.status, closed.closed_at) == ("closed", at(2026, 3, 3, 10, 15))
    assert audit_entries(incident)[-1].changes == {
        "status": ["resolved", "closed"],
        "closed_at": [None, "2026-03-03T02:15:00+00:00"],
    }
    assert events.items == [
        IncidentClosed(
            incident_id=incident.pk, number=incident.number, actor_id=actor.pk, automatic=False
        )
    ]


def test_requester_cancels_their_open_incident_and_its_clocks(
    raise_incident, requester, clock, events
):
    incident = raise_incident()
    clock.advance(minutes=3)

    with events.capture():
        cancelled = services.incident_cancel(
            actor=requester, incident=incident, reason="已自行恢复"
        )

    assert (cancelled.status, cancelled.closed_at) == ("cancelled", at(2026, 3, 2, 10, 18))
    assert audit_entries(incident)[-1].changes == {
        "status": ["new", "cancelled"],
        "closed_at": [None, "2026-03-02T02:18:00+00:00"],
        "reason": "已自行恢复",
    }
    assert {k: c.state for k, c in clocks(incident).items()} == {
        "first_response": "cancelled",
        "resolution": "cancelled",
    }
    assert events.items == [
        IncidentCancelled(
            incident_id=incident.pk,
            number=incident.number,
            actor_id=requester.pk,
            reason="已自行恢复",
        )
    ]


def test_cancelling_an_incident_on_hold_clears_the_reason(incident_in, agent):
    incident = incident_in("on_hold")
    cancelled = services.incident_cancel(actor=agent, incident=incident, reason="重复")
    assert (cancelled.status, cancelled.hold_reason) == ("cancelled", "")
