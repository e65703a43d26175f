"""The China calendar on real 2026 dates, with the official days read from ``chinese-calendar``.

Office hours 09:00-12:00 and 13:00-18:00 (8 hours a day), Asia/Shanghai (UTC+8, no DST). The due
times below were worked out by hand from the State Council's 2026 schedule.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from steward.sla.timemath import HOLIDAY, BusinessCalendar, CalendarNotCovered
from steward.sla.timemath.china import (
    CHINA_WEEK,
    DayKind,
    OfficialDay,
    china_calendar,
    official_year,
    official_years,
    package_version,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOURS = timedelta(hours=1)


def cst(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def china_2026() -> BusinessCalendar:
    return china_calendar(years=[2026])


# --- the official data ------------------------------------------------------------------------


def test_the_2026_make_up_working_days_come_from_the_package():
    year = official_year(2026)

    assert year.working_days == (
        OfficialDay(date(2026, 1, 4), DayKind.WORKING_DAY, "New Year's Day", "元旦"),
        OfficialDay(date(2026, 2, 14), DayKind.WORKING_DAY, "Spring Festival", "春节"),
        OfficialDay(date(2026, 2, 28), DayKind.WORKING_DAY, "Spring Festival", "春节"),
        OfficialDay(date(2026, 5, 9), DayKind.WORKING_DAY, "Labour Day", "劳动节"),
        OfficialDay(date(2026, 9, 20), DayKind.WORKING_DAY, "National Day", "国庆节"),
        OfficialDay(date(2026, 10, 10), DayKind.WORKING_DAY, "National Day", "国庆节"),
    )
    assert year.source == "chinesecalendar"
    assert year.package_version == package_version()


def test_the_2026_holiday_blocks_come_from_the_package():
    holidays = {day.day: day.name_zh for day in official_year(2026).holidays}

    assert len(holidays) == 33
    assert [d for d, name in holidays.items() if name == "春节"] == [
        date(2026, 2, day) for day in range(15, 24)
    ]
    assert [d for d, name in holidays.items() if name == "劳动节"] == [
        date(2026, 5, day) for day in range(1, 6)
    ]
    assert [d for d, name in holidays.items() if name == "国庆节"] == [
        date(2026, 10, day) for day in range(1, 8)
    ]


def test_the_package_reports_its_years_and_version():
    years = official_years()

    assert min(years) == 2004
    assert {2025, 2026} <= years
    assert years == frozenset(range(2004, max(years) + 1))
    assert re.fullmatch(r"\d+\.\d+\.\d+", package_version())


def test_the_calendar_holds_the_official_days_as_exceptions(china_2026):
    assert china_2026.covered_years == frozenset({2026})
    assert china_2026.hours_on(date(2026, 2, 14)) == CHINA_WEEK[0]  # Saturday, worked
    assert china_2026.hours_on(date(2026, 2, 16)) == HOLIDAY  # Monday, Spring Festival
    assert china_2026.hours_on(date(2026, 2, 21)) == HOLIDAY  # Saturday inside the block
    assert china_2026.hours_on(date(2026, 3, 2)) == CHINA_WEEK[0]  # an ordinary Monday
    assert china_2026.hours_on(date(2026, 3, 7)) == ()  # an ordinary Saturday


# --- Spring Festival --------------------------------------------------------------------------


def test_eight_hours_from_friday_afternoon_are_due_on_the_make_up_saturday(china_2026):
    # Fri 16:00-18:00 (2 h), Sat 14 Feb is worked: 09:00-12:00 (5 h), 13:00-16:00 (8 h).
    due = china_2026.add(cst(2026, 2, 13, 16), 8 * HOURS)

    assert due == cst(2026, 2, 14, 16)
    assert due == datetime(2026, 2, 14, 8, tzinfo=UTC)


def test_a_clock_that_runs_out_at_closing_time_is_due_at_closing_time(china_2026):
    assert china_2026.add(cst(2026, 2, 13, 16), 10 * HOURS) == cst(2026, 2, 14, 18)


def test_the_spring_festival_block_is_skipped(china_2026):
    # 10 hours end on Saturday 18:00; 15-23 Feb are holidays; the 11th hour is Tue 24 Feb 09-10.
    assert china_2026.add(cst(2026, 2, 13, 16), 11 * HOURS) == cst(2026, 2, 24, 10)
    assert china_2026.between(cst(2026, 2, 14, 18), cst(2026, 2, 24, 9)) == timedelta(0)
    assert china_2026.between(cst(2026, 2, 13, 16), cst(2026, 2, 24, 10)) == 11 * HOURS


# --- Labour Day and National Day --------------------------------------------------------------


def test_labour_day_is_skipped(china_2026):
    # Thu 30 Apr 17:00-18:00 (1 h); 1-5 May off; Wed 6 May 09-12 (4 h), 13:00-17:00 (8 h).
    assert china_2026.add(cst(2026, 4, 30, 17), 8 * HOURS) == cst(2026, 5, 6, 17)


def test_the_labour_day_make_up_saturday_is_worked(china_2026):
    # Fri 8 May and the make-up Sat 9 May; Sun 10 May is off.
    assert china_2026.between(cst(2026, 5, 8, 9), cst(2026, 5, 11, 9)) == 16 * HOURS


def test_the_national_day_make_up_sunday_is_worked(china_2026):
    # Fri 18 Sep 17:30-18:00 (0.5 h); Sun 20 Sep is worked: 09-12 (3.5 h), 13:00-17:30 (8 h).
    assert china_2026.add(cst(2026, 9, 18, 17, 30), 8 * HOURS) == cst(2026, 9, 20, 17, 30)


def test_national_day_is_skipped(china_2026):
    # Wed 30 Sep 17:00-18:00 (1 h); 1-7 Oct off; Thu 8 Oct 09:00-12:00 (4 h).
    assert china_2026.add(cst(2026, 9, 30, 17), 4 * HOURS) == cst(2026, 10, 8, 12)
    assert china_2026.between(cst(2026, 9, 30, 18), cst(2026, 10, 8, 9)) == timedelta(0)
    # Fri 9 Oct and the make-up Sat 10 Oct.
    assert china_2026.between(cst(2026, 10, 9, 9), cst(2026, 10, 12, 9)) == 16 * HOURS


# --- years without official data --------------------------------------------------------------


def test_a_clock_that_runs_into_a_year_without_data_is_refused(china_2026):
    with pytest.raises(CalendarNotCovered) as raised:
        china_2026.add(cst(2026, 12, 31, 17), 2 * HOURS)

    assert raised.value.year == 2027
    assert str(raised.value) == (
        "the calendar has no data for 2027 (covered years: 2026); "
        "enter 2027's holidays and working days and mark the year as covered"
    )


def test_a_clock_that_ends_with_the_covered_year_needs_no_more(china_2026):
    assert china_2026.add(cst(2026, 12, 31, 17), 1 * HOURS) == cst(2026, 12, 31, 18)


def test_business_time_into_a_year_without_data_is_refused(china_2026):
    with pytest.raises(CalendarNotCovered) as raised:
        china_2026.between(cst(2026, 12, 30, 9), cst(2027, 1, 4, 9))

    assert raised.value.year == 2027


def test_a_start_in_a_year_without_data_is_refused(china_2026):
    with pytest.raises(CalendarNotCovered) as raised:
        china_2026.next_business_instant(cst(2025, 12, 31, 9))

    assert raised.value.year == 2025


def test_the_package_refuses_a_year_it_does_not_know():
    unknown = max(official_years()) + 1

    with pytest.raises(CalendarNotCovered) as raised:
        china_calendar(years=[2026, unknown])

    assert raised.value.year == unknown
    with pytest.raises(CalendarNotCovered):
        official_year(2003)


def test_a_year_the_company_entered_itself_is_covered():
    company = {date(2027, 1, 1): HOLIDAY}  # Friday; 2-3 Jan are a weekend
    calendar = china_calendar(years=[2026], company_exceptions=company, company_years=[2027])

    due = calendar.add(cst(2026, 12, 31, 17), 2 * HOURS)

    assert calendar.covered_years == frozenset({2026, 2027})
    assert due == cst(2027, 1, 4, 10)


def test_a_company_exception_overrides_an_official_day():
    calendar = china_calendar(years=[2026], company_exceptions={date(2026, 2, 14): HOLIDAY})

    assert calendar.add(cst(2026, 2, 13, 16), 3 * HOURS) == cst(2026, 2, 24, 10)
