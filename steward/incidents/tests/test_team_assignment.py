"""Assignment inside a team after routing: manual leaves the incident in the queue;
round-robin takes turns and skips inactive and away people; least-loaded picks the member
with the fewest open incidents, ties to whoever was served least recently."""

from __future__ import annotations

from typing import Any

import pytest

from steward.core.errors import NotPermitted, ValidationFailed
from steward.identity import services as identity
from steward.identity.models import Role
from steward.incidents.models import MemberAvailability, TeamAssignment
from steward.incidents.services import team_assignment as assignment
from steward.incidents.tests.conftest import audit_entries
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(db: Any) -> list[Any]:
    return [factories.person(roles=(Role.AGENT,), name=f"工程师{i}") for i in range(3)]


@pytest.fixture
def ops(crew: list[Any], admin: Any) -> Any:
    return factories.team(code="OPS", name="运维组", members=tuple(crew))


@pytest.fixture
def ops_service(ops: Any) -> Any:
    return factories.service(code="ERP", name="ERP", support_team=ops)


def raise_on(service: Any, n: int = 1) -> list[Any]:
    return [factories.incident(service=service) for _ in range(n)]


def test_manual_leaves_the_incident_unassigned_in_the_team_queue(ops_service, ops):
    (incident,) = raise_on(ops_service)

    assert (incident.team_id, incident.assignee_id, incident.status) == (ops.pk, None, "new")


def test_round_robin_takes_turns(admin, ops, ops_service, crew):
    assignment.team_strategy_set(actor=admin, team=ops, strategy="round_robin")

    incidents = raise_on(ops_service, 4)

    assert [i.assignee_id for i in incidents] == [crew[0].pk, crew[1].pk, crew[2].pk, crew[0].pk]
    assert {i.status for i in incidents} == {"assigned"}
    entry = audit_entries(incidents[0])[-1]
    assert (entry.action, entry.actor_id, entry.changes["strategy"]) == (
        "assign", None, "round_robin"
    )


def test_round_robin_skips_away_and_inactive_people(admin, ops, ops_service, crew):
    assignment.team_strategy_set(actor=admin, team=ops, strategy="round_robin")
    assignment.member_availability_set(
        actor=crew[1], team=ops, person=crew[1], available=False, note="年假"
    )
    identity.person_deactivate(actor=admin, person=crew[2])

    incidents = raise_on(ops_service, 2)

    assert [i.assignee_id for i in incidents] == [crew[0].pk, crew[0].pk]


def test_nobody_available_leaves_it_in_the_queue(admin, ops, ops_service, crew):
    assignment.team_strategy_set(actor=admin, team=ops, strategy="round_robin")
    for person in crew:
        assignment.member_availability_set(actor=admin, team=ops, person=person, available=False)

    (incident,) = raise_on(ops_service)

    assert (incident.assignee_id, incident.status) == (None, "new")


def test_least_loaded_picks_fewest_open_then_least_recently_served(admin, ops, ops_service,
                                                                   crew):
    assignment.team_strategy_set(actor=admin, team=ops, strategy="least_loaded")

    first = raise_on(ops_service, 3)
    # each has one now; crew[0] was served longest ago
    fourth = raise_on(ops_service)[0]

    assert [i.assignee_id for i in first] == [crew[0].pk, crew[1].pk, crew[2].pk]
    assert fourth.assignee_id == crew[0].pk


def test_least_loaded_counts_open_incidents_only(admin, ops, ops_service, crew):
    agent = crew[0]
    busy = [factories.incident_in("in_progress", agent=agent, service=ops_service)
            for _ in range(2)]
    factories.incident_in("in_progress", agent=crew[1], service=ops_service)
    factories.incident_in("resolved", agent=crew[2], service=ops_service)
    assignment.team_strategy_set(actor=admin, team=ops, strategy="least_loaded")

    (incident,) = raise_on(ops_service)

    assert len(busy) == 2
    assert incident.assignee_id == crew[2].pk


def test_only_admins_and_the_lead_set_the_strategy(ops, crew, lead, admin):
    with pytest.raises(NotPermitted):
        assignment.team_strategy_set(actor=crew[0], team=ops, strategy="round_robin")
    assert not TeamAssignment.objects.filter(team=ops).exists()

    identity.team_update(actor=admin, team=ops, changes={"lead": lead})
    ops.refresh_from_db()
    assignment.team_strategy_set(actor=lead, team=ops, strategy="least_loaded")

    assert TeamAssignment.objects.get(team=ops).strategy == "least_loaded"


def test_unknown_strategy_and_non_member_are_refused(admin, ops, network_agent):
    with pytest.raises(ValidationFailed) as caught:
        assignment.team_strategy_set(actor=admin, team=ops, strategy="random")
    assert caught.value.field == "strategy"

    with pytest.raises(ValidationFailed) as caught:
        assignment.member_availability_set(
            actor=admin, team=ops, person=network_agent, available=False
        )
    assert caught.value.field == "person_id"
    assert not MemberAvailability.objects.exists()


def test_a_member_may_not_mark_a_colleague_away(ops, crew):
    with pytest.raises(NotPermitted):
        assignment.member_availability_set(actor=crew[0], team=ops, person=crew[1],
                                           available=False)

    assert not MemberAvailability.objects.exists()
