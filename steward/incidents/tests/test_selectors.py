"""Reads: visibility (an invisible incident does not exist), queues and filters, SLA views,
and the actions offered to each person."""

from __future__ import annotations

import pytest

from steward.core.errors import NotFound
from steward.identity.models import Role
from steward.incidents import permissions, selectors, services
from steward.incidents.filters import IncidentFilters
from steward.incidents.models import IncidentStatus
from steward.incidents.tests.conftest import at
from steward.testing import factories

pytestmark = pytest.mark.django_db


def _numbers(user, **filters):
    return [
        i.number for i in selectors.incident_list_for(user=user, filters=IncidentFilters(**filters))
    ]


def test_an_incident_of_another_team_does_not_exist_for_an_agent(raise_incident, network_agent):
    incident = raise_incident()

    with pytest.raises(NotFound):
        selectors.incident_get_for(user=network_agent, number=incident.number)
    assert _numbers(network_agent) == []


def test_a_restricted_incident_is_hidden_from_administrators_outside_the_team(
    raise_incident, agent, admin, requester
):
    incident = raise_incident(actor=agent, restricted=True)

    with pytest.raises(NotFound):
        selectors.incident_get_for(user=admin, number=incident.number)
    assert selectors.incident_get_for(user=requester, number=incident.number.lower()) == incident


def test_queues(incident_in, raise_incident, agent, lead, network, clock):
    new = raise_incident()
    mine = incident_in("in_progress")
    held = incident_in("on_hold")
    resolved = incident_in("resolved")
    elsewhere = incident_in("assigned")
    services.incident_assign(actor=agent, incident=elsewhere, team=network)

    assert _numbers(agent, queue="mine") == [held.number, mine.number]
    assert _numbers(lead, queue="my_teams") == [held.number, mine.number, new.number]
    assert _numbers(lead, queue="unassigned") == [new.number]
    assert _numbers(agent, queue="on_hold") == [held.number]
    assert _numbers(agent, queue="all") == [resolved.number, held.number, mine.number, new.number]
    assert _numbers(agent, status=("resolved", "on_hold")) == [resolved.number, held.number]


def test_breaching_soon_and_overdue_follow_the_running_resolution_clock(
    raise_incident, agent, clock
):
    urgent = raise_incident(impact=1, urgency=1)  # P1: 4 business hours → due 15:15
    relaxed = raise_incident()  # P5: due in two weeks
    clock.set(at(2026, 3, 2, 14, 30))

    assert _numbers(agent, queue="breaching_soon", within_minutes=60) == [urgent.number]
    assert _numbers(agent, queue="breaching_soon", within_minutes=30) == []
    assert _numbers(agent, queue="overdue") == []
    clock.set(at(2026, 3, 2, 15, 16))
    assert _numbers(agent, queue="overdue") == [urgent.number]
    assert relaxed.number not in _numbers(agent, queue="breaching_soon", within_minutes=600)


def test_recently_updated_and_raised_by_me(raise_incident, agent, requester, clock):
    old = raise_incident()
    clock.advance(days=2)
    fresh = raise_incident()

    assert _numbers(agent, queue="recently_updated", updated_within_hours=24) == [fresh.number]
    services.incident_comment(actor=agent, incident=old, body="跟进", public=True)
    assert _numbers(agent, queue="recently_updated") == [fresh.number, old.number]
    assert _numbers(requester, queue="raised_by_me") == [fresh.number, old.number]


def test_filters_by_priority_text_and_people(raise_incident, agent, requester):
    p2 = raise_incident(impact=1, urgency=2, title="会员系统登录失败")
    raise_incident(title="打印机卡纸")

    assert _numbers(agent, priority=(2,)) == [p2.number]
    assert _numbers(agent, query="会员") == [p2.number]
    assert _numbers(agent, query=p2.number) == [p2.number]
    assert len(_numbers(agent, requester_id=requester.pk)) == 2


def test_each_row_carries_the_customer_resolution_due_time(raise_incident, agent):
    incident = raise_incident(impact=1, urgency=2)
    [row] = selectors.incident_list_for(user=agent)
    assert row.resolution_due_at == at(2026, 3, 3, 10, 15)
    assert incident.number == row.number


def test_clock_views_give_due_remaining_and_percent(raise_incident, agent, clock):
    incident = raise_incident(impact=1, urgency=2)  # P2: response 30 min, resolution 8 h
    clock.advance(minutes=15)

    views = {v.kind: v for v in selectors.incident_clocks_for(user=agent, incident=incident)}

    first = views["first_response"]
    assert (first.due_at, first.remaining_seconds, first.percent) == (
        at(2026, 3, 2, 10, 45),
        15 * 60,
        50.0,
    )
    assert (views["resolution"].remaining_seconds, views["resolution"].target_minutes) == (
        465 * 60,
        480,
    )


def test_requesters_do_not_see_internal_agreements(raise_incident, agreement, requester, desk):
    from steward.sla import services as sla

    ola = sla.agreement_create(
        actor=None,
        code="OLA-DESK",
        name="服务台运营级别协议",
        kind="ola",
        team=desk,
        service=agreement.service,
        valid_from=agreement.valid_from,
    )
    sla.metric_set(
        actor=None,
        agreement=ola,
        kind="resolution",
        calendar=agreement.metrics.first().calendar,
        targets={"5": 600},
        start_states=["new"],
        stop_states=["resolved"],
    )
    sla.agreement_activate(actor=None, agreement=ola)
    incident = raise_incident()

    seen_by_requester = selectors.incident_clocks_for(user=requester, incident=incident)
    agent = factories.person(roles=(Role.AGENT,))
    assert sorted(v.agreement for v in seen_by_requester) == ["SLA-POS", "SLA-POS"]
    assert sorted(
        v.agreement for v in selectors.incident_clocks_for(user=agent, incident=incident)
    ) == [
        "OLA-DESK",
        "SLA-POS",
        "SLA-POS",
    ]


@pytest.mark.parametrize("status", IncidentStatus.values)
@pytest.mark.parametrize("who", ["agent", "requester", "network_agent", "auditor", "admin"])
def test_offered_actions_are_exactly_the_permitted_allowed_ones(status, who, incident_in, request):
    incident = incident_in(status)
    user = request.getfixturevalue(who)

    expected = [
        action
        for action in incident.allowed_actions()
        if permissions.ACTION_CHECKS[action](user, incident)
    ]
    assert permissions.actions_for(user, incident) == expected


def test_the_requester_is_offered_cancel_on_a_new_incident(raise_incident, requester, agent):
    incident = raise_incident()
    assert permissions.actions_for(requester, incident) == ["cancel"]
    assert permissions.actions_for(agent, incident) == [
        "assign", "start", "resolve", "cancel", "merge"
    ]
