"""Models of service request fulfilment (ISO/IEC 20000-1 8.6.2)."""

from steward.fulfilment.models.approval import (
    Approval,
    ApprovalDelegation,
    ApprovalReminder,
    ApprovalState,
    ApproverRole,
)
from steward.fulfilment.models.comment import RequestComment
from steward.fulfilment.models.request import (
    OPEN_STATUSES,
    STATUS_COLOURS,
    TERMINAL_STATUSES,
    TRANSITIONS,
    RequestChannel,
    RequestNumberSequence,
    RequestStatus,
    ServiceRequest,
    ServiceRequestQuerySet,
)
from steward.fulfilment.models.task import (
    ACTIVE_TASK_STATES,
    FINISHED_TASK_STATES,
    TASK_TRANSITIONS,
    FulfilmentTask,
    TaskState,
)

__all__ = [
    "ACTIVE_TASK_STATES",
    "FINISHED_TASK_STATES",
    "OPEN_STATUSES",
    "STATUS_COLOURS",
    "TASK_TRANSITIONS",
    "TERMINAL_STATUSES",
    "TRANSITIONS",
    "Approval",
    "ApprovalDelegation",
    "ApprovalReminder",
    "ApprovalState",
    "ApproverRole",
    "FulfilmentTask",
    "RequestChannel",
    "RequestComment",
    "RequestNumberSequence",
    "RequestStatus",
    "ServiceRequest",
    "ServiceRequestQuerySet",
    "TaskState",
]
