"""Read holidays from an iCalendar (.ics) file: every day covered by an all-day event."""

from __future__ import annotations

import datetime as dt

import icalendar


def holidays_from_ics(content: bytes) -> dict[dt.date, str]:
    """``{date: summary}`` for the all-day events in ``content`` (multi-day events expanded).

    Timed events are ignored: a holiday is a whole day. Raises ValueError for a file that is
    not iCalendar.
    """
    try:
        calendar = icalendar.Calendar.from_ical(content)
    except (ValueError, IndexError) as exc:
        raise ValueError(f"not an iCalendar file: {exc}") from None
    days: dict[dt.date, str] = {}
    for event in calendar.walk("VEVENT"):
        start = event.decoded("DTSTART", None)
        if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
            continue
        end = event.decoded("DTEND", None)
        if not isinstance(end, dt.date) or isinstance(end, dt.datetime) or end <= start:
            end = start + dt.timedelta(days=1)  # DTEND is exclusive for all-day events
        summary = str(event.get("SUMMARY", "")).strip()
        day = start
        while day < end:
            days[day] = summary
            day += dt.timedelta(days=1)
    return days
