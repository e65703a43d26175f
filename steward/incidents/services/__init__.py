"""Every write of incident management (ISO/IEC 20000-1 8.6.1): one function per action.

See docs/processes/incidents.md for the states, the transition table, the events and the SLA
hooks. Each service checks permissions, locks the row, checks the transition, applies the
business rules, records one audit entry, keeps the SLA clocks in step in the same transaction
and emits its domain event.
"""

from steward.incidents.services.assignment import incident_assign, incident_start
from steward.incidents.services.classify import incident_reclassify
from steward.incidents.services.comments import incident_comment
from steward.incidents.services.config import incident_policy_update, priority_matrix_set
from steward.incidents.services.escalation import (
    incident_escalate_for_sla,
    incident_escalate_functional,
    incident_escalate_hierarchical,
)
from steward.incidents.services.lifecycle import (
    incident_auto_close_due,
    incident_cancel,
    incident_close,
    incident_hold,
    incident_reopen,
    incident_resolve,
    incident_resume,
)
from steward.incidents.services.links import incident_merge
from steward.incidents.services.numbering import number_next
from steward.incidents.services.records import (
    incident_create,
    incident_set_priority,
    incident_update,
)

# One service per action of the transition table (tests check this covers every action).
ACTION_SERVICES = {
    "assign": incident_assign,
    "start": incident_start,
    "hold": incident_hold,
    "resume": incident_resume,
    "resolve": incident_resolve,
    "reopen": incident_reopen,
    "close": incident_close,
    "cancel": incident_cancel,
    "merge": incident_merge,
}

__all__ = [
    "ACTION_SERVICES",
    "incident_assign",
    "incident_auto_close_due",
    "incident_cancel",
    "incident_close",
    "incident_comment",
    "incident_create",
    "incident_escalate_for_sla",
    "incident_escalate_functional",
    "incident_escalate_hierarchical",
    "incident_hold",
    "incident_merge",
    "incident_reclassify",
    "incident_policy_update",
    "incident_reopen",
    "incident_resolve",
    "incident_resume",
    "incident_set_priority",
    "incident_start",
    "incident_update",
    "number_next",
    "priority_matrix_set",
]
