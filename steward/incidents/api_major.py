"""API of major incidents (/api/v1/major-incidents), incident links, merging and bulk edits
(/api/v1/incidents/...), and saved queue views (/api/v1/incident-views). Thin: selectors
read, services write; errors are mapped globally (``steward.config.api``).
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from steward.core.errors import NotFound, ValidationFailed
from steward.incidents import selectors, selectors_major
from steward.incidents.models import MajorIncident
from steward.incidents.schemas import IncidentDetailOut
from steward.incidents.schemas_major import (
    BulkIn,
    CommsIn,
    CommsOut,
    ItemResultOut,
    LinkOut,
    MajorDeclareIn,
    MajorOut,
    MajorOwnerIn,
    MajorPolicyIn,
    MajorPolicyOut,
    MajorReviewIn,
    NumberIn,
    ReviewOut,
    SavedViewIn,
    SavedViewOut,
    SavedViewUpdateIn,
)
from steward.incidents.services import (
    bulk,
    links,
    major,
    major_comms,
    major_policy,
    review,
    saved_views,
)

major_router = Router(tags=["major incidents"])
links_router = Router(tags=["incidents"])
views_router = Router(tags=["incidents"])


def _major(request: HttpRequest, number: str) -> MajorIncident:
    incident = selectors.incident_get_for(user=request.user, number=number)
    found = selectors_major.major_of(incident)
    if found is None:
        raise NotFound(f"{incident.number} is not a major incident.")
    return found


@major_router.get("", response=list[MajorOut], operation_id="major_incidents_list")
def major_incidents_list(request: HttpRequest, open_only: bool = False) -> Any:
    return selectors_major.major_list_for(user=request.user, open_only=open_only).select_related(
        "review"
    )


@major_router.post("", response={201: MajorOut}, operation_id="major_incidents_declare")
def major_incidents_declare(request: HttpRequest, payload: MajorDeclareIn) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=payload.number)
    refs = selectors.references_resolve(assignee_id=payload.owner_id)
    return Status(
        201,
        major.major_declare(
            actor=request.user,
            incident=incident,
            reason=payload.reason,
            owner=refs.get("assignee"),
        ),
    )


@major_router.get("/policy", response=MajorPolicyOut, operation_id="major_policy_get")
def major_policy_get(request: HttpRequest) -> Any:
    return selectors_major.major_policy()


@major_router.put("/policy", response=MajorPolicyOut, operation_id="major_policy_update")
def major_policy_update(request: HttpRequest, payload: MajorPolicyIn) -> Any:
    data = payload.dict()
    people = list(selectors_major.people_by_id(data.pop("management_ids")).values())
    return major_policy.major_policy_update(actor=request.user, changes=data, management=people)


@major_router.get("/{number}", response=MajorOut, operation_id="major_incidents_get")
def major_incidents_get(request: HttpRequest, number: str) -> Any:
    return _major(request, number)


@major_router.post("/{number}/owner", response=MajorOut, operation_id="major_incidents_owner")
def major_incidents_owner(request: HttpRequest, number: str, payload: MajorOwnerIn) -> Any:
    found = _major(request, number)
    owner = selectors.references_resolve(assignee_id=payload.owner_id)["assignee"]
    return major.major_set_owner(
        actor=request.user,
        major=found,
        owner=owner,
        update_interval_minutes=payload.update_interval_minutes,
        version=payload.version,
    )


@major_router.get("/{number}/comms", response=list[CommsOut], operation_id="major_comms_list")
def major_comms_list(request: HttpRequest, number: str) -> Any:
    return selectors_major.major_comms_for(_major(request, number))


@major_router.post("/{number}/comms", response={201: CommsOut}, operation_id="major_comms_add")
def major_comms_add(request: HttpRequest, number: str, payload: CommsIn) -> Any:
    entry = major_comms.major_comms_add(
        actor=request.user,
        major=_major(request, number),
        audiences=[str(a) for a in payload.audiences],
        message=payload.message,
        channel=str(payload.channel),
    )
    return Status(201, entry)


@major_router.get("/{number}/review", response=ReviewOut, operation_id="major_review_get")
def major_review_get(request: HttpRequest, number: str) -> Any:
    found = selectors_major.major_review_of(_major(request, number))
    if found is None:
        raise NotFound(f"{number} has no review yet.")
    return found


@major_router.put("/{number}/review", response=ReviewOut, operation_id="major_review_save")
def major_review_save(request: HttpRequest, number: str, payload: MajorReviewIn) -> Any:
    actions = []
    people = selectors_major.people_by_id([a.owner_id for a in payload.actions])
    for index, action in enumerate(payload.actions):
        owner = people.get(action.owner_id)
        if owner is None:
            raise ValidationFailed(
                f"There is no person with id {action.owner_id}.",
                field=f"actions.{index}.owner_id",
            )
        actions.append({"description": action.description, "owner": owner, "due_on": action.due_on})
    return review.major_review_save(
        actor=request.user,
        major=_major(request, number),
        timeline_summary=payload.timeline_summary,
        cause=payload.cause,
        actions=actions,
        complete=payload.complete,
        version=payload.version,
    )


@links_router.post("/bulk", response=list[ItemResultOut], operation_id="incidents_bulk")
def incidents_bulk(request: HttpRequest, payload: BulkIn) -> Any:
    refs = selectors.references_resolve(team_id=payload.team_id, assignee_id=payload.assignee_id)
    return bulk.incident_bulk_apply(
        actor=request.user,
        numbers=payload.numbers,
        operation=payload.operation,
        team=refs.get("team"),
        assignee=refs.get("assignee"),
        priority=payload.priority,
        reason=payload.reason,
        hold_reason=str(payload.hold_reason or ""),
        note=payload.note,
    )


@links_router.get("/{number}/links", response=list[LinkOut], operation_id="incidents_links")
def incidents_links(request: HttpRequest, number: str) -> Any:
    incident = selectors.incident_get_for(user=request.user, number=number)
    return selectors_major.link_rows_for(user=request.user, incident=incident)


@links_router.post(
    "/{number}/parent", response=IncidentDetailOut, operation_id="incidents_link_parent"
)
def incidents_link_parent(request: HttpRequest, number: str, payload: NumberIn) -> Any:
    child = selectors.incident_get_for(user=request.user, number=number)
    parent = selectors.incident_get_for(user=request.user, number=payload.number)
    links.incident_link_child(actor=request.user, child=child, parent=parent)
    return selectors.incident_get_for(user=request.user, number=number)


@links_router.delete(
    "/{number}/parent", response=IncidentDetailOut, operation_id="incidents_unlink_parent"
)
def incidents_unlink_parent(request: HttpRequest, number: str) -> Any:
    child = selectors.incident_get_for(user=request.user, number=number)
    links.incident_unlink_parent(actor=request.user, child=child)
    return selectors.incident_get_for(user=request.user, number=number)


@links_router.post(
    "/{number}/children/resolve",
    response=list[ItemResultOut],
    operation_id="incidents_resolve_children",
)
def incidents_resolve_children(request: HttpRequest, number: str) -> Any:
    parent = selectors.incident_get_for(user=request.user, number=number)
    return links.incident_resolve_children(actor=request.user, parent=parent)


@links_router.post("/{number}/merge", response=IncidentDetailOut, operation_id="incidents_merge")
def incidents_merge(request: HttpRequest, number: str, payload: NumberIn) -> Any:
    duplicate = selectors.incident_get_for(user=request.user, number=number)
    into = selectors.incident_get_for(user=request.user, number=payload.number)
    merged = links.incident_merge(actor=request.user, duplicate=duplicate, into=into)
    return selectors.incident_get_for(user=request.user, number=merged.number)


@views_router.get("", response=list[SavedViewOut], operation_id="incident_views_list")
def incident_views_list(request: HttpRequest) -> Any:
    found = selectors_major.saved_views_for(user=request.user)
    return [*found["mine"], *found["team"]]


@views_router.post("", response={201: SavedViewOut}, operation_id="incident_views_create")
def incident_views_create(request: HttpRequest, payload: SavedViewIn) -> Any:
    team = selectors.references_resolve(team_id=payload.team_id).get("team")
    return Status(
        201,
        saved_views.saved_view_create(
            actor=request.user, name=payload.name, filters=payload.filters, team=team
        ),
    )


@views_router.put("/{view_id}", response=SavedViewOut, operation_id="incident_views_update")
def incident_views_update(request: HttpRequest, view_id: int, payload: SavedViewUpdateIn) -> Any:
    view = selectors_major.saved_view_get_for(user=request.user, view_id=view_id)
    team = selectors.references_resolve(team_id=payload.team_id).get("team")
    return saved_views.saved_view_update(
        actor=request.user,
        view=view,
        version=payload.version,
        name=payload.name,
        filters=payload.filters,
        team=team,
    )


@views_router.delete("/{view_id}", response={204: None}, operation_id="incident_views_delete")
def incident_views_delete(request: HttpRequest, view_id: int) -> Any:
    view = selectors_major.saved_view_get_for(user=request.user, view_id=view_id)
    saved_views.saved_view_delete(actor=request.user, view=view)
    return Status(204, None)
