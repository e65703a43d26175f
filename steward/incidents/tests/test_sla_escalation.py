"""An SLA warning or breach that reaches a manager raises the incident's hierarchical
escalation level in the transaction that fires it: an evidence row with no actor, one
automatic ``escalate`` audit entry, and no second message to the people the SLA notification
already told. Thresholds at or below the current level, the assignee's level and incidents
that are no longer open change nothing."""

from __future__ import annotations

import pytest
from django.db import transaction

from steward.core import events as core_events
from steward.identity.services import person_deactivate, team_update
from steward.incidents.events_routing import IncidentEscalated
from steward.incidents.models import Escalation, Incident
from steward.incidents.services import (
    incident_escalate_for_sla,
    incident_escalate_hierarchical,
    incident_policy_update,
)
from steward.incidents.tests.conftest import Clock, audit_entries, clocks, state_of
from steward.notifications.models import Notification
from steward.sla import services as sla
from steward.sla.events import SlaThresholdReached
from steward.sla.models import SlaMilestone
from steward.sla.tests.conftest import at
from steward.testing import factories

pytestmark = pytest.mark.django_db


def _fire(clock: Clock, incident: Incident, metric: str, percent: int) -> bool:
    """Fire the milestone of the incident's running ``metric`` clock at its due time."""
    milestone = SlaMilestone.objects.get(
        clock=clocks(incident)[metric], percent=percent, status="pending"
    )
    clock.set(max(clock.now, milestone.next_attempt_at))
    return sla.milestone_fire(milestone_id=milestone.pk)


def _level(incident: Incident) -> int:
    return Incident.objects.get(pk=incident.pk).escalation_level


def _sent(event: str) -> list[int]:
    return sorted(
        Notification.objects.filter(event=event).values_list("recipient_id", flat=True)
    )


@pytest.fixture
def escalated_events(isolated_subscribers: None) -> list[IncidentEscalated]:
    captured: list[IncidentEscalated] = []
    core_events.subscribe(IncidentEscalated, captured.append)
    return captured


def test_a_75_percent_warning_raises_the_incident_to_its_team_lead(
    incident_in, clock, agent, lead, escalated_events
):
    incident = incident_in("in_progress")

    assert _fire(clock, incident, "resolution", 75) is True

    row = Escalation.objects.get()
    assert (row.kind, row.level, row.actor_id, row.at, row.from_person_id, row.to_person_id,
            row.reason) == (
        "hierarchical", 1, None, clock.now, agent.pk, lead.pk,
        "SLA warning: Resolution at 75% of its target.",
    )
    assert _level(incident) == 1
    entry = audit_entries(incident)[-1]
    assert (entry.action, entry.actor_id, entry.changes) == (
        "escalate", None, {
            "escalation_level": [0, 1], "kind": "hierarchical", "reason": row.reason,
            "escalated_to": lead.username, "escalation_id": row.pk, "automatic": True,
            "percent": 75, "metric": "resolution",
        },
    )
    assert [(e.actor_id, e.escalation_id, e.level, e.recipient_ids)
            for e in escalated_events] == [(None, row.pk, 1, ())]
    assert (_sent("sla.warning"), _sent("incident.escalated")) == ([lead.pk], [])


@pytest.mark.parametrize(
    ("_case", "percent", "reason", "event"),
    [
        ("90 percent", 90, "SLA warning: Resolution at 90% of its target.", "sla.warning"),
        ("breach", 100, "SLA breached: Resolution target missed.", "sla.breached"),
    ],
)
def test_a_service_owner_threshold_raises_the_incident_to_level_2(
    incident_in, clock, agent, lead, service, _case, percent, reason, event
):
    incident = incident_in("in_progress")

    _fire(clock, incident, "resolution", percent)

    assert _level(incident) == 2
    row = Escalation.objects.get()
    assert (row.level, row.actor_id, row.from_person_id, row.to_person_id, row.reason) == (
        2, None, agent.pk, service.owner_id, reason
    )
    assert audit_entries(incident)[-1].changes["percent"] == percent
    assert (_sent(event), _sent("incident.escalated")) == (
        sorted([lead.pk, service.owner_id]), []
    )


def test_warnings_climb_one_level_each_from_the_previous_holder(
    incident_in, clock, agent, lead, service
):
    incident = incident_in("assigned")

    _fire(clock, incident, "first_response", 75)
    _fire(clock, incident, "first_response", 90)

    assert _level(incident) == 2
    assert list(Escalation.objects.values_list("level", "from_person_id", "to_person_id")) == [
        (1, agent.pk, lead.pk),
        (2, lead.pk, service.owner_id),
    ]
    assert audit_entries(incident)[-1].changes["metric"] == "first_response"
    assert Notification.objects.filter(event="incident.escalated").count() == 0


