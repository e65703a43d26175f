"""Reads of routing rules, team assignment settings and escalations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from steward.core.config_cache import cached
from steward.core.errors import NotFound, NotPermitted
from steward.core.refs import one
from steward.identity.models import Person, Team
from steward.incidents import permissions_routing as perms
from steward.incidents.models import (
    ESCALATIONS,
    OPEN_STATUSES,
    AssignmentStrategy,
    Escalation,
    Incident,
    MemberAvailability,
    RoutingRule,
    TeamAssignment,
)
from steward.incidents.selectors import incident_policy


def routing_rule_list_for(*, user: Any) -> QuerySet[RoutingRule]:
    """Every rule in routing order (staff only)."""
    if not perms.can_view_routing(user):
        raise NotPermitted(_("Only staff see the routing rules."))
    return RoutingRule.objects.select_related("service", "site", "site_group", "team")


def routing_rule_get_for(*, user: Any, rule_id: int) -> RoutingRule:
    rule = routing_rule_list_for(user=user).filter(pk=rule_id).first()
    if rule is None:
        raise NotFound(_("No such routing rule."))
    return rule


def active_rules() -> list[RoutingRule]:
    """The rules the create service tries, in order (inactive teams' rules left out).

    Cached per process until the configuration changes (``core.config_cache``); the rules
    and their teams are shared: read them, never change them."""

    def build() -> list[RoutingRule]:
        return list(
            RoutingRule.objects.filter(is_active=True, team__is_active=True)
            .select_related("team")
        )  # fmt: skip

    return list(cached(("incidents.active_rules",), build, watch=(RoutingRule, Team)))


@dataclass(frozen=True)
class MemberRow:
    person: Person
    is_available: bool
    note: str
    open_assigned: int


def team_assignment_for(*, team: Team) -> tuple[str, list[MemberRow]]:
    """The team's strategy and its members with availability and open incidents."""
    config = TeamAssignment.objects.filter(team=team).first()
    strategy = config.strategy if config is not None else AssignmentStrategy.MANUAL
    flags = {a.person_id: a for a in MemberAvailability.objects.filter(team=team)}
    people = list(
        Person.objects.filter(memberships__team=team).order_by("pk").distinct()
    )
    loads = dict(
        Incident.objects.filter(assignee__in=people, status__in=OPEN_STATUSES)
        .values_list("assignee")
        .annotate(n=Count("pk"))
    )
    rows = [
        MemberRow(
            person=p,
            is_available=flags[p.pk].is_available if p.pk in flags else True,
            note=flags[p.pk].note if p.pk in flags else "",
            open_assigned=loads.get(p.pk, 0),
        )
        for p in people
    ]
    return strategy, rows


def escalations_for(*, incident: Incident) -> QuerySet[Escalation]:
    """The incident's escalations, oldest first (the caller's selector decided visibility)."""
    return Escalation.objects.filter(incident=incident).select_related(
        "actor", "from_team", "to_team", "from_person", "to_person"
    )


def _first_levels(incident: Incident) -> list[int | None]:
    """The team lead's and the service owner's ids (levels 1 and 2)."""
    return [
        incident.team.lead_id if incident.team is not None else None,
        incident.service.owner_id if incident.service is not None else None,
    ]


def escalation_next_level(
    incident: Incident, escalations: list[Escalation] | None = None, *, at_least: int = 1
) -> tuple[int, Person] | None:
    """The next level above the incident's (and not below ``at_least``) with an active person
    who is not the current holder, or None at the top. ``escalations``: the incident's, when
    already loaded."""
    if escalations is not None:
        found = escalations
    elif incident.escalation_level == 0:
        found = []  # the level only rises, with each hierarchical escalation
    else:
        found = list(escalations_for(incident=incident))
    holders = [e.to_person_id for e in found if e.kind == "hierarchical"]
    current = holders[-1] if holders else None

    lowest = max(incident.escalation_level + 1, at_least)

    def usable(person: Person | None) -> bool:
        return person is not None and person.is_active and person.pk != current

    # The team lead and the service owner first: most incidents find their next level there,
    # without reading the IT manager from the policy.
    first = [
        (level, pk) for level, pk in enumerate(_first_levels(incident), start=1)
        if level >= lowest and pk is not None
    ]  # fmt: skip
    people = Person.objects.in_bulk([pk for _level, pk in first]) if first else {}
    for level, pk in first:
        person = people.get(pk)
        if person is not None and usable(person):
            return level, person
    manager_id = incident_policy().it_manager_id if lowest <= 3 else None
    manager = one(Person.objects.filter(pk=manager_id)) if manager_id else None
    return (3, manager) if manager is not None and usable(manager) else None


def escalation_actions_for(user: Any, incident: Incident) -> list[str]:
    """The escalations to offer: allowed by the table, permitted, and (hierarchical) with a
    next level to go to. The same checks the escalation services make."""
    if not perms.can_escalate(user, incident):
        return []
    allowed = ESCALATIONS.allowed(incident.status)
    has_next = "escalate_hierarchical" in allowed and escalation_next_level(incident) is not None
    return offered_escalations(allowed, has_next=has_next)


def offered_escalations(allowed: list[str], *, has_next: bool) -> list[str]:
    return [a for a in allowed if a != "escalate_hierarchical" or has_next]
