"""Raising an incident, editing its fields with optimistic concurrency, changing its priority."""

from __future__ import annotations

import pytest

from steward.catalogue.services import service_update
from steward.core.errors import Conflict, InvalidTransition, NotPermitted, ValidationFailed
from steward.identity.models import Role
from steward.incidents import services
from steward.incidents.events import IncidentCreated, IncidentPriorityChanged, IncidentUpdated
from steward.incidents.models import Incident, NumberSequence
from steward.incidents.services.numbering import number_last
from steward.incidents.tests.conftest import MONDAY, at, audit_entries, clocks, state_of
from steward.testing import factories

pytestmark = pytest.mark.django_db


def test_requester_raises_an_incident_with_priority_team_sla_and_acknowledgement(
    raise_incident, requester, desk, service, events
):
    with events.capture():
        incident = raise_incident(impact=1, urgency=2, description="整排收银机黑屏")

    incident.refresh_from_db()
    assert (incident.number, incident.status, incident.priority) == ("INC-000001", "new", 2)
    assert (incident.team_id, incident.assignee_id, incident.service_id) == (
        desk.pk,
        None,
        service.pk,
    )
    assert (incident.department_id, incident.site_id) == (
        requester.department_id,
        requester.site_id,
    )
    assert (incident.channel, incident.opened_at, incident.version) == ("portal", MONDAY, 1)
    [entry] = audit_entries(incident)
    assert (entry.action, entry.actor_id) == ("create", requester.pk)
    assert entry.changes["priority"] == 2
    assert entry.changes["number"] == "INC-000001"
    found = clocks(incident)
    assert {kind: (c.state, c.due_at) for kind, c in found.items()} == {
        "first_response": ("running", at(2026, 3, 2, 10, 45)),  # P2: 30 business minutes
        "resolution": ("running", at(2026, 3, 3, 10, 15)),  # P2: 8 business hours
    }
    assert events.items == [
        IncidentCreated(
            incident_id=incident.pk,
            number="INC-000001",
            actor_id=requester.pk,
            requester_id=requester.pk,
            first_response_due_at=at(2026, 3, 2, 10, 45),
        )
    ]


def test_numbers_follow_each_other(raise_incident):
    numbers = [raise_incident().number for _ in range(3)]
    assert numbers == ["INC-000001", "INC-000002", "INC-000003"]
    assert number_last() == 3


def test_a_missing_sequence_row_restarts_after_the_highest_number(raise_incident, vendor):
    if vendor == "postgresql":
        pytest.skip("PostgreSQL takes incident numbers from a sequence, not the row")
    raise_incident()
    raise_incident()
    NumberSequence.objects.all().delete()

    assert raise_incident().number == "INC-000003"


def test_agent_raises_an_incident_on_behalf_of_a_caller(raise_incident, agent, requester):
    incident = raise_incident(actor=agent, channel="phone")

    assert (incident.requester_id, incident.channel) == (requester.pk, "phone")
    assert audit_entries(incident)[0].actor_id == agent.pk


def test_requester_cannot_raise_for_someone_else(raise_incident, requester, events):
    other = factories.person()

    with events.capture(), pytest.raises(NotPermitted):
        raise_incident(actor=other)

    assert not Incident.objects.exists()
    assert number_last() == 0
    assert events.items == []


def test_only_agents_may_restrict_an_incident(raise_incident):
    with pytest.raises(NotPermitted):
        raise_incident(restricted=True)
    assert not Incident.objects.exists()


def test_without_a_service_the_policy_team_takes_it_and_no_clock_starts(
    raise_incident, admin, network, events
):
    services.incident_policy_update(actor=admin, changes={"default_team": network})

    with events.capture():
        incident = raise_incident(service=None)

    assert (incident.team_id, clocks(incident)) == (network.pk, {})
    assert events.items[0].first_response_due_at is None


