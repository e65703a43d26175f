"""``BusinessCalendar``: an immutable business calendar with exact, DST-safe due-date arithmetic."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import MAXYEAR, MINYEAR, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from steward.sla.timemath.errors import CalendarNotCovered, describe_years
from steward.sla.timemath.timeline import Timeline, YearWindows
from steward.sla.timemath.windows import (
    END_OF_DAY,
    WEEKDAY_NAMES,
    DayHours,
    Window,
    format_window,
    normalise_exceptions,
    normalise_weekly,
)
from steward.sla.timemath.zones import (
    from_us,
    local_year,
    to_us,
    to_us_duration,
    wall_to_us,
    zone_named,
)

_ONE_DAY = timedelta(days=1)
_WHOLE_DAY: DayHours = ((time(0), END_OF_DAY),)


class BusinessCalendar:
    """A time zone, weekly working windows and dated exceptions.

    - ``weekly`` maps a weekday (0 = Monday ... 6 = Sunday) to its windows; a weekday left out has
      none.
    - ``exceptions`` maps a date to the windows that replace that date's weekly ones: an empty
      sequence is a holiday, a non-empty one gives the date's hours (an extra working day or
      custom hours).
    - ``covered_years``: the years the calendar has data for. ``None`` means every year (a plain
      weekly calendar, 24x7). With a set, any computation that needs another year raises
      ``CalendarNotCovered``: the official holidays of a year are unknown until they are published.

    Instants are aware datetimes; results are aware datetimes in UTC. Arithmetic is exact to the
    microsecond and counts real elapsed time, so a window across a DST change is as long as the time
    that really passes (see ``zones``). Windows are built per local year on first use and cached on
    the calendar; a calendar is never changed, so an edit means a new calendar (and a fresh cache).
    """

    __slots__ = ("_covered", "_exceptions", "_key", "_timeline", "_tz", "_weekly", "_zone")
    _tz: str
    _zone: ZoneInfo
    _weekly: tuple[DayHours, ...]
    _exceptions: dict[date, DayHours]
    _covered: frozenset[int] | None
    _key: tuple[object, ...]
    _timeline: Timeline

    def __init__(
        self,
        tz: str,
        weekly: Mapping[int, Sequence[Window]],
        exceptions: Mapping[date, Sequence[Window]] | None = None,
        *,
        covered_years: Iterable[int] | None = None,
    ) -> None:
        zone = zone_named(tz)
        week = normalise_weekly(weekly)
        exception_hours = normalise_exceptions(exceptions or {})
        covered = None if covered_years is None else frozenset(covered_years)
        if covered is not None and not all(
            isinstance(year, int) and MINYEAR < year < MAXYEAR for year in covered
        ):
            raise ValueError(f"covered_years must be years from {MINYEAR + 1} to {MAXYEAR - 1}")
        last_possible: int | None = None  # no working time after this year; None: always more
        if not any(week):
            worked = [day.year for day, hours in exception_hours.items() if hours]
            if not worked:
                raise ValueError(
                    "a calendar needs working time: weekly windows or an exception with hours"
                )
            last_possible = max(worked)
        init = super().__setattr__
        init("_tz", tz)
        init("_zone", zone)
        init("_weekly", week)
        init("_exceptions", exception_hours)
        init("_covered", covered)
        init("_key", (tz, week, tuple(exception_hours.items()), covered))
        init("_timeline", Timeline(self._year_windows, self._year_of, last_possible))

    @classmethod
    def always(cls, tz: str = "UTC") -> BusinessCalendar:
        """24x7: every instant is business time, in every year."""
        return cls(tz, dict.fromkeys(range(7), _WHOLE_DAY))

    # --- the data -------------------------------------------------------------------------------

    @property
    def tz(self) -> str:
        return self._tz

    @property
    def weekly(self) -> Mapping[int, DayHours]:
        """All seven weekdays, each with its sorted windows (empty: no hours)."""
        return MappingProxyType(dict(enumerate(self._weekly)))

    @property
    def exceptions(self) -> Mapping[date, DayHours]:
        return MappingProxyType(self._exceptions)

    @property
    def covered_years(self) -> frozenset[int] | None:
        return self._covered

    def covers(self, year: int) -> bool:
        return self._covered is None or year in self._covered

    def hours_on(self, day: date) -> DayHours:
        """The windows that apply on a local date: its exception, else its weekday's."""
        return self._exceptions.get(day, self._weekly[day.weekday()])

    # --- the arithmetic -------------------------------------------------------------------------

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant at or after ``start`` by which ``duration`` of business time passed.

        A start outside working time counts from the next window. A duration that runs out exactly
        at the end of a window is due at that end. ``duration`` must not be negative.
        """
        us = to_us_duration(duration)
        if us < 0:
            raise ValueError(f"duration must not be negative, got {duration!r}")
        return from_us(self._timeline.add(to_us(start), us))

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Business time from ``start`` to ``end``; ``-between(end, start)`` when end < start."""
        return timedelta(microseconds=self._timeline.between(to_us(start), to_us(end)))

    def next_business_instant(self, at: datetime) -> datetime:
        """``at`` if it is inside a window, else the start of the next window."""
        return from_us(self._timeline.next_business(to_us(at)))

    # --- cache building -------------------------------------------------------------------------

    def _year_of(self, us: int) -> int:
        return local_year(self._zone, us)

    def _year_windows(self, year: int) -> YearWindows:
        if not MINYEAR < year < MAXYEAR:
            raise ValueError(f"year {year} is outside the supported range")
        if self._covered is not None and year not in self._covered:
            raise CalendarNotCovered(year, self._covered)
        zone, weekly, exceptions = self._zone, self._weekly, self._exceptions
        starts: list[int] = []
        ends: list[int] = []
        day = date(year, 1, 1)
        while day.year == year:
            for start_time, end_time in exceptions.get(day, weekly[day.weekday()]):
                start = wall_to_us(zone, day, start_time)
                end = wall_to_us(zone, day, end_time)
                if end <= start:  # the whole window fell in a DST gap
                    continue
                if ends and ends[-1] == start:
                    ends[-1] = end
                else:
                    starts.append(start)
                    ends.append(end)
            day += _ONE_DAY
        midnight = time(0)
        return YearWindows(
            year,
            wall_to_us(zone, date(year, 1, 1), midnight),
            wall_to_us(zone, date(year + 1, 1, 1), midnight),
            starts,
            ends,
        )

    # --- value semantics ------------------------------------------------------------------------

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"BusinessCalendar is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"BusinessCalendar is immutable: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BusinessCalendar):
            return NotImplemented
        return self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __repr__(self) -> str:
        week = ", ".join(
            f"{WEEKDAY_NAMES[weekday][:3]} {' '.join(format_window(w) for w in hours)}"
            for weekday, hours in enumerate(self._weekly)
            if hours
        )
        covered = "all years" if self._covered is None else describe_years(self._covered)
        return (
            f"<BusinessCalendar {self._tz}: {week or 'no weekly hours'}; "
            f"{len(self._exceptions)} exceptions; covers {covered}>"
        )
