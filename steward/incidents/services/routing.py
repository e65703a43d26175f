"""Routing rules (held as data, administrators only) and routing a new incident with them.

Process: docs/processes/incidents.md, "Routing, assignment and escalation".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record, diff, snapshot
from steward.catalogue.models import Service
from steward.core.errors import Conflict, ValidationFailed
from steward.identity.models import Site, SiteGroup, Team
from steward.identity.selectors import site_group_ids
from steward.incidents import permissions, selectors
from steward.incidents import permissions_routing as perms
from steward.incidents.models import Incident, RoutingRule
from steward.incidents.selectors_routing import active_rules
from steward.incidents.services.common import require

RULE_FIELDS = (
    "name",
    "is_active",
    "service",
    "category",
    "site",
    "site_group",
    "keywords",
    "vip_only",
    "team",
)
REFERENCES: dict[str, type[Any]] = {
    "service": Service,
    "site": Site,
    "site_group": SiteGroup,
    "team": Team,
}


@dataclass(frozen=True)
class Route:
    """Where a new incident goes and why: ``basis`` is "chosen" (an agent picked the team),
    "rule", "service" (its support team) or "default" (the policy's team)."""

    team: Team | None
    rule: RoutingRule | None
    basis: str


@dataclass(frozen=True)
class Facts:
    """What rules match on, normalised once per incident."""

    service_id: int | None
    category: str
    site_id: int | None
    site_group_ids: frozenset[int]
    text: str
    vip: bool


def rule_matches(rule: RoutingRule, facts: Facts) -> bool:
    """Every condition set on the rule holds (pure; no queries)."""
    if rule.service_id is not None and rule.service_id != facts.service_id:
        return False
    if rule.category and rule.category.strip().casefold() != facts.category:
        return False
    if rule.site_id is not None and rule.site_id != facts.site_id:
        return False
    if rule.site_group_id is not None and rule.site_group_id not in facts.site_group_ids:
        return False
    if rule.vip_only and not facts.vip:
        return False
    words = rule.keyword_list()
    return not words or any(word in facts.text for word in words)


def route_decide(
    *,
    service: Service | None,
    requester: Any,
    title: str,
    description: str = "",
    category: str = "",
    team: Team | None = None,
) -> Route:
    """The team a new incident goes to: the chosen team, else the first matching active rule,
    else the service's support team, else the policy's default team."""
    if team is not None:
        return Route(team=team, rule=None, basis="chosen")
    site = requester.site
    facts = Facts(
        service_id=service.pk if service is not None else None,
        category=category.strip().casefold(),
        site_id=site.pk if site is not None else None,
        site_group_ids=site_group_ids(site.pk if site is not None else None),
        text=f"{title}\n{description}".casefold(),
        vip=bool(requester.is_vip),
    )
    for rule in active_rules():
        if rule_matches(rule, facts):
            return Route(team=rule.team, rule=rule, basis="rule")
    if service is not None:
        return Route(team=service.support_team, rule=None, basis="service")
    return Route(team=selectors.incident_policy().default_team, rule=None, basis="default")


def route_record(*, actor: Any, incident: Incident, route: Route) -> None:
    """Evidence of a rule's (or an agent's) routing decision on the incident's timeline (one
    audit entry). The fallback to the service's support team is the create entry's team."""
    if route.basis not in ("rule", "chosen"):
        return
    audit_record(
        actor=actor,
        obj=incident,
        action="route",
        changes={
            "basis": route.basis,
            "routing_rule": route.rule.name if route.rule is not None else None,
            "routing_rule_id": route.rule.pk if route.rule is not None else None,
            "team": route.team.code if route.team is not None else None,
        },
    )


def _clean(data: dict[str, Any], current: RoutingRule | None = None) -> dict[str, Any]:
    cleaned = dict(data)
    unknown = sorted(set(cleaned) - set(RULE_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("%(field)s cannot be set on a routing rule.") % {"field": unknown[0]},
            field=unknown[0],
        )
    if "name" in cleaned:
        cleaned["name"] = " ".join(str(cleaned["name"] or "").split())
        if not cleaned["name"]:
            raise ValidationFailed(_("Give the rule a name."), field="name")
        if len(cleaned["name"]) > 100:
            raise ValidationFailed(_("At most 100 characters."), field="name")
    for name, limit in (("category", 64), ("keywords", 2000)):
        if name in cleaned:
            cleaned[name] = str(cleaned[name] or "").strip()
            if len(cleaned[name]) > limit:
                raise ValidationFailed(
                    _("At most %(n)d characters.") % {"n": limit}, field=name
                )
    for name in ("is_active", "vip_only"):
        if name in cleaned and not isinstance(cleaned[name], bool):
            raise ValidationFailed(_("Expected true or false."), field=name)
    for name, model in REFERENCES.items():
        value = cleaned.get(name)
        if value is not None and not isinstance(value, model):
            raise ValidationFailed(_("Unknown %(field)s.") % {"field": name}, field=name)
    team = cleaned.get("team", current.team if current else None)
    if team is None:
        raise ValidationFailed(_("Choose the team the rule sends incidents to."), field="team")
    if "team" in cleaned and not team.is_active:
        raise ValidationFailed(
            _("The team %(code)s is inactive.") % {"code": team.code}, field="team"
        )
    site = cleaned.get("site", current.site if current else None)
    group = cleaned.get("site_group", current.site_group if current else None)
    if site is not None and group is not None:
        raise ValidationFailed(
            _("Match on a site or on a site group, not both."), field="site_group"
        )
    return cleaned


def routing_rule_create(*, actor: Any, **fields: Any) -> RoutingRule:
    """Add a rule at the end of the order. Administrators only.

    Errors: ``NotPermitted``; ``ValidationFailed`` (name, team, site_group, ...).
    """
    require(perms.can_manage_routing(actor), _("Only administrators may change routing rules."))
    fields.setdefault("name", "")
    cleaned = _clean(fields)
    with transaction.atomic():
        last = RoutingRule.objects.select_for_update().aggregate(m=Max("position"))["m"]
        rule = RoutingRule(**cleaned, position=(last or 0) + 10)
        rule.save(force_insert=True)
        audit_record(
            actor=actor,
            obj=rule,
            action="create",
            changes=snapshot(rule, (*RULE_FIELDS, "position")),
        )
    return rule


def routing_rule_update(
    *, actor: Any, rule: RoutingRule, version: int, changes: dict[str, Any]
) -> RoutingRule:
    """Change a rule's conditions, team, name or active flag (optimistic: ``version``).

    Errors: ``NotPermitted``; ``Conflict`` (``stale_version``); ``ValidationFailed``.
    """
    require(perms.can_manage_routing(actor), _("Only administrators may change routing rules."))
    with transaction.atomic():
        locked = RoutingRule.objects.select_for_update().get(pk=rule.pk)
        if locked.version != version:
            raise Conflict(
                _("The rule was changed by someone else since you read it. Reload it."),
                code="stale_version",
                field="version",
            )
        cleaned = _clean(changes, locked)
        before = snapshot(locked, RULE_FIELDS)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        changed = diff(before, snapshot(locked, RULE_FIELDS))
        if not changed:
            return locked
        locked.version += 1
        locked.updated_at = timezone.now()
        locked.save()
        audit_record(actor=actor, obj=locked, action="update", changes=changed)
    return locked


def routing_rule_set_active(
    *, actor: Any, rule: RoutingRule, active: bool
) -> RoutingRule:
    """Activate or deactivate a rule (kept for the evidence of what it routed)."""
    return routing_rule_update(
        actor=actor, rule=rule, version=rule.version, changes={"is_active": active}
    )


def routing_rules_reorder(*, actor: Any, rule_ids: list[int]) -> list[RoutingRule]:
    """Put the rules in the order of ``rule_ids``, which must name every rule exactly once.

    Errors: ``NotPermitted``; ``ValidationFailed`` (``rule_ids``).
    """
    require(perms.can_manage_routing(actor), _("Only administrators may change routing rules."))
    with transaction.atomic():
        rules = {r.pk: r for r in RoutingRule.objects.select_for_update().order_by("pk")}
        if len(rule_ids) != len(set(rule_ids)) or set(rule_ids) != set(rules):
            raise ValidationFailed(
                _("List every rule exactly once in its new order."), field="rule_ids"
            )
        before = [r.pk for r in sorted(rules.values(), key=lambda r: (r.position, r.pk))]
        if before == rule_ids:
            return [rules[pk] for pk in rule_ids]
        now = timezone.now()
        for index, pk in enumerate(rule_ids, start=1):
            rule = rules[pk]
            if rule.position != index * 10:
                rule.position = index * 10
                rule.version += 1
                rule.updated_at = now
                rule.save(update_fields=["position", "version", "updated_at"])
        audit_record(
            actor=actor,
            obj=rules[rule_ids[0]],
            action="reorder",
            changes={"order": [before, rule_ids]},
        )
    return [rules[pk] for pk in rule_ids]


def routing_rule_move(*, actor: Any, rule: RoutingRule, offset: int) -> list[RoutingRule]:
    """Move one rule ``offset`` places up (negative) or down (positive) in the order."""
    order = list(RoutingRule.objects.order_by("position", "pk").values_list("pk", flat=True))
    index = order.index(rule.pk)
    target = max(0, min(len(order) - 1, index + offset))
    order.insert(target, order.pop(index))
    return routing_rules_reorder(actor=actor, rule_ids=order)


def check_chosen_team(actor: Any, team: Team | None) -> None:
    """An explicitly chosen team (bypassing the rules) is for agents, and must be active."""
    if team is None:
        return
    require(
        permissions.is_agent(actor), _("Only agents may choose the team of a new incident.")
    )
    if not team.is_active:
        raise ValidationFailed(
            _("The team %(code)s is inactive.") % {"code": team.code}, field="team_id"
        )
