"""China's official holidays and make-up working days (调休), from the ``chinese-calendar`` package.

The State Council publishes each year's schedule, usually in November of the year before, and the
package (PyPI ``chinesecalendar``, import ``chinese_calendar``) releases it soon after. It knows
only the years it was released with, so ``official_year`` refuses any other year with
``CalendarNotCovered`` instead of guessing. The later Django service stores these days as calendar
exceptions, recording ``SOURCE`` and ``package_version()`` on each one; the database, not this
package, is then the audited source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from types import MappingProxyType

import chinese_calendar  # type: ignore[import-untyped]

from steward.sla.timemath.calendar import BusinessCalendar
from steward.sla.timemath.errors import CalendarNotCovered
from steward.sla.timemath.windows import HOLIDAY, DayHours, Window, make_up_day_hours

SOURCE = "chinesecalendar"
CHINA_TZ = "Asia/Shanghai"
CHINA_OFFICE_HOURS: DayHours = ((time(9), time(12)), (time(13), time(18)))
CHINA_WEEK: Mapping[int, DayHours] = MappingProxyType(dict.fromkeys(range(5), CHINA_OFFICE_HOURS))
"""Monday to Friday, 09:00-12:00 and 13:00-18:00."""


class DayKind(StrEnum):
    HOLIDAY = "holiday"  # a rest day of an official holiday block (weekends inside it included)
    WORKING_DAY = "working_day"  # a make-up working day, usually a weekend day


@dataclass(frozen=True, slots=True)
class OfficialDay:
    day: date
    kind: DayKind
    name: str  # the package's English name, e.g. "Spring Festival"
    name_zh: str  # e.g. "春节"


@dataclass(frozen=True, slots=True)
class OfficialYear:
    year: int
    days: tuple[OfficialDay, ...]  # sorted by date
    package_version: str
    source: str = SOURCE

    @property
    def holidays(self) -> tuple[OfficialDay, ...]:
        return tuple(day for day in self.days if day.kind is DayKind.HOLIDAY)

    @property
    def working_days(self) -> tuple[OfficialDay, ...]:
        return tuple(day for day in self.days if day.kind is DayKind.WORKING_DAY)


def package_version() -> str:
    return str(chinese_calendar.__version__)


def official_years() -> frozenset[int]:
    """The years the installed package has official data for."""
    holidays: Mapping[date, str] = chinese_calendar.holidays
    return frozenset(day.year for day in holidays)


def _chinese_name(name: str) -> str:
    try:
        return str(chinese_calendar.Holiday(name).chinese)
    except ValueError:
        return name


def official_year(year: int) -> OfficialYear:
    """The holidays and make-up working days of ``year``; ``CalendarNotCovered`` if it has none."""
    covered = official_years()
    if year not in covered:
        raise CalendarNotCovered(year, covered)
    found: dict[date, OfficialDay] = {}
    sources: Sequence[tuple[DayKind, Mapping[date, str]]] = (
        (DayKind.HOLIDAY, chinese_calendar.holidays),
        (DayKind.WORKING_DAY, chinese_calendar.workdays),  # wins over a holiday, as in the package
    )
    for kind, table in sources:
        for day, name in table.items():
            if day.year == year:
                found[day] = OfficialDay(day, kind, str(name), _chinese_name(str(name)))
    return OfficialYear(year, tuple(found[day] for day in sorted(found)), package_version())


def china_calendar(
    *,
    weekly: Mapping[int, Sequence[Window]] = CHINA_WEEK,
    tz: str = CHINA_TZ,
    years: Iterable[int] | None = None,
    make_up_like: int = 0,
    company_exceptions: Mapping[date, Sequence[Window]] | None = None,
    company_years: Iterable[int] = (),
) -> BusinessCalendar:
    """A calendar with China's official days as exceptions, covering exactly the years it knows.

    - ``years``: the official years to load (default: all the package has); each must be known.
    - Official holidays have no hours; make-up working days get the hours of weekday
      ``make_up_like`` (Monday).
    - ``company_exceptions`` are laid over the official days (an admin's override wins), and
      ``company_years`` are years the company has entered itself and declares covered.
    """
    chosen = official_years() if years is None else frozenset(years)
    exceptions: dict[date, Sequence[Window]] = {}
    for year in sorted(chosen):
        for official in official_year(year).days:
            exceptions[official.day] = (
                HOLIDAY
                if official.kind is DayKind.HOLIDAY
                else make_up_day_hours(weekly, like=make_up_like)
            )
    exceptions.update(company_exceptions or {})
    return BusinessCalendar(tz, weekly, exceptions, covered_years=chosen | frozenset(company_years))
