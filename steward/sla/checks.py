"""``steward check``: warn when a China calendar does not know this year or the next."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db.utils import DatabaseError
from django.utils import timezone

from steward.sla.services.calendars import calendar_years_missing


def calendar_coverage(
    app_configs: Any, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if not databases:
        return []  # a database check: only with --database (``steward check`` adds it)
    from steward.sla.models import BusinessCalendar, CalendarKind

    this_year = timezone.localdate().year
    messages: list[checks.CheckMessage] = []
    try:
        calendars = list(BusinessCalendar.objects.filter(kind=CalendarKind.CHINA))
        for calendar in calendars:
            missing = calendar_years_missing(calendar, [this_year, this_year + 1])
            if missing:
                messages.append(
                    checks.Warning(
                        f"Calendar {calendar.code} has no official or confirmed data for "
                        f"{', '.join(map(str, missing))}: SLA due times in those years cannot be "
                        "computed.",
                        hint="Load the year when the State Council publishes it (upgrade the "
                        "chinesecalendar package), or enter the company's days and confirm "
                        "the year on the calendar page.",
                        id="steward.W101",
                    )
                )
    except DatabaseError:
        return []  # the database check reports an unreachable or unmigrated database
    return messages
