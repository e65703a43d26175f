"""Daylight saving time: windows count the real time that passes.

2026 transitions: New York springs forward on Sun 8 Mar (02:00 EST -> 03:00 EDT) and falls back on
Sun 1 Nov (02:00 EDT -> 01:00 EST); Berlin on Sun 29 Mar (02:00 CET -> 03:00 CEST) and Sun 25 Oct
(03:00 CEST -> 02:00 CET). Instants are written in UTC to leave no doubt about which one is meant.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from steward.sla.timemath import BusinessCalendar

NEW_YORK = "America/New_York"
BERLIN = "Europe/Berlin"
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def daily(tz: str, start: time, end: time) -> BusinessCalendar:
    return BusinessCalendar(tz, dict.fromkeys(range(7), [(start, end)]))


def local_midnight(tz: str, month: int, day: int) -> datetime:
    return datetime(2026, month, day, tzinfo=ZoneInfo(tz))


# --- New York, spring forward -----------------------------------------------------------------


def test_a_window_across_the_spring_forward_night_is_one_real_hour():
    calendar = daily(NEW_YORK, time(1, 30), time(3, 30))

    assert calendar.between(local_midnight(NEW_YORK, 3, 7), local_midnight(NEW_YORK, 3, 8)) == (
        2 * HOUR
    )
    assert calendar.between(local_midnight(NEW_YORK, 3, 8), local_midnight(NEW_YORK, 3, 9)) == HOUR


def test_a_clock_across_the_spring_forward_night():
    calendar = daily(NEW_YORK, time(1, 30), time(3, 30))
    opened = utc(3, 8, 6, 30)  # 01:30 EST

    assert calendar.add(opened, 30 * MINUTE) == utc(3, 8, 7)  # 03:00 EDT
    assert calendar.add(opened, HOUR) == utc(3, 8, 7, 30)  # 03:30 EDT, the window's end
    assert calendar.add(opened, HOUR + MINUTE) == utc(3, 9, 5, 31)  # Mon 01:31 EDT


def test_a_window_that_starts_in_the_gap_starts_when_the_gap_ends():
    calendar = daily(NEW_YORK, time(2, 15), time(4))

    assert calendar.next_business_instant(utc(3, 8, 6)) == utc(3, 8, 7)  # 01:00 EST -> 03:00 EDT
    assert calendar.between(local_midnight(NEW_YORK, 3, 8), local_midnight(NEW_YORK, 3, 9)) == HOUR


def test_a_window_wholly_in_the_gap_is_empty():
    calendar = daily(NEW_YORK, time(2), time(2, 30))

    assert calendar.between(local_midnight(NEW_YORK, 3, 8), local_midnight(NEW_YORK, 3, 9)) == (
        timedelta(0)
    )
    assert calendar.next_business_instant(utc(3, 8, 5)) == utc(3, 9, 6)  # Mon 02:00 EDT


# --- New York, fall back ----------------------------------------------------------------------


def test_a_window_across_the_fall_back_night_is_three_real_hours():
    calendar = daily(NEW_YORK, time(0, 30), time(2, 30))

    assert calendar.between(local_midnight(NEW_YORK, 11, 1), local_midnight(NEW_YORK, 11, 2)) == (
        3 * HOUR
    )
    assert calendar.add(utc(11, 1, 4, 30), 3 * HOUR) == utc(11, 1, 7, 30)  # 00:30 EDT -> 02:30 EST


def test_a_window_inside_the_repeated_hour_takes_its_first_occurrence():
    calendar = daily(NEW_YORK, time(1), time(1, 30))

    assert calendar.add(utc(11, 1, 5), 30 * MINUTE) == utc(11, 1, 5, 30)  # 01:00-01:30 EDT
    # 01:15 EST, the second time the clock shows 01:15, is outside: next is Mon 01:00 EST.
    assert calendar.next_business_instant(utc(11, 1, 6, 15)) == utc(11, 2, 6)


# --- Berlin, 24x7 -----------------------------------------------------------------------------


def test_a_24x7_calendar_counts_25_hours_on_the_autumn_day():
    calendar = BusinessCalendar.always(BERLIN)
    start, end = local_midnight(BERLIN, 10, 25), local_midnight(BERLIN, 10, 26)

    assert calendar.between(start, end) == 25 * HOUR
    assert calendar.add(start, 24 * HOUR) == utc(10, 25, 22)  # 23:00 CET, the same local day
    assert calendar.add(start, 25 * HOUR) == end


def test_a_24x7_calendar_counts_23_hours_on_the_spring_day():
    calendar = BusinessCalendar.always(BERLIN)

    assert calendar.between(local_midnight(BERLIN, 3, 29), local_midnight(BERLIN, 3, 30)) == (
        23 * HOUR
    )


def test_a_berlin_window_across_the_autumn_fold_is_three_real_hours():
    calendar = daily(BERLIN, time(2), time(4))  # 02:00 CEST (00:00Z) to 04:00 CET (03:00Z)

    assert calendar.add(utc(10, 25, 0), 3 * HOUR) == utc(10, 25, 3)
    assert calendar.between(utc(10, 24, 22), utc(10, 25, 23)) == 3 * HOUR
