"""BusinessCalendar: validation, value semantics and the arithmetic on a plain office week."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from steward.sla.timemath import (
    END_OF_DAY,
    HOLIDAY,
    BusinessCalendar,
    NoBusinessTime,
    make_up_day_hours,
)

OFFICE = [(time(9), time(12)), (time(13, 30), time(18))]  # 7.5 hours
WEEK = dict.fromkeys(range(5), OFFICE)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def exactly(message: str) -> str:
    return f"^{re.escape(message)}$"


@pytest.fixture
def office() -> BusinessCalendar:
    return BusinessCalendar("UTC", WEEK)


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weekly", "message"),
    [
        (
            {0: [(time(9), time(12)), (time(11), time(13))]},
            "Monday: windows 09:00-12:00 and 11:00-13:00 overlap",
        ),
        ({1: [(time(12), time(9))]}, "Tuesday: window 12:00-09:00 must end after it starts"),
        ({2: [(time(9), time(9))]}, "Wednesday: window 09:00-09:00 must end after it starts"),
        ({3: [(END_OF_DAY, END_OF_DAY)]}, "Thursday: window 24:00-24:00 cannot start at 24:00"),
        ({7: OFFICE}, "weekly: weekday must be an int from 0 (Monday) to 6, got 7"),
        (
            {4: [(time(9, tzinfo=UTC), time(12))]},
            "Friday: window 09:00+00:00-12:00 must use wall-clock times without tzinfo; "
            "the calendar's time zone applies",
        ),
        (
            {5: [(time(9),)]},
            "Saturday: a window is a (start, end) pair of datetime.time, "
            "got (datetime.time(9, 0),)",
        ),
    ],
)
def test_bad_weekly_windows_are_refused(weekly, message):
    with pytest.raises(ValueError, match=exactly(message)):
        BusinessCalendar("UTC", weekly)


def test_bad_exceptions_are_refused():
    with pytest.raises(
        ValueError, match=exactly("2026-02-14: windows 09:00-18:00 and 17:00-24:00 overlap")
    ):
        BusinessCalendar(
            "UTC", WEEK, {date(2026, 2, 14): [(time(9), time(18)), (time(17), END_OF_DAY)]}
        )

    key = "datetime.datetime(2026, 2, 14, 0, 0, tzinfo=datetime.timezone.utc)"
    with pytest.raises(
        ValueError, match=exactly(f"exceptions: keys must be datetime.date, got {key}")
    ):
        BusinessCalendar("UTC", WEEK, {datetime(2026, 2, 14, tzinfo=UTC): HOLIDAY})


def test_an_unknown_time_zone_is_refused():
    message = "unknown time zone 'Mars/Olympus': use an IANA name such as 'Asia/Shanghai'"
    with pytest.raises(ValueError, match=exactly(message)):
        BusinessCalendar("Mars/Olympus", WEEK)


def test_naive_instants_and_negative_durations_are_refused(office):
    with pytest.raises(ValueError, match="is naive: pass an aware datetime"):
        office.add(datetime(2026, 3, 2, 9), HOUR)  # noqa: DTZ001
    with pytest.raises(ValueError, match="is naive: pass an aware datetime"):
        office.between(utc(3, 2, 9), datetime(2026, 3, 2, 10))  # noqa: DTZ001
    with pytest.raises(
        ValueError,
        match=exactly(
            "duration must not be negative, got datetime.timedelta(days=-1, seconds=86340)"
        ),
    ):
        office.add(utc(3, 2, 9), -MINUTE)


# --- value semantics --------------------------------------------------------------------------


def test_a_calendar_is_an_immutable_value(office):
    same = BusinessCalendar("UTC", {4: OFFICE[::-1], 0: OFFICE, 1: OFFICE, 2: OFFICE, 3: OFFICE})

    assert same == office
    assert hash(same) == hash(office)
    assert BusinessCalendar("UTC", WEEK, {date(2026, 3, 2): HOLIDAY}) != office
    with pytest.raises(AttributeError, match="BusinessCalendar is immutable"):
        office.tz = "Asia/Shanghai"  # type: ignore[misc]
    with pytest.raises(TypeError):
        office.weekly[5] = OFFICE  # type: ignore[index]


def test_a_calendar_reports_its_data(office):
    assert office.weekly[0] == tuple(OFFICE)
    assert office.weekly[6] == ()
    assert office.covered_years is None
    assert office.covers(1999)
    assert repr(BusinessCalendar("Asia/Shanghai", {0: OFFICE}, covered_years=[2025, 2026])) == (
        "<BusinessCalendar Asia/Shanghai: Mon 09:00-12:00 13:30-18:00; 0 exceptions; "
        "covers 2025-2026>"
    )


# --- arithmetic -------------------------------------------------------------------------------


def test_a_clock_started_outside_hours_counts_from_the_next_window(office):
    # Sat 7 Mar: nothing until Mon 9 Mar 09:00.
    assert office.add(utc(3, 7, 10), 2 * HOUR) == utc(3, 9, 11)
    assert office.next_business_instant(utc(3, 7, 10)) == utc(3, 9, 9)
    assert office.next_business_instant(utc(3, 9, 12, 15)) == utc(3, 9, 13, 30)
    assert office.next_business_instant(utc(3, 9, 10, 15)) == utc(3, 9, 10, 15)


def test_a_clock_skips_lunch_and_nights(office):
    # Mon 11:00: 1 h to lunch, 4.5 h in the afternoon, then Tue 09:00-10:30.
    assert office.add(utc(3, 9, 11), 7 * HOUR) == utc(3, 10, 10, 30)
    assert office.between(utc(3, 9, 11), utc(3, 10, 10, 30)) == 7 * HOUR


def test_between_backwards_is_negative(office):
    assert office.between(utc(3, 10, 10, 30), utc(3, 9, 11)) == -7 * HOUR


def test_arithmetic_is_exact_to_the_microsecond(office):
    start = datetime(2026, 3, 9, 17, 59, 59, 999_999, tzinfo=UTC)

    assert office.add(start, timedelta(microseconds=2)) == datetime(
        2026, 3, 10, 9, 0, 0, 1, tzinfo=UTC
    )


def test_results_are_in_utc_whatever_the_input_offset(office):
    beijing = timezone(timedelta(hours=8))

    due = office.add(datetime(2026, 3, 9, 17, tzinfo=beijing), HOUR)  # 09:00 UTC

    assert due == utc(3, 9, 10)
    assert due.tzinfo is UTC


def test_exceptions_replace_the_weekly_hours():
    calendar = BusinessCalendar(
        "UTC",
        WEEK,
        {
            date(2026, 3, 9): HOLIDAY,  # Monday off
            date(2026, 3, 10): [(time(10), time(11))],  # custom hours
            date(2026, 3, 14): make_up_day_hours(WEEK),  # Saturday worked
        },
    )

    assert calendar.between(utc(3, 9, 0), utc(3, 11, 0)) == HOUR
    assert calendar.between(utc(3, 14, 0), utc(3, 15, 0)) == 7.5 * HOUR
    assert calendar.hours_on(date(2026, 3, 14)) == tuple(OFFICE)


def test_a_window_can_end_at_midnight():
    calendar = BusinessCalendar("UTC", {0: [(time(22), END_OF_DAY)], 1: [(time(0), time(2))]})

    assert calendar.add(utc(3, 9, 22), 2 * HOUR) == utc(3, 10, 0)
    assert calendar.add(utc(3, 9, 23), 2 * HOUR) == utc(3, 10, 1)
    assert calendar.between(utc(3, 9, 0), utc(3, 11, 0)) == 4 * HOUR


def test_touching_windows_count_once():
    calendar = BusinessCalendar("UTC", {0: [(time(9), time(12)), (time(12), time(13))]})

    assert calendar.between(utc(3, 9, 0), utc(3, 10, 0)) == 4 * HOUR


def test_a_24x7_clock_runs_across_years():
    calendar = BusinessCalendar.always()

    assert calendar.between(utc(1, 1, 0), datetime(2027, 1, 1, tzinfo=UTC)) == timedelta(days=365)
    assert calendar.add(datetime(2025, 12, 31, 23, tzinfo=UTC), 2 * HOUR) == utc(1, 1, 1)
    assert calendar.add(datetime(2040, 6, 1, tzinfo=UTC), HOUR) == datetime(
        2040, 6, 1, 1, tzinfo=UTC
    )


def test_a_calendar_without_weekly_hours_cannot_finish_a_long_clock():
    calendar = BusinessCalendar("UTC", {}, {date(2026, 3, 9): OFFICE})

    assert calendar.add(utc(3, 1, 0), HOUR) == utc(3, 9, 10)
    assert calendar.between(utc(1, 1, 0), datetime(2028, 1, 1, tzinfo=UTC)) == 7.5 * HOUR
    message = (
        "the calendar has no working time after 2026: "
        "it has no weekly hours and no later exception with hours"
    )
    with pytest.raises(NoBusinessTime, match=exactly(message)):
        calendar.add(utc(3, 1, 0), 8 * HOUR)


def test_a_calendar_without_any_working_time_is_refused():
    message = "a calendar needs working time: weekly windows or an exception with hours"
    with pytest.raises(ValueError, match=exactly(message)):
        BusinessCalendar("UTC", {0: []}, {date(2026, 3, 9): HOLIDAY})


def test_make_up_day_hours_copy_a_weekday():
    assert make_up_day_hours(WEEK) == tuple(OFFICE)
    with pytest.raises(
        ValueError,
        match=exactly(
            "make-up day: weekday 6 has no working hours to copy; pass like= a weekday with hours"
        ),
    ):
        make_up_day_hours(WEEK, like=6)


def test_the_core_imports_without_django():
    code = (
        "import sys, steward.sla.timemath, steward.sla.timemath.china; "
        "sys.exit('django' in sys.modules)"
    )

    finished = subprocess.run([sys.executable, "-c", code], check=False, timeout=60)

    assert finished.returncode == 0
