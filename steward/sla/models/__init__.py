"""Models of the SLA app: calendars, agreements and clocks. See steward/sla/README.md."""

from steward.sla.models.agreements import (
    Agreement,
    AgreementKind,
    AgreementMetric,
    AgreementStatus,
    ImprovementAction,
    MetricKind,
    PriorityChangePolicy,
    SlaException,
)
from steward.sla.models.calendars import (
    BusinessCalendar,
    CalendarException,
    CalendarKind,
    CalendarYear,
    ExceptionKind,
    ExceptionSource,
    ServiceHours,
    WorkingWindow,
)
from steward.sla.models.clocks import ClockState, SlaClock, SlaClockEvent, SlaMilestone

__all__ = [
    "Agreement",
    "AgreementKind",
    "AgreementMetric",
    "AgreementStatus",
    "BusinessCalendar",
    "CalendarException",
    "CalendarKind",
    "CalendarYear",
    "ClockState",
    "ExceptionKind",
    "ExceptionSource",
    "ImprovementAction",
    "MetricKind",
    "PriorityChangePolicy",
    "SlaClock",
    "SlaClockEvent",
    "SlaException",
    "ServiceHours",
    "SlaMilestone",
    "WorkingWindow",
]
