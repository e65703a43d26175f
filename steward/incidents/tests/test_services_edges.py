"""Edges of the services: incidents without a service or team, input limits, no-op actions,
races the locks settle, calendars that do not cover "now"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from steward.core.errors import InvalidTransition, ValidationFailed
from steward.identity.services import person_deactivate, team_update
from steward.incidents import selectors, services
from steward.incidents.models import PriorityRule
from steward.incidents.services import lifecycle
from steward.incidents.tests.conftest import SERVICE_DESK_STATES, at, audit_entries, clocks
from steward.sla import services as sla
from steward.testing import factories

pytestmark = pytest.mark.django_db


def test_an_incident_without_a_service_is_worked_without_clocks(raise_incident, admin, events):
    incident = raise_incident(service=None)

    with events.capture():
        started = services.incident_start(actor=admin, incident=incident)
        resolved = services.incident_resolve(
            actor=admin, incident=started, resolution_code="user_error", resolution_note="已指导"
        )

    assert (resolved.status, resolved.team_id, clocks(incident)) == ("resolved", None, {})
    # IncidentResolved is delivered in the transaction, IncidentStarted on commit.
    assert events.names == ["IncidentResolved", "IncidentStarted"]


def test_an_incident_without_a_team_needs_one_before_an_agent(raise_incident, admin, agent):
    incident = raise_incident(service=None)
    with pytest.raises(ValidationFailed) as error:
        services.incident_assign(actor=admin, incident=incident, assignee=agent)
    assert error.value.field == "team_id"


def test_an_inactive_team_cannot_take_incidents(raise_incident, lead, network, admin):
    team_update(actor=admin, team=network, changes={"is_active": False})
    network.refresh_from_db()
    incident = raise_incident()
    with pytest.raises(ValidationFailed) as error:
        services.incident_assign(actor=lead, incident=incident, team=network)
    assert error.value.field == "team_id"


def test_naming_the_same_team_keeps_the_assignee_and_repeating_it_is_a_no_op(
    incident_in, lead, desk, agent, events
):
    incident = incident_in("assigned")

    with events.capture():
        same = services.incident_assign(actor=lead, incident=incident, team=desk)

    assert (same.assignee_id, same.version, events.items) == (agent.pk, incident.version, [])
    assert audit_entries(incident)[-1].action == "assign"
    assert len(audit_entries(incident)) == 2


def test_an_inactive_requester_cannot_raise_incidents(raise_incident, agent, admin):
    gone = factories.person()
    person_deactivate(actor=admin, person=gone)
    gone.refresh_from_db()
    with pytest.raises(ValidationFailed) as error:
        raise_incident(actor=agent, requester=gone)
    assert error.value.field == "requester_id"


@pytest.mark.parametrize(
    ("_case", "changes", "field"),
    [
        ("title too long", {"title": "长" * 201}, "title"),
        ("category too long", {"category": "x" * 65}, "category"),
        ("restricted not a boolean", {"restricted": "yes"}, "restricted"),
    ],
)
def test_update_limits(_case, changes, field, raise_incident, agent):
    incident = raise_incident()
    with pytest.raises(ValidationFailed) as error:
        services.incident_update(actor=agent, incident=incident, version=1, changes=changes)
    assert error.value.field == field


def test_update_of_the_description(raise_incident, requester):
    incident = raise_incident()
    updated = services.incident_update(
        actor=requester, incident=incident, version=1, changes={"description": "三号收银台"}
    )
    assert (updated.description, updated.version) == ("三号收银台", 2)


@pytest.mark.parametrize(
    ("_case", "values", "field"),
    [
        ("nothing given", {}, "priority"),
        ("priority 0", {"priority": 0}, "priority"),
        ("urgency 5", {"urgency": 5}, "urgency"),
    ],
)
def test_priority_limits(_case, values, field, raise_incident, agent):
    incident = raise_incident()
    with pytest.raises(ValidationFailed) as error:
        services.incident_set_priority(actor=agent, incident=incident, reason="调整", **values)
    assert error.value.field == field


def test_priority_of_a_resolved_incident_is_fixed(incident_in, agent):
    incident = incident_in("resolved")
    with pytest.raises(InvalidTransition):
        services.incident_set_priority(actor=agent, incident=incident, impact=1, reason="晚了")


def test_a_priority_change_to_the_same_values_is_a_no_op(raise_incident, agent, events):
    incident = raise_incident()
    with events.capture():
        same = services.incident_set_priority(
            actor=agent, incident=incident, impact=3, urgency=3, reason="复核"
        )
    assert (same.version, len(audit_entries(incident)), events.items) == (1, 1, [])


def test_over_long_notes_and_comments_are_refused(incident_in, agent):
    incident = incident_in("in_progress")
    with pytest.raises(ValidationFailed) as error:
        services.incident_resolve(
            actor=agent,
            incident=incident,
            resolution_code="user_error",
            resolution_note="长" * 4001,
        )
    assert error.value.field == "resolution_note"
    with pytest.raises(ValidationFailed) as error:
        services.incident_comment(actor=agent, incident=incident, body="长" * 10001, public=True)
    assert error.value.field == "body"


def test_a_missing_matrix_cell_is_created(admin):
    PriorityRule.objects.filter(impact=2, urgency=2).delete()
    services.priority_matrix_set(actor=admin, cells={(2, 2): 2})
    assert selectors.priority_matrix()[(2, 2)] == 2


def test_unknown_policy_fields_are_refused(admin):
    with pytest.raises(ValidationFailed) as error:
        services.incident_policy_update(actor=admin, changes={"colour": "red"})
    assert error.value.field == "colour"


def test_auto_close_leaves_an_incident_reopened_since_it_was_listed(
    incident_in, requester, clock, monkeypatch
):
    incident = incident_in("resolved")
    clock.advance(days=1)
    services.incident_reopen(actor=requester, incident=incident, reason="又坏了")
    monkeypatch.setattr(
        lifecycle.selectors, "incident_ids_due_for_auto_close", lambda now: [incident.pk]
    )
    clock.advance(days=30)

    assert services.incident_auto_close_due() == []
    incident.refresh_from_db()
    assert incident.status == "in_progress"


def test_the_responded_signal_never_resumes_a_paused_clock(
    china, service, requester, agent, lead, clock
):
    pausing = sla.agreement_create(
        actor=None,
        code="SLA-ODD",
        name="奇怪的协议",
        service=service,
        valid_from=dt.date(2026, 1, 1),
    )
    sla.metric_set(
        actor=None,
        agreement=pausing,
        kind="resolution",
        calendar=china,
        targets={"5": 600},
        start_states=["new"],
        pause_states=["assigned"],
        stop_states=["resolved"],
    )
    sla.metric_set(
        actor=None,
        agreement=pausing,
        kind="first_response",
        calendar=china,
        targets={"5": 60},
        **SERVICE_DESK_STATES["first_response"],
    )
    sla.agreement_activate(actor=None, agreement=pausing)
    incident = factories.incident(requester=requester, service=service)
    services.incident_assign(actor=lead, incident=incident, assignee=agent)

    services.incident_comment(actor=agent, incident=incident, body="收到", public=True)

    found = clocks(incident)
    assert (found["resolution"].state, found["first_response"].state) == ("paused", "running")


def test_a_calendar_that_does_not_cover_now_shows_the_clock_without_a_count(
    raise_incident, agent, clock
):
    incident = raise_incident()
    clock.set(at(2027, 6, 1, 10, 0))  # 2027 is not loaded into the China calendar

    views = selectors.incident_clocks_for(user=agent, incident=incident)

    assert {(v.kind, v.percent, v.remaining_seconds) for v in views} == {
        ("first_response", None, None),
        ("resolution", None, None),
    }


def test_assign_close_and_cancel_through_the_api(raise_incident, incident_in, agent, lead):
    client = Client()
    client.force_login(lead)
    fresh = raise_incident()
    resolved = incident_in("resolved")

    assigned = client.post(
        f"/api/v1/incidents/{fresh.number}/assign", {"assignee_id": agent.pk}, "application/json"
    )
    cancelled = client.post(
        f"/api/v1/incidents/{fresh.number}/cancel", {"reason": "重复"}, "application/json"
    )
    closed = client.post(f"/api/v1/incidents/{resolved.number}/close")

    assert [r.json()["status"] for r in (assigned, cancelled, closed)] == [
        "assigned",
        "cancelled",
        "closed",
    ]
