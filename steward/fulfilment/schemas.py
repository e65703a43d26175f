"""API input and output shapes of service request management. Input shape only: business
rules (including the answers' check against the item's form) live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from steward.fulfilment import permissions
from steward.fulfilment.models import RequestStatus
from steward.fulfilment.selectors import RequestFilters, RequestQueue


class RequestCreateIn(Schema):
    """A new request: the whole JSON body, or the JSON part named payload of a
    multipart/form-data body whose file parts answer the attachment fields."""

    item_code: str = Field(min_length=1, max_length=32)
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="Field key → answer, checked against the item's current form version. "
        "Attachment fields are not answered here but by file parts of a multipart/form-data "
        "body, one per field, named by the field key.",
    )
    requester_id: int | None = Field(
        default=None, description="Someone else's id to raise on their behalf (agents only)."
    )
    title: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=20000)


class RequestListParams(Schema):
    queue: str = Field(default=RequestQueue.ALL, pattern="^(mine|team|all)$")
    status: list[RequestStatus] = Field(default_factory=list)
    item_code: str = Field(default="", max_length=32)

    def to_filters(self) -> RequestFilters:
        return RequestFilters(queue=self.queue, status=tuple(str(s) for s in self.status),
                              item_code=self.item_code)


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=4000)


class NoteIn(Schema):
    note: str = Field(min_length=1, max_length=4000)


class DecisionIn(Schema):
    decision: str = Field(pattern="^(approved|rejected)$")
    comment: str = Field(default="", max_length=4000)


class TaskCompleteIn(Schema):
    note: str = Field(default="", max_length=4000)
    version: int | None = Field(default=None, ge=1)


class TaskAssignIn(Schema):
    assignee_id: int
    version: int | None = Field(default=None, ge=1)


class TaskNotesIn(Schema):
    notes: str = Field(max_length=20000)
    version: int = Field(ge=1)


class DelegationIn(Schema):
    delegate_id: int
    starts_on: dt.date
    ends_on: dt.date


class ApprovalOut(Schema):
    id: int
    request_number: str
    approver_id: int
    role: str
    state: str
    decided_by_id: int | None
    on_behalf: bool
    decided_at: dt.datetime | None
    comment: str
    via_link: bool
    created_at: dt.datetime

    @staticmethod
    def resolve_request_number(obj: Any) -> str:
        return str(obj.request.number)


class TaskOut(Schema):
    id: int
    request_number: str
    position: int
    title: str
    team_id: int
    assignee_id: int | None
    state: str
    notes: str
    opened_at: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_request_number(obj: Any) -> str:
        return str(obj.request.number)


class RequestOut(Schema):
    number: str
    title: str
    description: str
    status: RequestStatus
    item_code: str
    item_version: int
    service_id: int
    requester_id: int
    raised_by_id: int
    team_id: int | None
    channel: str
    opened_at: dt.datetime
    approved_at: dt.datetime | None
    fulfilled_at: dt.datetime | None
    closed_at: dt.datetime | None
    outcome_note: str
    version: int

    @staticmethod
    def resolve_item_code(obj: Any) -> str:
        return str(obj.item.code)

    @staticmethod
    def resolve_item_version(obj: Any) -> int:
        return int(obj.item_version.number)


class RequestDetailOut(RequestOut):
    answers: dict[str, Any] = Field(
        description="Field key → cleaned answer. An attachment field's answer is "
        '{"attachment_id", "filename"}: the file is at '
        "GET /api/v1/records/attachments/{attachment_id}.",
    )
    instructions: str
    allowed_actions: list[str]
    approvals: list[ApprovalOut]
    tasks: list[TaskOut]

    @staticmethod
    def resolve_instructions(obj: Any) -> str:
        return str(obj.item_version.instructions)

    @staticmethod
    def resolve_allowed_actions(obj: Any, context: Any) -> list[str]:
        return permissions.actions_for(context["request"].user, obj)

    @staticmethod
    def resolve_approvals(obj: Any) -> list[Any]:
        return list(obj.approvals.select_related("request").order_by("pk"))

    @staticmethod
    def resolve_tasks(obj: Any) -> list[Any]:
        return list(obj.tasks.select_related("request").order_by("position"))


class DelegationOut(Schema):
    id: int
    delegator_id: int
    delegate_id: int
    starts_on: dt.date
    ends_on: dt.date


class RequestCommentIn(Schema):
    body: str = Field(min_length=1, max_length=10000)
    public: bool = True


class RequestCommentOut(Schema):
    id: int
    author_id: int
    author_name: str
    public: bool
    body: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author_name(obj: Any) -> str:
        return str(obj.author)