def test_a_retired_service_is_refused(raise_incident, service):
    service_update(actor=None, service=service, changes={"lifecycle": "retired"})
    service.refresh_from_db()

    with pytest.raises(ValidationFailed) as error:
        raise_incident()

    assert error.value.field == "service_id"
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("_case", "fields", "field"),
    [
        ("blank title", {"title": "   "}, "title"),
        ("impact 0", {"impact": 0}, "impact"),
        ("urgency 4", {"urgency": 4}, "urgency"),
        ("unknown channel", {"channel": "fax"}, "channel"),
    ],
)
def test_invalid_input_is_refused_with_its_field(_case, fields, field, raise_incident):
    with pytest.raises(ValidationFailed) as error:
        raise_incident(**fields)
    assert error.value.field == field
    assert not Incident.objects.exists()


def test_requester_edits_the_title_with_the_version_read(raise_incident, requester, events):
    incident = raise_incident()

    with events.capture():
        updated = services.incident_update(
            actor=requester, incident=incident, version=1, changes={"title": "收银机 3 号无法开机"}
        )

    assert (updated.title, updated.version) == ("收银机 3 号无法开机", 2)
    entry = audit_entries(incident)[-1]
    assert (entry.action, entry.changes) == (
        "update",
        {"title": ["收银机无法开机", "收银机 3 号无法开机"]},
    )
    assert events.items == [
        IncidentUpdated(
            incident_id=incident.pk,
            number=incident.number,
            actor_id=requester.pk,
            fields=("title",),
        )
    ]


def test_a_stale_version_is_a_conflict_and_changes_nothing(raise_incident, agent, events):
    incident = raise_incident()
    services.incident_update(
        actor=agent, incident=incident, version=1, changes={"category": "硬件"}
    )
    before = state_of(incident)

    with events.capture(), pytest.raises(Conflict) as error:
        services.incident_update(
            actor=agent, incident=incident, version=1, changes={"title": "另一个标题"}
        )

    assert error.value.code == "stale_version"
    assert "version 1" in error.value.message
    assert "version 2" in error.value.message
    assert state_of(incident) == before
    assert events.items == []


def test_an_update_that_changes_nothing_keeps_the_version(raise_incident, agent, events):
    incident = raise_incident()
    with events.capture():
        same = services.incident_update(
            actor=agent, incident=incident, version=1, changes={"title": incident.title}
        )
    assert (same.version, len(audit_entries(incident)), events.items) == (1, 1, [])


@pytest.mark.parametrize(
    ("_case", "actor", "changes"),
    [
        ("requester changes the category", "requester", {"category": "网络"}),
        ("agent declares a major incident", "agent", {"is_major": True}),
        ("agent of another team edits", "network_agent", {"title": "x"}),
        ("auditor edits", "auditor", {"title": "x"}),
    ],
)
def test_edits_beyond_the_actors_rights_are_refused(_case, actor, changes, raise_incident, request):
    incident = raise_incident()
    before = state_of(incident)

    with pytest.raises(NotPermitted):
        services.incident_update(
            actor=request.getfixturevalue(actor), incident=incident, version=1, changes=changes
        )

    assert state_of(incident) == before


def test_team_lead_declares_a_major_incident(raise_incident, lead):
    incident = raise_incident()
    updated = services.incident_update(
        actor=lead, incident=incident, version=1, changes={"is_major": True}
    )
    assert (updated.is_major, audit_entries(incident)[-1].changes) == (
        True,
        {"is_major": [False, True]},
    )


def test_unknown_fields_are_refused(raise_incident, agent):
    incident = raise_incident()
    with pytest.raises(ValidationFailed) as error:
        services.incident_update(actor=agent, incident=incident, version=1, changes={"status": "x"})
    assert error.value.field == "status"


def test_a_closed_incident_cannot_be_edited(incident_in, agent):
    incident = incident_in("closed")
    with pytest.raises(InvalidTransition):
        services.incident_update(
            actor=agent, incident=incident, version=incident.version, changes={"title": "x"}
        )


