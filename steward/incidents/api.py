"""Incidents API at /api/v1/incidents: thin endpoints over the selectors and services.

State changes are actions (``POST /incidents/{number}/resolve``); ``PATCH`` edits plain fields
with the version the client read. Errors are mapped globally (``steward.config.api``).

No ``from __future__ import annotations`` here: django-ninja must see the real ``Query[...]``
type of the list's parameter schema through the pagination decorator.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import CursorPagination, paginate

from steward.core.config_cache import config_snapshot
from steward.incidents import selectors, selectors_impact, services
from steward.incidents.schemas import (
    CommentIn,
    CommentOut,
    IncidentAssignIn,
    IncidentCreateIn,
    IncidentDetailOut,
    IncidentHoldIn,
    IncidentImpactOut,
    IncidentListOut,
    IncidentListParams,
    IncidentPriorityIn,
    IncidentReasonIn,
    IncidentReclassifyIn,
    IncidentResolveIn,
    IncidentUpdateIn,
    PriorityCellOut,
    TimelineItemOut,
)
from steward.incidents.services.classify import ci_from_id

router = Router(tags=["incidents"])


@router.get("/priority-matrix", response=list[PriorityCellOut], operation_id="incidents_matrix")
def incidents_matrix(request: HttpRequest) -> Any:
    matrix = selectors.priority_matrix()
    return [{"impact": i, "urgency": u, "priority": p} for (i, u), p in sorted(matrix.items())]


@router.post("", response={201: IncidentDetailOut}, operation_id="incidents_create")
def incidents_create(request: HttpRequest, payload: IncidentCreateIn) -> Any:
    data = payload.dict()
    with config_snapshot():  # one configuration stamp for the references and the creation
        refs = selectors.references_resolve(
            service_id=data.pop("service_id"),
            requester_id=data.pop("requester_id"),
            team_id=data.pop("team_id"),
        )
        ci = ci_from_id(data.pop("ci_id"))
        incident = services.incident_create(actor=request.user, **data, **refs, ci=ci)
        # Shaped inside the snapshot too: what the caller may do next reads their teams
        # from the configuration cache.
        body = IncidentDetailOut.model_validate(
            incident, context={"request": request, "response_status": 201}
        )
    return Status(201, body)


@router.get("", response=list[IncidentListOut], operation_id="incidents_list")
@paginate(CursorPagination, ordering=("-id",))
def incidents_list(request: HttpRequest, params: Query[IncidentListParams]) -> Any:
    return selectors.incident_list_for(user=request.user, filters=params.to_filters())


@router.get("/{number}", response=IncidentDetailOut, operation_id="incidents_get")
def incidents_get(request: HttpRequest, number: str) -> Any:
    return selectors.incident_get_for(user=request.user, number=number)


@router.patch("/{number}", response=IncidentDetailOut, operation_id="incidents_update")
def incidents_update(request: HttpRequest, number: str, payload: IncidentUpdateIn) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    if "ci_id" in changes:
        changes["ci"] = ci_from_id(changes.pop("ci_id"))
    return services.incident_update(
        actor=request.user, incident=incident, version=version, changes=changes
    )


@router.post("/{number}/priority", response=IncidentDetailOut, operation_id="incidents_priority")
def incidents_priority(request: HttpRequest, number: str, payload: IncidentPriorityIn) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    return services.incident_set_priority(actor=request.user, incident=incident, **payload.dict())


@router.post(
    "/{number}/reclassify", response=IncidentDetailOut, operation_id="incidents_reclassify"
)
def incidents_reclassify(request: HttpRequest, number: str, payload: IncidentReclassifyIn) -> Any:
    """Move the incident to another service; its SLA clocks follow (see the process doc)."""
    incident = selectors.incident_get_for(user=request.user, number=number)
    refs = selectors.references_resolve(service_id=payload.service_id)
    return services.incident_reclassify(
        actor=request.user,
        incident=incident,
        service=refs.get("service"),
        reason=payload.reason,
        version=payload.version,
    )


@router.get("/{number}/impact", response=IncidentImpactOut, operation_id="incidents_impact")
def incidents_impact(request: HttpRequest, number: str) -> Any:
    """What the failure of the incident's configuration item takes down (CMDB readers)."""
    incident = selectors.incident_get_for(user=request.user, number=number)
    return selectors_impact.incident_impact_for(user=request.user, incident=incident)


@router.post("/{number}/assign", response=IncidentDetailOut, operation_id="incidents_assign")
def incidents_assign(request: HttpRequest, number: str, payload: IncidentAssignIn) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    refs = selectors.references_resolve(team_id=payload.team_id, assignee_id=payload.assignee_id)
    return services.incident_assign(actor=request.user, incident=incident, **refs)


@router.post("/{number}/start", response=IncidentDetailOut, operation_id="incidents_start")
def incidents_start(request: HttpRequest, number: str) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    return services.incident_start(actor=request.user, incident=incident)


@router.post("/{number}/hold", response=IncidentDetailOut, operation_id="incidents_hold")
def incidents_hold(request: HttpRequest, number: str, payload: IncidentHoldIn) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    return services.incident_hold(
        actor=request.user, incident=incident, reason=payload.reason, note=payload.note
    )


@router.post("/{number}/resume", response=IncidentDetailOut, operation_id="incidents_resume")
def incidents_resume(request: HttpRequest, number: str) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    return services.incident_resume(actor=request.user, incident=incident)


@router.post("/{number}/resolve", response=IncidentDetailOut, operation_id="incidents_resolve")
def incidents_resolve(request: HttpRequest, number: str, payload: IncidentResolveIn) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    return services.incident_resolve(
        actor=request.user,
        incident=incident,
        resolution_code=payload.resolution_code,
        resolution_note=payload.resolution_note,
    )


@router.post("/{number}/reopen", response=IncidentDetailOut, operation_id="incidents_reopen")
def incidents_reopen(request: HttpRequest, number: str, payload: IncidentReasonIn) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    return services.incident_reopen(actor=request.user, incident=incident, reason=payload.reason)


@router.post("/{number}/close", response=IncidentDetailOut, operation_id="incidents_close")
def incidents_close(request: HttpRequest, number: str) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    return services.incident_close(actor=request.user, incident=incident)


@router.post("/{number}/cancel", response=IncidentDetailOut, operation_id="incidents_cancel")
def incidents_cancel(request: HttpRequest, number: str, payload: IncidentReasonIn) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    return services.incident_cancel(actor=request.user, incident=incident, reason=payload.reason)


@router.get("/{number}/comments", response=list[CommentOut], operation_id="incidents_comments_list")
def incidents_comments_list(request: HttpRequest, number: str) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    return selectors.incident_comments_for(user=request.user, incident=incident)


@router.post(
    "/{number}/comments", response={201: CommentOut}, operation_id="incidents_comments_add"
)
def incidents_comments_add(request: HttpRequest, number: str, payload: CommentIn) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    comment = services.incident_comment(
        actor=request.user, incident=incident, body=payload.body, public=payload.public
    )
    return Status(201, comment)


@router.get("/{number}/timeline", response=list[TimelineItemOut], operation_id="incidents_timeline")
def incidents_timeline(request: HttpRequest, number: str) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    return selectors.incident_timeline_for(user=request.user, incident=incident)
