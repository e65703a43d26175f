"""Service requests API at /api/v1/requests: thin endpoints over the selectors and services.

State changes are actions (``POST /requests/{number}/cancel``, ``POST
/requests/approvals/{id}/decide``, ``POST /requests/tasks/{id}/complete``). Errors are mapped
globally (``steward.config.api``).

No ``from __future__ import annotations`` here: django-ninja must see the real ``Query[...]``
type of the list's parameter schema through the pagination decorator.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import CursorPagination, paginate

from steward.catalogue import selectors as catalogue
from steward.core.refs import lookup
from steward.fulfilment import selectors, services
from steward.fulfilment.models import RequestChannel
from steward.fulfilment.schemas import (
    ApprovalOut,
    DecisionIn,
    DelegationIn,
    DelegationOut,
    NoteIn,
    ReasonIn,
    RequestCommentIn,
    RequestCommentOut,
    RequestCreateIn,
    RequestDetailOut,
    RequestListParams,
    RequestOut,
    TaskAssignIn,
    TaskCompleteIn,
    TaskNotesIn,
    TaskOut,
)
from steward.identity.models import Person

router = Router(tags=["requests"])


@router.post("", response={201: RequestDetailOut}, operation_id="requests_create")
def requests_create(request: HttpRequest, payload: RequestCreateIn) -> Any:
    item = catalogue.request_item_get_for(user=request.user, code=payload.item_code)
    requester = lookup(Person, payload.requester_id, field="requester_id")
    return Status(201, services.request_submit(
        actor=request.user, item=item, answers=payload.answers, requester=requester,
        title=payload.title, description=payload.description, channel=RequestChannel.API,
    ))


@router.get("", response=list[RequestOut], operation_id="requests_list")
@paginate(CursorPagination, ordering=("-id",))
def requests_list(request: HttpRequest, params: Query[RequestListParams]) -> Any:
    return selectors.request_list_for(user=request.user, filters=params.to_filters())


@router.get("/approvals", response=list[ApprovalOut], operation_id="requests_approvals")
def requests_approvals(request: HttpRequest) -> Any:
    """The approvals waiting for you (yours, and those delegated to you for today)."""
    return selectors.approvals_pending_for(user=request.user)


@router.post("/approvals/{approval_id}/decide", response=ApprovalOut,
             operation_id="requests_approval_decide")
def requests_approval_decide(request: HttpRequest, approval_id: int, payload: DecisionIn) -> Any:
    approval = selectors.approval_get_for(user=request.user, approval_id=approval_id)
    return services.approval_decide(actor=request.user, approval=approval,
                                    decision=payload.decision, comment=payload.comment)


@router.get("/tasks", response=list[TaskOut], operation_id="requests_tasks")
def requests_tasks(request: HttpRequest) -> Any:
    """Open and started fulfilment tasks of your teams."""
    return selectors.task_queue_for(user=request.user)


@router.post("/tasks/{task_id}/start", response=TaskOut, operation_id="requests_task_start")
def requests_task_start(request: HttpRequest, task_id: int) -> Any:
    task = selectors.task_get_for(user=request.user, task_id=task_id)
    return services.task_start(actor=request.user, task=task)


@router.post("/tasks/{task_id}/complete", response=TaskOut,
             operation_id="requests_task_complete")
def requests_task_complete(request: HttpRequest, task_id: int, payload: TaskCompleteIn) -> Any:
    task = selectors.task_get_for(user=request.user, task_id=task_id)
    return services.task_complete(actor=request.user, task=task, note=payload.note,
                                  version=payload.version)


@router.post("/tasks/{task_id}/cancel", response=TaskOut, operation_id="requests_task_cancel")
def requests_task_cancel(request: HttpRequest, task_id: int, payload: ReasonIn) -> Any:
    task = selectors.task_get_for(user=request.user, task_id=task_id)
    return services.task_cancel(actor=request.user, task=task, reason=payload.reason)


@router.post("/tasks/{task_id}/assign", response=TaskOut, operation_id="requests_task_assign")
def requests_task_assign(request: HttpRequest, task_id: int, payload: TaskAssignIn) -> Any:
    task = selectors.task_get_for(user=request.user, task_id=task_id)
    assignee = lookup(Person, payload.assignee_id, field="assignee_id")
    return services.task_assign(actor=request.user, task=task, assignee=assignee,
                                version=payload.version)


@router.post("/tasks/{task_id}/notes", response=TaskOut, operation_id="requests_task_notes")
def requests_task_notes(request: HttpRequest, task_id: int, payload: TaskNotesIn) -> Any:
    task = selectors.task_get_for(user=request.user, task_id=task_id)
    return services.task_set_notes(actor=request.user, task=task, notes=payload.notes,
                                   version=payload.version)


@router.get("/delegations", response=list[DelegationOut], operation_id="requests_delegations")
def requests_delegations(request: HttpRequest) -> Any:
    return selectors.delegations_of(user=request.user)


@router.post("/delegations", response={201: DelegationOut},
             operation_id="requests_delegation_create")
def requests_delegation_create(request: HttpRequest, payload: DelegationIn) -> Any:
    delegate = lookup(Person, payload.delegate_id, field="delegate_id")
    me = lookup(Person, request.user.pk, field="delegator_id")
    return Status(201, services.delegation_set(
        actor=request.user, delegator=me, delegate=delegate,
        starts_on=payload.starts_on, ends_on=payload.ends_on,
    ))


@router.post("/delegations/{delegation_id}/revoke", response=DelegationOut,
             operation_id="requests_delegation_revoke")
def requests_delegation_revoke(request: HttpRequest, delegation_id: int) -> Any:
    found = selectors.delegation_get_for(user=request.user, delegation_id=delegation_id)
    return services.delegation_revoke(actor=request.user, delegation=found)


@router.get("/{number}", response=RequestDetailOut, operation_id="requests_get")
def requests_get(request: HttpRequest, number: str) -> Any:
    return selectors.request_get_for(user=request.user, number=number)


@router.post("/{number}/cancel", response=RequestDetailOut, operation_id="requests_cancel")
def requests_cancel(request: HttpRequest, number: str, payload: ReasonIn) -> Any:
    found = selectors.request_get_for(user=request.user, number=number)
    return services.request_cancel(actor=request.user, request=found, reason=payload.reason)


@router.post("/{number}/fulfil", response=RequestDetailOut, operation_id="requests_fulfil")
def requests_fulfil(request: HttpRequest, number: str, payload: NoteIn) -> Any:
    found = selectors.request_get_for(user=request.user, number=number)
    return services.request_fulfil(actor=request.user, request=found, note=payload.note)


@router.post("/{number}/close", response=RequestDetailOut, operation_id="requests_close")
def requests_close(request: HttpRequest, number: str) -> Any:
    found = selectors.request_get_for(user=request.user, number=number)
    return services.request_close(actor=request.user, request=found)


@router.get(
    "/{number}/comments", response=list[RequestCommentOut], operation_id="requests_comments"
)
def requests_comments(request: HttpRequest, number: str) -> Any:
    found = selectors.request_get_for(user=request.user, number=number)
    return selectors.comments_for(user=request.user, request=found)


@router.post("/{number}/comments", response={201: RequestCommentOut},
             operation_id="requests_comment")
def requests_comment(request: HttpRequest, number: str, payload: RequestCommentIn) -> Any:
    found = selectors.request_get_for(user=request.user, number=number)
    return Status(201, services.request_comment(
        actor=request.user, request=found, body=payload.body, public=payload.public))