def test_agent_raises_impact_and_the_sla_follows_the_new_priority(raise_incident, agent, events):
    incident = raise_incident()  # impact 3 × urgency 3 → P5
    assert clocks(incident)["resolution"].due_at == at(2026, 3, 16, 10, 15)  # 80 business hours

    with events.capture():
        changed = services.incident_set_priority(
            actor=agent, incident=incident, impact=1, reason="整店无法收银"
        )

    assert (changed.impact, changed.urgency, changed.priority, changed.version) == (1, 3, 3, 2)
    entry = audit_entries(incident)[-1]
    assert (entry.action, entry.changes) == (
        "priority",
        {"impact": [3, 1], "priority": [5, 3], "reason": "整店无法收银", "explicit": False},
    )
    # P3: 16 business hours from the original start (policy: recompute).
    assert clocks(incident)["resolution"].due_at == at(2026, 3, 4, 10, 15)
    assert events.items == [
        IncidentPriorityChanged(
            incident_id=incident.pk,
            number=incident.number,
            actor_id=agent.pk,
            before=5,
            after=3,
            reason="整店无法收银",
        )
    ]


def test_explicit_priority_overrides_the_matrix(raise_incident, agent):
    incident = raise_incident()
    changed = services.incident_set_priority(
        actor=agent, incident=incident, priority=1, reason="总部要求立即处理"
    )
    assert (changed.impact, changed.urgency, changed.priority) == (3, 3, 1)
    assert audit_entries(incident)[-1].changes["explicit"] is True


def test_priority_uses_the_administrators_matrix(raise_incident, admin, agent):
    services.priority_matrix_set(actor=admin, cells={(2, 3): 2})
    incident = raise_incident()
    changed = services.incident_set_priority(
        actor=agent, incident=incident, impact=2, reason="影响多家门店"
    )
    assert changed.priority == 2


def test_a_priority_change_without_a_reason_changes_nothing(raise_incident, agent, events):
    incident = raise_incident()
    before = state_of(incident)

    with events.capture(), pytest.raises(ValidationFailed) as error:
        services.incident_set_priority(actor=agent, incident=incident, impact=1, reason=" ")

    assert error.value.field == "reason"
    assert state_of(incident) == before
    assert events.items == []


def test_requester_cannot_change_the_priority(raise_incident, requester):
    incident = raise_incident()
    before = state_of(incident)
    with pytest.raises(NotPermitted):
        services.incident_set_priority(actor=requester, incident=incident, urgency=1, reason="急")
    assert state_of(incident) == before


def test_only_administrators_edit_the_matrix(agent):
    with pytest.raises(NotPermitted):
        services.priority_matrix_set(actor=agent, cells={(1, 1): 2})


def test_matrix_edits_are_validated_and_audited(admin):
    with pytest.raises(ValidationFailed):
        services.priority_matrix_set(actor=admin, cells={(1, 1): 6})
    rules = services.priority_matrix_set(actor=admin, cells={(1, 1): 1, (3, 3): 4})
    assert [(r.impact, r.urgency, r.priority) for r in rules][-1] == (3, 3, 4)


def test_policy_edits_are_for_administrators_and_validated(admin):
    agent = factories.person(roles=(Role.AGENT,))
    with pytest.raises(NotPermitted):
        services.incident_policy_update(actor=agent, changes={"auto_close_days": 3})
    with pytest.raises(ValidationFailed) as error:
        services.incident_policy_update(actor=admin, changes={"auto_close_days": 0})
    assert error.value.field == "auto_close_days"
    policy = services.incident_policy_update(actor=admin, changes={"auto_close_days": 3})
    assert policy.auto_close_days == 3


def test_a_null_field_is_refused(raise_incident, agent):
    incident = raise_incident()
    with pytest.raises(ValidationFailed) as error:
        services.incident_update(actor=agent, incident=incident, version=1, changes={"title": None})
    assert error.value.field == "title"
