"""The pure due-date core of the SLA engine: business calendars and exact business-time arithmetic.

No Django here. ``china`` (official Chinese holidays) is imported on its own, since it needs the
``chinese-calendar`` package.
"""

from steward.sla.timemath.calendar import BusinessCalendar
from steward.sla.timemath.errors import CalendarNotCovered, NoBusinessTime
from steward.sla.timemath.windows import END_OF_DAY, HOLIDAY, DayHours, Window, make_up_day_hours

__all__ = [
    "END_OF_DAY",
    "HOLIDAY",
    "BusinessCalendar",
    "CalendarNotCovered",
    "DayHours",
    "NoBusinessTime",
    "Window",
    "make_up_day_hours",
]
