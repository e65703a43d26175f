"""Every action refused from every status the table does not allow it from, and every action
refused to the people who may not take it: an error, and nothing changed (row, audit entries,
SLA clocks, events)."""

from __future__ import annotations

import pytest

from steward.core.errors import InvalidTransition, NotPermitted
from steward.identity.models import Role
from steward.incidents.models import TRANSITIONS, IncidentStatus
from steward.incidents.tests.actions import CALLS, SOURCE
from steward.incidents.tests.conftest import state_of
from steward.testing import factories

pytestmark = pytest.mark.django_db

DISALLOWED = [
    (action, status)
    for action in TRANSITIONS.actions
    if action != "merge"  # needs a second record: test_links.py covers its refusals
    for status in IncidentStatus.values
    if action not in TRANSITIONS.allowed(status)
]


def test_the_refusal_matrix_is_what_the_table_says():
    assert len(DISALLOWED) == 8 * 7 - 17  # 17 allowed (action, status) pairs


@pytest.mark.parametrize(("action", "status"), DISALLOWED)
def test_action_from_a_disallowed_status_is_an_invalid_transition(
    action, status, incident_in, agent, events
):
    incident = incident_in(status)
    before = state_of(incident)

    with events.capture(), pytest.raises(InvalidTransition) as error:
        CALLS[action](agent, incident, agent)

    assert error.value.code == "invalid_transition"
    assert action in error.value.message
    assert state_of(incident) == before
    assert events.items == []


AGENT_ONLY = ["assign", "start", "hold", "resume", "resolve"]
REQUESTER_TOO = ["reopen", "close", "cancel"]
DENIALS = (
    [(action, "requester") for action in AGENT_ONLY]
    + [(action, who) for action in SOURCE for who in ("network_agent", "auditor", "stranger")]
    + [(action, "delegate") for action in SOURCE]
)


@pytest.fixture
def stranger(db):
    return factories.person()


@pytest.fixture
def delegate(requester):
    person = factories.person()
    requester.department.delegates.add(person)
    return person


@pytest.mark.parametrize(("action", "actor"), DENIALS)
def test_action_by_someone_not_permitted_changes_nothing(
    action, actor, incident_in, agent, events, request
):
    incident = incident_in(SOURCE[action])
    before = state_of(incident)

    with events.capture(), pytest.raises(NotPermitted):
        CALLS[action](request.getfixturevalue(actor), incident, agent)

    assert state_of(incident) == before
    assert events.items == []


@pytest.mark.parametrize("action", REQUESTER_TOO)
def test_the_requester_may_reopen_close_and_cancel(action, incident_in, requester, agent):
    incident = incident_in(SOURCE[action])
    changed = CALLS[action](requester, incident, agent)
    assert changed.status == TRANSITIONS.target(action, SOURCE[action])


@pytest.mark.parametrize("action", list(SOURCE))
def test_an_administrator_outside_the_team_may_take_every_action(action, incident_in, agent):
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    incident = incident_in(SOURCE[action])
    changed = CALLS[action](admin, incident, agent)
    assert changed.status == TRANSITIONS.target(action, SOURCE[action])
