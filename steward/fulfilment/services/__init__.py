"""Every write of service request management (ISO/IEC 20000-1 8.6.2): one function per
action. See docs/processes/fulfilment.md for the states, the transition table, the events and
the SLA hooks.
"""

from steward.fulfilment.services.approvals import approval_decide, approvers_for
from steward.fulfilment.services.comments import request_comment
from steward.fulfilment.services.delegation import delegation_revoke, delegation_set
from steward.fulfilment.services.lifecycle import (
    request_auto_close_due,
    request_cancel,
    request_close,
    request_fulfil,
)
from steward.fulfilment.services.links import (
    approval_decide_by_link,
    approval_from_token,
    approval_link_token,
)
from steward.fulfilment.services.numbering import request_number_next
from steward.fulfilment.services.records import request_submit
from steward.fulfilment.services.reminders import reminder_fire
from steward.fulfilment.services.tasks import (
    task_assign,
    task_cancel,
    task_complete,
    task_set_notes,
    task_start,
)

__all__ = [
    "approval_decide",
    "approval_decide_by_link",
    "approval_from_token",
    "approval_link_token",
    "approvers_for",
    "delegation_revoke",
    "delegation_set",
    "reminder_fire",
    "request_auto_close_due",
    "request_cancel",
    "request_close",
    "request_comment",
    "request_fulfil",
    "request_number_next",
    "request_submit",
    "task_assign",
    "task_cancel",
    "task_complete",
    "task_set_notes",
    "task_start",
]
