"""Routing rules and team assignment at /api/v1/routing; escalation at
/api/v1/incidents/{number}/escalate. Thin: selectors read, services write; writes of rules are
for administrators (the services check)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from steward.core.errors import ValidationFailed
from steward.core.refs import lookup
from steward.identity.models import Person
from steward.identity.selectors import team_get_for
from steward.incidents import selectors, selectors_routing
from steward.incidents.schemas import IncidentDetailOut
from steward.incidents.schemas_routing import (
    AvailabilityIn,
    EscalateIn,
    EscalationOut,
    ReorderIn,
    RoutingRuleIn,
    RoutingRuleOut,
    RoutingRulePatchIn,
    TeamAssignmentOut,
    TeamStrategyIn,
)
from steward.incidents.services import escalation, routing, team_assignment

router = Router(tags=["routing"])
escalation_router = Router(tags=["incidents"])
_REFS = ("service", "site", "site_group", "team")


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    """``*_id`` inputs → records (unknown ids: 422 on the field)."""
    for name in _REFS:
        key = f"{name}_id"
        if key in data:
            data[name] = lookup(routing.REFERENCES[name], data.pop(key), field=key)
    return data


@router.get("/rules", response=list[RoutingRuleOut], operation_id="routing_rules_list")
def routing_rules_list(request: HttpRequest) -> Any:
    return selectors_routing.routing_rule_list_for(user=request.user)


@router.post("/rules", response={201: RoutingRuleOut}, operation_id="routing_rules_create")
def routing_rules_create(request: HttpRequest, payload: RoutingRuleIn) -> Any:
    return Status(
        201, routing.routing_rule_create(actor=request.user, **_resolve(payload.dict()))
    )


@router.post("/rules/reorder", response=list[RoutingRuleOut], operation_id="routing_rules_reorder")
def routing_rules_reorder(request: HttpRequest, payload: ReorderIn) -> Any:
    return routing.routing_rules_reorder(actor=request.user, rule_ids=payload.rule_ids)


@router.get("/rules/{rule_id}", response=RoutingRuleOut, operation_id="routing_rules_get")
def routing_rules_get(request: HttpRequest, rule_id: int) -> Any:
    return selectors_routing.routing_rule_get_for(user=request.user, rule_id=rule_id)


@router.patch("/rules/{rule_id}", response=RoutingRuleOut, operation_id="routing_rules_update")
def routing_rules_update(request: HttpRequest, rule_id: int, payload: RoutingRulePatchIn) -> Any:
    rule = selectors_routing.routing_rule_get_for(user=request.user, rule_id=rule_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    return routing.routing_rule_update(
        actor=request.user, rule=rule, version=version, changes=_resolve(changes)
    )


@router.get("/teams/{team_id}", response=TeamAssignmentOut, operation_id="routing_team_get")
def routing_team_get(request: HttpRequest, team_id: int) -> Any:
    team = team_get_for(user=request.user, team_id=team_id)
    strategy, rows = selectors_routing.team_assignment_for(team=team)
    members = [
        {"person_id": r.person.pk, "is_available": r.is_available, "note": r.note,
         "open_assigned": r.open_assigned}
        for r in rows
    ]
    return {"team_id": team.pk, "strategy": strategy, "members": members}


@router.put("/teams/{team_id}/strategy", response=TeamAssignmentOut,
            operation_id="routing_team_strategy")
def routing_team_strategy(request: HttpRequest, team_id: int, payload: TeamStrategyIn) -> Any:
    team = team_get_for(user=request.user, team_id=team_id)
    team_assignment.team_strategy_set(actor=request.user, team=team, strategy=payload.strategy)
    return routing_team_get(request, team_id)


@router.put("/teams/{team_id}/members/{person_id}/availability", response=TeamAssignmentOut,
            operation_id="routing_team_availability")
def routing_team_availability(
    request: HttpRequest, team_id: int, person_id: int, payload: AvailabilityIn
) -> Any:
    team = team_get_for(user=request.user, team_id=team_id)
    person = lookup(Person, person_id, field="person_id")
    team_assignment.member_availability_set(
        actor=request.user, team=team, person=person, available=payload.available,
        note=payload.note,
    )
    return routing_team_get(request, team_id)


@escalation_router.post("/{number}/escalate", response=IncidentDetailOut,
                        operation_id="incidents_escalate")
def incidents_escalate(request: HttpRequest, number: str, payload: EscalateIn) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    if payload.kind == "hierarchical":
        return escalation.incident_escalate_hierarchical(
            actor=request.user, incident=incident, reason=payload.reason
        )
    if payload.team_id is None:
        raise ValidationFailed(_("Choose the team to escalate to."), field="team_id")
    team = selectors.references_resolve(team_id=payload.team_id)["team"]
    return escalation.incident_escalate_functional(
        actor=request.user, incident=incident, team=team, reason=payload.reason
    )


@escalation_router.get("/{number}/escalations", response=list[EscalationOut],
                       operation_id="incidents_escalations")
def incidents_escalations(request: HttpRequest, number: str) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    return selectors_routing.escalations_for(incident=incident)
