"""Property tests: add/between/next_business_instant against a brute-force minute-stepping oracle.

The oracle knows nothing of the implementation's UTC windows, bisects or gap handling. It steps
over real (UTC) minutes and asks of each minute whether the local wall clock lies in a window of its
own local date. One refinement makes it agree with the documented DST rule ("a boundary is the first
instant the wall clock reaches that time"): it looks at the *high-water mark* of the wall clock, the
latest local time shown so far. The two differ only in an autumn fold, where the clock replays an
hour it has already shown; counting the replayed minutes again by their wall time would put them in
a window twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from steward.sla.timemath import END_OF_DAY, BusinessCalendar, DayHours

ZONES = ("Asia/Shanghai", "America/New_York", "Europe/Berlin")
TRANSITION_DAYS = {
    "Asia/Shanghai": (date(2026, 2, 14),),  # no DST: a make-up Saturday instead
    "America/New_York": (date(2026, 3, 8), date(2026, 11, 1)),
    "Europe/Berlin": (date(2026, 3, 29), date(2026, 10, 25)),
}
MINUTE = timedelta(minutes=1)
EXAMPLES = settings(deadline=None, max_examples=150)


class MinuteOracle:
    """Business minutes from ``origin`` on, decided one real minute at a time."""

    def __init__(
        self,
        tz: str,
        weekly: dict[int, DayHours],
        exceptions: dict[date, DayHours],
        origin: datetime,
    ) -> None:
        self.zone = ZoneInfo(tz)
        self.weekly = weekly
        self.exceptions = exceptions
        self.origin = origin
        self.flags: list[bool] = []
        self.mark = origin.astimezone(self.zone).replace(tzinfo=None)

    def business(self, index: int) -> bool:
        while len(self.flags) <= index:
            moment = self.origin + len(self.flags) * MINUTE
            self.mark = max(self.mark, moment.astimezone(self.zone).replace(tzinfo=None))
            day, now = self.mark.date(), self.mark.time()
            hours = self.exceptions.get(day, self.weekly.get(day.weekday(), ()))
            self.flags.append(any(start <= now < end for start, end in hours))
        return self.flags[index]

    def index(self, moment: datetime) -> int:
        minutes, rest = divmod(moment - self.origin, MINUTE)
        assert rest == timedelta(0)
        assert minutes >= 0
        return minutes

    def between(self, start: datetime, end: datetime) -> timedelta:
        a, b = self.index(start), self.index(end)
        count = sum(self.business(i) for i in range(min(a, b), max(a, b)))
        return count * MINUTE if a <= b else -count * MINUTE

    def add(self, start: datetime, minutes: int) -> datetime:
        i = self.index(start)
        while minutes:
            minutes -= self.business(i)
            i += 1
        return self.origin + i * MINUTE

    def next_business(self, start: datetime) -> datetime:
        i = self.index(start)
        while not self.business(i):
            i += 1
        return self.origin + i * MINUTE


# --- strategies -------------------------------------------------------------------------------


def minute_of_day(minutes: int) -> time:
    return END_OF_DAY if minutes == 1440 else time(minutes // 60, minutes % 60)


# Edges anywhere in the day, biased towards the DST hours (01:00-04:00) and midnight.
edges = st.one_of(
    st.integers(0, 1440), st.integers(55, 245), st.sampled_from([0, 120, 150, 180, 1440])
)


@st.composite
def day_hours(draw: st.DrawFn) -> DayHours:
    count = draw(st.integers(1, 3))
    points = sorted(draw(st.sets(edges, min_size=2 * count, max_size=2 * count)))
    return tuple(
        (minute_of_day(a), minute_of_day(b)) for a, b in zip(points[::2], points[1::2], strict=True)
    )


@dataclass
class Scenario:
    tz: str
    weekly: dict[int, DayHours]
    exceptions: dict[date, DayHours]
    start: datetime  # UTC, whole minute
    calendar: BusinessCalendar = field(init=False)

    def __post_init__(self) -> None:
        self.calendar = BusinessCalendar(self.tz, self.weekly, self.exceptions)

    def oracle(self, earliest: datetime) -> MinuteOracle:
        return MinuteOracle(self.tz, self.weekly, self.exceptions, earliest - timedelta(days=1))

    @property
    def weekly_minutes(self) -> int:
        def length(window: tuple[time, time]) -> int:
            start, end = (60 * t.hour + t.minute for t in window)
            return (1440 if window[1] == END_OF_DAY else end) - start

        return sum(length(w) for hours in self.weekly.values() for w in hours)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    tz = draw(st.sampled_from(ZONES))
    working = draw(st.sets(st.integers(0, 6), min_size=1, max_size=7))
    weekly = {weekday: draw(day_hours()) for weekday in sorted(working)}
    base = draw(
        st.one_of(
            st.sampled_from(TRANSITION_DAYS[tz]),
            st.dates(date(2025, 12, 20), date(2026, 12, 31)),
        )
    )
    exception_days = st.dates(base - timedelta(days=3), base + timedelta(days=12))
    exceptions = draw(
        st.dictionaries(exception_days, st.one_of(st.just(()), day_hours()), max_size=5)
    )
    local_midnight = datetime.combine(base, time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)
    start = local_midnight + draw(st.integers(-36 * 60, 36 * 60)) * MINUTE
    return Scenario(tz, weekly, exceptions, start)


# --- against the oracle -----------------------------------------------------------------------


@EXAMPLES
@given(scenarios(), st.data())
def test_add_matches_the_oracle(scenario: Scenario, data: st.DataObject) -> None:
    minutes = data.draw(st.integers(0, scenario.weekly_minutes), label="minutes")

    due = scenario.calendar.add(scenario.start, minutes * MINUTE)

    assert due == scenario.oracle(scenario.start).add(scenario.start, minutes)
    assert due.tzinfo is UTC


@EXAMPLES
@given(scenarios(), st.integers(-7 * 1440, 7 * 1440))
def test_between_matches_the_oracle(scenario: Scenario, offset: int) -> None:
    end = scenario.start + offset * MINUTE

    elapsed = scenario.calendar.between(scenario.start, end)

    assert elapsed == scenario.oracle(min(scenario.start, end)).between(scenario.start, end)


@EXAMPLES
@given(scenarios())
def test_next_business_instant_matches_the_oracle(scenario: Scenario) -> None:
    found = scenario.calendar.next_business_instant(scenario.start)

    assert found == scenario.oracle(scenario.start).next_business(scenario.start)


# --- algebraic properties (cheap: no oracle, sub-minute instants) ------------------------------

microseconds = st.integers(0, 59_999_999).map(lambda us: timedelta(microseconds=us))


@settings(deadline=None, max_examples=100)
@given(scenarios(), microseconds, st.integers(0, 10**12).map(lambda us: timedelta(microseconds=us)))
def test_between_undoes_add(scenario: Scenario, jitter: timedelta, duration: timedelta) -> None:
    start = scenario.start + jitter

    due = scenario.calendar.add(start, duration)

    assert scenario.calendar.between(start, due) == duration
    assert due >= start


@settings(deadline=None, max_examples=100)
@given(scenarios(), st.integers(0, 3000), st.integers(0, 3000), st.integers(0, 3000))
def test_add_is_monotonic(scenario: Scenario, shift: int, shorter: int, longer: int) -> None:
    shorter, longer = sorted((shorter, longer))
    calendar, start = scenario.calendar, scenario.start

    assert calendar.add(start, shorter * MINUTE) <= calendar.add(start, longer * MINUTE)
    assert calendar.add(start, shorter * MINUTE) <= calendar.add(
        start + shift * MINUTE, shorter * MINUTE
    )


@settings(deadline=None, max_examples=100)
@given(scenarios(), st.lists(st.integers(-20_000, 20_000), min_size=3, max_size=3))
def test_between_adds_up_and_is_antisymmetric(scenario: Scenario, offsets: list[int]) -> None:
    a, b, c = (scenario.start + n * MINUTE for n in offsets)
    between = scenario.calendar.between

    assert between(a, b) + between(b, c) == between(a, c)
    assert between(b, a) == -between(a, b)


@settings(deadline=None, max_examples=100)
@given(scenarios(), microseconds)
def test_a_zero_duration_is_due_at_once(scenario: Scenario, jitter: timedelta) -> None:
    start = scenario.start + jitter

    assert scenario.calendar.add(start, timedelta(0)) == start
