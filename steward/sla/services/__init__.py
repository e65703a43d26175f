"""Every write of the SLA app. See steward/sla/README.md and docs/processes/sla.md."""

from steward.sla.services.agreements import (
    agreement_activate,
    agreement_create,
    agreement_retire,
    improvement_action_create,
    metric_set,
)
from steward.sla.services.backdate import (
    RECLASSIFIED,
    Step,
    clocks_attach_as_of,
    clocks_cancel,
)
from steward.sla.services.calendars import (
    calendar_confirm_year,
    calendar_create,
    calendar_import_ics,
    calendar_load_china_year,
    calendar_remove_exception,
    calendar_set_exception,
    calendar_set_weekly,
    service_hours_set,
)
from steward.sla.services.clocks import (
    clock_start,
    clocks_attach,
    clocks_matching,
    clocks_on_priority_change,
    clocks_on_reopen,
    clocks_on_state_change,
    clocks_start,
)
from steward.sla.services.exceptions import sla_exception_create
from steward.sla.services.milestones import milestone_fire
from steward.sla.services.replan import clocks_replan_calendar

__all__ = [
    "RECLASSIFIED",
    "Step",
    "agreement_activate",
    "agreement_create",
    "agreement_retire",
    "calendar_confirm_year",
    "calendar_create",
    "calendar_import_ics",
    "calendar_load_china_year",
    "calendar_remove_exception",
    "calendar_set_exception",
    "calendar_set_weekly",
    "clock_start",
    "clocks_start",
    "clocks_attach",
    "clocks_matching",
    "clocks_attach_as_of",
    "clocks_cancel",
    "clocks_on_priority_change",
    "clocks_on_reopen",
    "clocks_on_state_change",
    "clocks_replan_calendar",
    "improvement_action_create",
    "metric_set",
    "milestone_fire",
    "service_hours_set",
    "sla_exception_create",
]
