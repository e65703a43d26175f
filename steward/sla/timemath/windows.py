"""Working windows: wall-clock ``(start, end)`` pairs inside one local date, checked and sorted.

A window is half-open: it contains ``start`` and excludes ``end``. ``END_OF_DAY`` as an end means
24:00, so ``(time(0), END_OF_DAY)`` is the whole day. Windows of one day may touch but not overlap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time

Window = tuple[time, time]
DayHours = tuple[Window, ...]

END_OF_DAY = time.max
"""A window end of 24:00. ``time.max`` (23:59:59.999999) as an end is read as 24:00 exactly."""

HOLIDAY: DayHours = ()
"""The exception value for a day without working hours."""

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def format_time(moment: time) -> str:
    """``09:00``, ``09:00:30``, and ``24:00`` for ``END_OF_DAY``."""
    if moment == END_OF_DAY:
        return "24:00"
    if moment.second == 0 and moment.microsecond == 0:
        return moment.isoformat(timespec="minutes")
    return moment.isoformat()


def format_window(window: Window) -> str:
    return f"{format_time(window[0])}-{format_time(window[1])}"


def normalise_day(windows: Sequence[Window], where: str) -> DayHours:
    """Check one day's windows and return them sorted. ``where`` names the day in errors."""
    checked: list[Window] = []
    for window in windows:
        if len(window) != 2 or not all(isinstance(part, time) for part in window):
            raise ValueError(
                f"{where}: a window is a (start, end) pair of datetime.time, got {window!r}"
            )
        start, end = window
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError(
                f"{where}: window {format_window(window)} must use wall-clock times "
                "without tzinfo; the calendar's time zone applies"
            )
        if start == END_OF_DAY:
            raise ValueError(f"{where}: window {format_window(window)} cannot start at 24:00")
        if end <= start:
            raise ValueError(f"{where}: window {format_window(window)} must end after it starts")
        checked.append((start, end))
    checked.sort()
    for before, after in zip(checked, checked[1:], strict=False):
        if after[0] < before[1]:
            raise ValueError(
                f"{where}: windows {format_window(before)} and {format_window(after)} overlap"
            )
    return tuple(checked)


def normalise_weekly(weekly: Mapping[int, Sequence[Window]]) -> tuple[DayHours, ...]:
    """Seven entries, Monday (0) to Sunday (6); a weekday missing from ``weekly`` has no hours."""
    for weekday in weekly:
        if not isinstance(weekday, int) or isinstance(weekday, bool) or not 0 <= weekday <= 6:
            raise ValueError(
                f"weekly: weekday must be an int from 0 (Monday) to 6, got {weekday!r}"
            )
    return tuple(
        normalise_day(weekly.get(weekday, ()), WEEKDAY_NAMES[weekday]) for weekday in range(7)
    )


def normalise_exceptions(exceptions: Mapping[date, Sequence[Window]]) -> dict[date, DayHours]:
    """Dated exceptions: no windows is a holiday, some windows replace the day's hours."""
    result: dict[date, DayHours] = {}
    for day, windows in exceptions.items():
        if isinstance(day, datetime) or not isinstance(day, date):
            raise ValueError(f"exceptions: keys must be datetime.date, got {day!r}")
        result[day] = normalise_day(windows, day.isoformat())
    return dict(sorted(result.items()))


def make_up_day_hours(weekly: Mapping[int, Sequence[Window]], *, like: int = 0) -> DayHours:
    """The hours of an extra working day (a 调休 make-up day): those of weekday ``like``."""
    hours = normalise_weekly(weekly)[like] if 0 <= like <= 6 else None
    if not hours:
        raise ValueError(
            f"make-up day: weekday {like!r} has no working hours to copy; "
            "pass like= a weekday with hours"
        )
    return hours
