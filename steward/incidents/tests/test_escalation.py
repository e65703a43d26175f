"""Escalation: functional (to another team, a reassignment) and hierarchical (team lead,
service owner, IT manager), each with an evidence row, a timeline entry and a message to the
new owner; refused on closed records, without a reason, or for people who do not work it."""

from __future__ import annotations

import pytest

from steward.core.errors import (
    BusinessRuleViolation,
    InvalidTransition,
    NotPermitted,
    ValidationFailed,
)
from steward.incidents.models import Escalation
from steward.incidents.selectors_routing import escalation_actions_for
from steward.incidents.services import (
    incident_escalate_functional,
    incident_escalate_hierarchical,
    incident_policy_update,
)
from steward.incidents.services.team_assignment import team_strategy_set
from steward.incidents.tests.conftest import audit_entries, state_of
from steward.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_functional_escalation_moves_it_to_the_team_and_counts_a_reassignment(
    incident_in, agent, network, network_agent, admin, desk
):
    team_strategy_set(actor=admin, team=network, strategy="round_robin")
    incident = incident_in("in_progress")

    escalated = incident_escalate_functional(
        actor=agent, incident=incident, team=network, reason="需要网络组排查交换机"
    )

    assert (escalated.team_id, escalated.assignee_id, escalated.status,
            escalated.reassignment_count) == (network.pk, network_agent.pk, "assigned", 1)
    row = Escalation.objects.get()
    assert (row.kind, row.level, row.actor_id, row.from_team_id, row.to_team_id,
            row.from_person_id, row.to_person_id, row.reason) == (
        "functional", 0, agent.pk, desk.pk, network.pk, agent.pk, network_agent.pk,
        "需要网络组排查交换机",
    )
    entry = audit_entries(escalated)[-1]
    assert (entry.action, entry.changes["kind"], entry.changes["team"]) == (
        "escalate", "functional", [desk.pk, network.pk]
    )
    sent = Notification.objects.get(event="incident.escalated")
    assert sent.recipient_id == network_agent.pk
    assert sent.subject == f"[{escalated.number}] 故障已升级给您：收银机无法开机"
    assert "需要网络组排查交换机" in sent.body


def test_functional_escalation_to_a_manual_team_tells_its_lead(
    incident_in, agent, network, lead, admin
):
    from steward.identity.services import team_update

    team_update(actor=admin, team=network, changes={"lead": lead})
    incident = incident_in("assigned")

    escalated = incident_escalate_functional(
        actor=agent, incident=incident, team=network, reason="转网络组"
    )

    assert (escalated.assignee_id, escalated.status) == (None, "assigned")
    assert list(
        Notification.objects.filter(event="incident.escalated").values_list(
            "recipient_id", flat=True
        )
    ) == [lead.pk]


def test_hierarchical_escalation_climbs_lead_owner_manager(incident_in, agent, lead, service,
                                                         admin):
    manager = admin
    incident_policy_update(actor=admin, changes={"it_manager": manager})
    incident = incident_in("in_progress")

    levels = []
    for reason in ("超过两小时未恢复", "影响全部门店", "需要管理层决策"):
        incident = incident_escalate_hierarchical(actor=agent, incident=incident, reason=reason)
        levels.append(incident.escalation_level)

    rows = list(Escalation.objects.values_list("level", "from_person_id", "to_person_id"))
    assert levels == [1, 2, 3]
    assert rows == [
        (1, agent.pk, lead.pk),
        (2, lead.pk, service.owner_id),
        (3, service.owner_id, manager.pk),
    ]
    assert incident.status == "in_progress"
    assert list(Notification.objects.filter(event="incident.escalated").order_by("pk")
                .values_list("recipient_id", flat=True)) == [lead.pk, service.owner_id,
                                                              manager.pk]
    assert escalation_actions_for(agent, incident) == ["escalate_functional"]
    with pytest.raises(BusinessRuleViolation) as caught:
        incident_escalate_hierarchical(actor=agent, incident=incident, reason="再升级")
    assert caught.value.code == "escalation_top"


def test_a_level_without_a_person_is_skipped(incident_in, agent, service):
    incident = incident_in("new")
    incident.team.lead = None
    incident.team.save()

    escalated = incident_escalate_hierarchical(actor=agent, incident=incident, reason="紧急")

    assert escalated.escalation_level == 2
    assert Escalation.objects.get().to_person_id == service.owner_id


@pytest.mark.parametrize("status", ["closed", "cancelled", "resolved"])
def test_cannot_escalate_a_record_that_is_not_open(incident_in, agent, network, status):
    incident = incident_in(status)
    before = state_of(incident)

    with pytest.raises(InvalidTransition):
        incident_escalate_functional(actor=agent, incident=incident, team=network, reason="x")
    with pytest.raises(InvalidTransition):
        incident_escalate_hierarchical(actor=agent, incident=incident, reason="x")

    assert state_of(incident) == before
    assert (Escalation.objects.count(), Notification.objects.filter(
        event="incident.escalated").count()) == (0, 0)
    assert escalation_actions_for(agent, incident) == []


def test_functional_escalation_not_while_on_hold(incident_in, agent, network):
    incident = incident_in("on_hold")

    with pytest.raises(InvalidTransition):
        incident_escalate_functional(actor=agent, incident=incident, team=network, reason="x")

    assert escalation_actions_for(agent, incident) == ["escalate_hierarchical"]


def test_refusals_write_nothing(incident_in, agent, network_agent, requester, desk):
    incident = incident_in("in_progress")
    before = state_of(incident)

    with pytest.raises(NotPermitted):
        incident_escalate_hierarchical(actor=network_agent, incident=incident, reason="x")
    with pytest.raises(NotPermitted):
        incident_escalate_hierarchical(actor=requester, incident=incident, reason="x")
    with pytest.raises(ValidationFailed) as no_reason:
        incident_escalate_hierarchical(actor=agent, incident=incident, reason="  ")
    with pytest.raises(BusinessRuleViolation) as same:
        incident_escalate_functional(actor=agent, incident=incident, team=desk, reason="x")

    assert (no_reason.value.field, same.value.code) == ("reason", "same_team")
    assert state_of(incident) == before
    assert Escalation.objects.count() == 0
    assert escalation_actions_for(requester, incident) == []


def test_escalation_templates_render_in_english(incident_in, agent, lead):
    lead.language = "en"
    lead.save()
    incident = incident_in("in_progress")

    incident_escalate_hierarchical(actor=agent, incident=incident, reason="Store-wide outage")

    sent = Notification.objects.get(event="incident.escalated")
    assert sent.subject == f"[{incident.number}] escalated to you: 收银机无法开机"
    assert "to you (level 1)" in sent.body
    assert "Reason: Store-wide outage" in sent.body


def test_selectors_offer_both_escalations_to_the_team(incident_in, agent):
    incident = incident_in("in_progress")

    assert escalation_actions_for(agent, incident) == [
        "escalate_functional", "escalate_hierarchical"
    ]


