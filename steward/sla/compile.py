"""Turn a stored calendar into the pure due-date core's calendar, cached per version."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date, time

from steward.sla.models import BusinessCalendar, CalendarKind, ExceptionKind
from steward.sla.timemath import END_OF_DAY
from steward.sla.timemath import BusinessCalendar as Compiled

_cache: dict[tuple[int, int, object], Compiled] = {}
_lock = threading.Lock()


def minute_to_time(minute: int) -> time:
    """``540`` → 09:00; ``1440`` → 24:00 (the core's END_OF_DAY)."""
    if minute >= 1440:
        return END_OF_DAY
    return time(minute // 60, minute % 60)


def _pairs(windows: Sequence[Sequence[int]]) -> list[tuple[time, time]]:
    return [(minute_to_time(start), minute_to_time(end)) for start, end in windows]


def build(calendar: BusinessCalendar) -> Compiled:
    """Build the core calendar from the rows (no cache)."""
    if calendar.kind == CalendarKind.ALWAYS:
        return Compiled.always(calendar.time_zone)
    weekly: dict[int, list[tuple[time, time]]] = {}
    for window in calendar.windows.all().order_by("weekday", "start_minute"):
        weekly.setdefault(window.weekday, []).append(
            (minute_to_time(window.start_minute), minute_to_time(window.end_minute))
        )
    monday = weekly.get(0) or next(iter(weekly.values()), [])
    exceptions: dict[date, list[tuple[time, time]]] = {}
    for exception in calendar.exceptions.all():
        if exception.kind == ExceptionKind.HOLIDAY:
            exceptions[exception.date] = []
        elif exception.windows:
            exceptions[exception.date] = _pairs(exception.windows)
        else:
            exceptions[exception.date] = list(monday)
    covered: frozenset[int] | None = None
    if calendar.kind == CalendarKind.CHINA:
        covered = frozenset(calendar.years.values_list("year", flat=True))
    return Compiled(calendar.time_zone, weekly, exceptions, covered_years=covered)


def compiled(calendar: BusinessCalendar) -> Compiled:
    """The core calendar for this calendar version, built once per process."""
    # created_at tells apart two calendars that got the same id (SQLite reuses ids).
    key = (calendar.pk, calendar.version, calendar.created_at)
    found = _cache.get(key)
    if found is None:
        found = build(calendar)
        with _lock:
            for stale in [k for k in _cache if k[0] == calendar.pk and k != key]:
                del _cache[stale]
            _cache[key] = found
    return found
