"""Service requests API at /api/v1/requests: thin endpoints over the selectors and services.

State changes are actions (``POST /requests/{number}/cancel``, ``POST
/requests/approvals/{id}/decide``, ``POST /requests/tasks/{id}/complete``). Errors are mapped
globally (``steward.config.api``).

No ``from __future__ import annotations`` here: django-ninja must see the real ``Query[...]``
type of the list's parameter schema through the pagination decorator.
"""

import json
from typing import Any

import pydantic
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import CursorPagination, paginate

from steward.catalogue import selectors as catalogue
from steward.core.errors import ValidationFailed
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

# requests_create takes JSON or multipart/form-data, so it reads its own body: a declared
# ninja body is one media type, and reading it as ``request.body`` would hold a multipart
# body's files in memory (or fail once Django has streamed them). The document is validated
# with the same schema and its errors carry the same locations as a declared body's.
PAYLOAD_PART = "payload"
# Text parts a multipart body may carry besides the payload (a browser form's CSRF token).
_TEXT_PARTS = frozenset({PAYLOAD_PART, "csrfmiddlewaretoken"})
_CREATE_SCHEMA = RequestCreateIn.model_json_schema()
CREATE_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": _CREATE_SCHEMA},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": [PAYLOAD_PART],
                "properties": {PAYLOAD_PART: _CREATE_SCHEMA},
                "additionalProperties": {
                    "type": "string", "format": "binary",
                    "description": "The file of the attachment field named by the part.",
                },
            },
            "encoding": {PAYLOAD_PART: {"contentType": "application/json"}},
        },
    },
}


def _create_in(data: Any) -> RequestCreateIn:
    """Validate the request document; errors read as those of a declared JSON body."""
    try:
        return RequestCreateIn.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError([
            {"loc": ("body", PAYLOAD_PART, *e["loc"]), "msg": e["msg"], "type": e["type"]}
            for e in exc.errors(include_url=False)
        ]) from None


def _json_input(request: HttpRequest) -> RequestCreateIn:
    if not request.body:
        raise ValidationError([{"loc": ("body", PAYLOAD_PART), "msg": "Field required",
                                "type": "missing"}])
    try:
        data = json.loads(request.body)
    except ValueError as exc:
        raise HttpError(400, "Cannot parse request body") from exc
    return _create_in(data)


def _multipart_input(
    request: HttpRequest,
) -> "tuple[RequestCreateIn, dict[str, UploadedFile[bytes]]]":
    """The ``payload`` part (the JSON document) and the file parts, one per field key. The
    service checks the files against the form; here only the shape of the body."""
    for name in request.POST:
        if name not in _TEXT_PARTS:
            raise ValidationFailed(
                _("Unexpected part %(name)s: answers go in the payload part, files in file "
                  "parts named by their field key.") % {"name": name},
                field=name,
            )
    documents = request.POST.getlist(PAYLOAD_PART)
    if len(documents) != 1:
        raise ValidationFailed(_("Send the request as JSON in one part named payload."),
                               field=PAYLOAD_PART)
    try:
        data = json.loads(documents[0])
    except ValueError:
        raise ValidationFailed(_("The payload part is not valid JSON."),
                               field=PAYLOAD_PART) from None
    uploads: dict[str, UploadedFile[bytes]] = {}
    for key, files in request.FILES.lists():
        if len(files) != 1:
            raise ValidationFailed(_("Send one file per field."), field=key)
        uploads[key] = files[0]
    return _create_in(data), uploads


@router.post("", response={201: RequestDetailOut}, operation_id="requests_create",
             openapi_extra={"requestBody": CREATE_BODY})
def requests_create(request: HttpRequest) -> Any:
    """Raise a request for a catalogue item; the answers are checked against the item's
    current form version.

    The body is one of:

    - `application/json`: the request document (`item_code`, `answers`, `requester_id`,
      `title`, `description`). Enough for a form without attachment fields, or whose
      attachment fields are optional and left unanswered.
    - `multipart/form-data`: the same JSON document in a part named `payload`, plus one file
      part per answered attachment field, named by the field's key (for example
      `curl -F 'payload={"item_code": "LAPTOP", "answers": {"model": "t14"}};type=application/json'
      -F quote=@quote.pdf`). Attachment fields are answered by their file only: leave them
      out of `answers`.

    Files follow the attachment rules of every record: not empty and at most
    `STEWARD_ATTACHMENT_MAX_MB` (25 MB unless configured). In the response, each attachment
    field's answer is `{"attachment_id", "filename"}`; the file is downloaded from
    `GET /api/v1/records/attachments/{attachment_id}` and listed by
    `GET /api/v1/records/{number}/attachments`.

    Bad input is a 422 whose `field` names the field key (or `payload`), and nothing is
    written (no request, no attachment, no stored file): a required attachment field without
    a file, an empty or too large file, a file for a field that is not an attachment field
    or not on the form, an answer in `answers` for an attachment field, more than one file
    for a field, a text part other than `payload`.
    """
    if request.content_type == "multipart/form-data":
        payload, uploads = _multipart_input(request)
    else:
        payload, uploads = _json_input(request), {}
    item = catalogue.request_item_get_for(user=request.user, code=payload.item_code)
    requester = lookup(Person, payload.requester_id, field="requester_id")
    return Status(201, services.request_submit(
        actor=request.user, item=item, answers=payload.answers, requester=requester,
        title=payload.title, description=payload.description, channel=RequestChannel.API,
        uploads=uploads,
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