@pytest.mark.parametrize(("_case", "percent"), [("below", 75), ("equal", 90)])
def test_a_threshold_at_or_below_the_current_level_changes_nothing(
    incident_in, clock, agent, _case, percent
):
    incident = incident_in("in_progress")
    for reason in ("超过两小时未恢复", "影响全部门店"):
        incident = incident_escalate_hierarchical(actor=agent, incident=incident, reason=reason)
    before = state_of(incident)

    assert _fire(clock, incident, "resolution", percent) is True

    assert state_of(incident) == before
    assert (_level(incident), Escalation.objects.count()) == (2, 2)


def test_the_assignee_threshold_changes_nothing(incident_in, clock, agent):
    incident = incident_in("in_progress")
    before = state_of(incident)

    assert _fire(clock, incident, "resolution", 50) is True

    assert state_of(incident) == before
    assert Escalation.objects.count() == 0
    assert _sent("sla.warning") == [agent.pk]


def test_a_repeated_delivery_changes_nothing(incident_in, clock):
    incident = incident_in("in_progress")
    _fire(clock, incident, "resolution", 75)
    before = state_of(incident)

    again = incident_escalate_for_sla(
        incident_id=incident.pk, clock_id=clocks(incident)["resolution"].pk,
        sla_level="team_lead", percent=75,
    )

    assert again is None
    assert state_of(incident) == before
    assert Escalation.objects.count() == 1


@pytest.mark.parametrize("status", ["resolved", "closed", "cancelled"])
def test_an_incident_that_is_not_open_is_not_escalated(incident_in, clock, status):
    incident = incident_in(status)
    before = state_of(incident)

    with transaction.atomic():
        core_events.emit_in_transaction(
            SlaThresholdReached(
                clock_id=clocks(incident)["resolution"].pk, record_number=incident.number,
                percent=100, escalate_to="service_owner", due_at=clock.now,
            )
        )

    assert state_of(incident) == before
    assert (Escalation.objects.count(), _sent("incident.escalated")) == (0, [])


def test_a_level_without_a_person_is_skipped(incident_in, clock, admin, desk, service):
    team_update(actor=admin, team=desk, changes={"lead": None})
    incident = incident_in("in_progress")

    _fire(clock, incident, "resolution", 75)

    assert _level(incident) == 2
    assert Escalation.objects.get().to_person_id == service.owner_id
    assert (_sent("sla.warning"), _sent("incident.escalated")) == ([service.owner_id], [])


def test_a_manager_the_sla_message_missed_is_told_once(
    incident_in, clock, admin, lead, service
):
    manager = factories.person(name="周经理")
    incident_policy_update(actor=admin, changes={"it_manager": manager})
    person_deactivate(actor=admin, person=service.owner)
    incident = incident_in("in_progress")

    _fire(clock, incident, "resolution", 90)

    assert _level(incident) == 3
    assert Escalation.objects.get().to_person_id == manager.pk
    assert _sent("incident.escalated") == [manager.pk]
    assert manager.pk not in _sent("sla.warning")


def test_with_nobody_at_or_above_the_level_nothing_changes(
    incident_in, clock, admin, desk, service
):
    team_update(actor=admin, team=desk, changes={"lead": None})
    person_deactivate(actor=admin, person=service.owner)
    incident = incident_in("in_progress")
    before = state_of(incident)

    assert _fire(clock, incident, "resolution", 75) is True

    assert state_of(incident) == before
    assert Escalation.objects.count() == 0


def test_a_warning_on_another_kind_of_record_leaves_incidents_alone(
    incident_in, clock, service
):
    incident = incident_in("in_progress")
    memo = factories.memo(requester=factories.person(), team=factories.team(
        lead=factories.person()))
    sla.clocks_attach(record=memo, service=service, state="new", priority=1,
                      at=at(2026, 3, 2, 9, 0))
    warning = SlaMilestone.objects.get(clock__record_number=memo.number,
                                       clock__kind="resolution", percent=75)
    before = state_of(incident)

    clock.set(warning.next_attempt_at)
    assert sla.milestone_fire(milestone_id=warning.pk) is True

    assert state_of(incident) == before
    assert Escalation.objects.count() == 0
