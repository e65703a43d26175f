"""Routing rules: first active match wins on service, category, site / site group, keywords
(zh and en, any case) and VIP requesters; the fallback is the service's support team; the
rule is recorded as evidence; only administrators change rules."""

from __future__ import annotations

from typing import Any

import pytest

from steward.audit.models import AuditEntry
from steward.core.errors import Conflict, NotPermitted, ValidationFailed
from steward.identity.models import Role, SiteGroup
from steward.incidents.models import RoutingRule
from steward.incidents.services import routing
from steward.incidents.tests.conftest import audit_entries
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def security(db: Any) -> Any:
    member = factories.person(roles=(Role.AGENT,))
    return factories.team(code="SEC", name="安全组", members=(member,))


def rule(admin: Any, team: Any, **fields: Any) -> RoutingRule:
    fields.setdefault("name", f"规则 {team.code}")
    return routing.routing_rule_create(actor=admin, team=team, **fields)


def test_without_rules_the_service_support_team_takes_it(requester, service, desk):
    # Given no rules / When an incident is raised on the POS service
    incident = factories.incident(requester=requester, service=service)

    # Then the desk (its support team) has it, and no rule is recorded
    assert (incident.team_id, incident.routing_rule_id) == (desk.pk, None)
    assert [e.action for e in audit_entries(incident)] == ["create"]


@pytest.mark.parametrize(
    ("keywords", "title"),
    [
        ("病毒, 勒索", "电脑中了勒索软件"),
        ("ransomware\nphishing", "Got a PHISHING mail"),
        ("Phishing", "钓鱼邮件 phishing 链接"),
    ],
)
def test_a_keyword_rule_matches_title_in_any_case_and_language(
    admin, requester, service, security, keywords, title
):
    rule(admin, security, keywords=keywords)

    incident = factories.incident(requester=requester, service=service, title=title)

    assert incident.team_id == security.pk


def test_keywords_also_match_the_description(admin, requester, service, security):
    rule(admin, security, keywords="vpn")

    incident = factories.incident(
        requester=requester, service=service, title="无法访问", description="连接 VPN 失败"
    )

    assert incident.team_id == security.pk


def test_first_match_wins_and_the_rule_is_recorded(admin, requester, service, security, network):
    first = rule(admin, network, name="收银网络", service=service)
    rule(admin, security, name="兜底", service=service)

    incident = factories.incident(requester=requester, service=service)

    assert (incident.team_id, incident.routing_rule_id) == (network.pk, first.pk)
    route = audit_entries(incident)[1]
    assert (route.action, route.changes) == (
        "route",
        {"basis": "rule", "routing_rule": "收银网络", "routing_rule_id": first.pk, "team": "NET"},
    )


def test_an_inactive_rule_is_skipped(admin, requester, service, network, desk):
    made = rule(admin, network, service=service)
    routing.routing_rule_set_active(actor=admin, rule=made, active=False)

    incident = factories.incident(requester=requester, service=service)

    assert incident.team_id == desk.pk


def test_every_condition_must_hold(admin, requester, service, network, desk):
    rule(admin, network, service=service, category="打印机")

    other = factories.incident(requester=requester, service=service, category="网络")
    matched = factories.incident(requester=requester, service=service, category="打印机")

    assert (other.team_id, matched.team_id) == (desk.pk, network.pk)


def test_site_and_site_group_conditions(admin, requester, service, network, security, desk):
    group = SiteGroup.objects.create(code="EAST", name="华东门店")
    group.sites.add(requester.site)
    rule(admin, network, site=factories.site())
    rule(admin, security, site_group=group)

    incident = factories.incident(requester=requester, service=service)

    assert incident.team_id == security.pk


def test_vip_rule_only_for_vip_requesters(admin, requester, service, security, desk):
    rule(admin, security, vip_only=True)
    vip = factories.person(is_vip=True)

    plain = factories.incident(requester=requester, service=service)
    important = factories.incident(requester=vip, service=service)

    assert (plain.team_id, important.team_id) == (desk.pk, security.pk)


def test_an_agent_choosing_a_team_bypasses_the_rules(admin, agent, requester, service, network,
                                                     security):
    rule(admin, security)

    incident = factories.incident(requester=requester, actor=agent, service=service, team=network)

    assert (incident.team_id, incident.routing_rule_id) == (network.pk, None)
    assert audit_entries(incident)[1].changes["basis"] == "chosen"


def test_a_requester_may_not_choose_the_team(requester, service, network):
    with pytest.raises(NotPermitted):
        factories.incident(requester=requester, service=service, team=network)

    assert not AuditEntry.objects.filter(action="create", content_type__model="incident").exists()


def test_rules_apply_to_every_channel(admin, requester, service, security):
    rule(admin, security, keywords="病毒")

    raised = {"requester": requester, "service": service, "title": "病毒"}
    by_mail = factories.incident(**raised, channel="email")
    by_api = factories.incident(**raised, channel="api")

    assert (by_mail.team_id, by_api.team_id) == (security.pk, security.pk)


def test_non_admin_cannot_create_or_edit_rules(admin, lead, agent, network):
    made = rule(admin, network)

    for person in (lead, agent):
        with pytest.raises(NotPermitted):
            routing.routing_rule_create(actor=person, name="x", team=network)
        with pytest.raises(NotPermitted):
            routing.routing_rule_update(
                actor=person, rule=made, version=made.version, changes={"name": "y"}
            )

    assert list(RoutingRule.objects.values_list("name", "version")) == [(made.name, 1)]


def test_rule_validation_names_the_field_and_writes_nothing(admin, network):
    group = SiteGroup.objects.create(code="G", name="组")
    cases = [
        ({"name": " "}, "name"),
        ({"name": "x", "site": factories.site(), "site_group": group}, "site_group"),
        ({"name": "x", "category": "c" * 65}, "category"),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationFailed) as caught:
            routing.routing_rule_create(actor=admin, team=network, **fields)
        assert caught.value.field == field

    assert RoutingRule.objects.count() == 0


def test_a_stale_version_is_refused(admin, network):
    made = rule(admin, network)
    routing.routing_rule_update(actor=admin, rule=made, version=1, changes={"name": "新名称"})

    with pytest.raises(Conflict):
        routing.routing_rule_update(actor=admin, rule=made, version=1, changes={"name": "旧"})

    assert RoutingRule.objects.get().name == "新名称"


def test_reorder_and_move(admin, network, security, desk):
    a, b, c = rule(admin, network), rule(admin, security), rule(admin, desk)

    routing.routing_rules_reorder(actor=admin, rule_ids=[c.pk, a.pk, b.pk])
    routing.routing_rule_move(actor=admin, rule=b, offset=-1)

    assert list(RoutingRule.objects.values_list("pk", "position")) == [
        (c.pk, 10), (b.pk, 20), (a.pk, 30)
    ]


def test_reorder_must_name_every_rule_once(admin, network, security):
    a, b = rule(admin, network), rule(admin, security)

    with pytest.raises(ValidationFailed) as caught:
        routing.routing_rules_reorder(actor=admin, rule_ids=[a.pk, a.pk])

    assert caught.value.field == "rule_ids"
    assert list(RoutingRule.objects.values_list("pk", flat=True)) == [a.pk, b.pk]
