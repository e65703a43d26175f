"""The demo's incident routing: a few rules a retail chain's service desk really uses, and
the teams' assignment strategies. Loaded once (skipped when any rule exists)."""

from __future__ import annotations

from steward.catalogue.models import Service
from steward.identity.models import Person, SiteGroup, Team
from steward.incidents.models import RoutingRule
from steward.incidents.services import routing, team_assignment

RULES = [
    # name, team, service, keywords, site group, VIP only
    ("安全事件关键词 / Security keywords", "SEC", None,
     "病毒, 勒索, 钓鱼, 中毒, virus, ransomware, phishing, malware", None, False),
    ("收银网络故障 / Checkout network", "NET", "POS", "断网, 网络, 无法联网, offline, network",
     None, False),
    ("VIP 报告先到服务台组长 / VIP reports", "DESK", None, "", None, True),
]
STRATEGIES = {"DESK": "round_robin", "NET": "least_loaded", "APP": "round_robin"}


def load() -> None:
    if RoutingRule.objects.exists():
        return
    admin = Person.objects.get(username="it.director")
    teams = {t.code: t for t in Team.objects.all()}
    for name, team, service, keywords, group, vip in RULES:
        routing.routing_rule_create(
            actor=admin, name=name, team=teams[team],
            service=Service.objects.get(code=service) if service else None,
            keywords=keywords,
            site_group=SiteGroup.objects.get(code=group) if group else None,
            vip_only=vip,
        )
    for code, strategy in STRATEGIES.items():
        team_assignment.team_strategy_set(actor=admin, team=teams[code], strategy=strategy)
