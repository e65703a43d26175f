"""Domain events of service request fulfilment. See docs/processes/fulfilment.md.

Events that carry a message (acknowledgement, approval needed, reminder, rejection, task
assigned, fulfilled) are emitted inside the transaction (``core.events.emit_in_transaction``)
so that their notification rows commit with the change; the others are published on commit.
Every event carries ids and the number, never model instances.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from steward.core.events import Event


@dataclass(frozen=True)
class RequestEvent(Event):
    """Base of the request events: which request, and who acted (None: the system)."""

    request_id: int
    number: str
    actor_id: int | None


@dataclass(frozen=True)
class RequestSubmitted(RequestEvent):
    """A request was raised. ``due_at`` is the customer SLA's fulfilment promise when a clock
    runs; ``promised_minutes`` the item's promised delivery (business minutes)."""

    requester_id: int
    due_at: datetime | None
    promised_minutes: int


@dataclass(frozen=True)
class ApprovalRequested(RequestEvent):
    approval_id: int
    approver_id: int


@dataclass(frozen=True)
class ApprovalReminded(RequestEvent):
    approval_id: int
    approver_id: int


@dataclass(frozen=True)
class ApprovalDecided(RequestEvent):
    """One approver (or their delegate: ``on_behalf``) decided."""

    approval_id: int
    decision: str
    on_behalf: bool


@dataclass(frozen=True)
class RequestApproved(RequestEvent):
    pass


@dataclass(frozen=True)
class RequestRejected(RequestEvent):
    comment: str


@dataclass(frozen=True)
class FulfilmentTaskOpened(RequestEvent):
    """A task became workable: its team (or assignee) is told."""

    task_id: int
    team_id: int


@dataclass(frozen=True)
class FulfilmentTaskAssigned(RequestEvent):
    task_id: int
    assignee_id: int


@dataclass(frozen=True)
class FulfilmentTaskFinished(RequestEvent):
    task_id: int
    state: str


@dataclass(frozen=True)
class RequestFulfilled(RequestEvent):
    """Everything asked for was delivered (the satisfaction survey follows this event)."""

    requester_id: int
    fulfilled_at: datetime


@dataclass(frozen=True)
class RequestClosed(RequestEvent):
    """Closed by the requester's confirmation, the desk, or (``automatic``) the job that
    closes fulfilled requests after ``STEWARD_REQUEST_AUTO_CLOSE_DAYS``."""

    automatic: bool = False


@dataclass(frozen=True)
class RequestCancelled(RequestEvent):
    reason: str


@dataclass(frozen=True)
class RequestCommented(RequestEvent):
    """A message was added; ``by_requester`` tells whose, ``public`` whether the requester
    sees it."""

    comment_id: int
    public: bool
    by_requester: bool


ALL_EVENTS: tuple[type[RequestEvent], ...] = (
    RequestSubmitted,
    ApprovalRequested,
    ApprovalReminded,
    ApprovalDecided,
    RequestApproved,
    RequestRejected,
    FulfilmentTaskOpened,
    FulfilmentTaskAssigned,
    FulfilmentTaskFinished,
    RequestFulfilled,
    RequestClosed,
    RequestCancelled,
    RequestCommented,
)
