"""Throughput of the SLA due-date core against ``businesstimedelta``, on the China 2026 calendar.

Run: ``.venv/bin/python benchmarks/sla_bench.py [--cases N] [--seed S]``. It needs
``businesstimedelta`` (benchmark only) and ``chinesecalendar``. Exits non-zero if ``add()`` is less
than 10x faster than ``businesstimedelta`` on the same cases, if any case that both can express
disagrees, or if Django was imported.

``businesstimedelta`` has weekday working hours, a lunch break and dated holidays, but nothing for a
dated *extra* working day (a 调休 make-up Saturday). A case is counted as expressible when no
make-up working day falls on a local date from its start to its due date, where both models are the
same calendar.
"""

from __future__ import annotations

import argparse
import random
import sys
import time as clock
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from steward.sla.timemath import HOLIDAY, BusinessCalendar  # noqa: E402
from steward.sla.timemath.china import (  # noqa: E402
    CHINA_TZ,
    china_calendar,
    official_year,
    package_version,
)

YEAR = 2026
SHANGHAI = ZoneInfo(CHINA_TZ)
MIN_RATIO = 10.0

Case = tuple[datetime, timedelta]


@dataclass(frozen=True)
class Row:
    measure: str
    cases: int
    seconds: float
    note: str = ""

    @property
    def ops(self) -> float:
        return self.cases / self.seconds if self.seconds else float("inf")


def random_cases(count: int, seed: int) -> list[Case]:
    """Starts uniform over 2026-01-01..12-15 (to the second, UTC-aware); 1 s to 40 business h."""
    rng = random.Random(seed)
    first = datetime(YEAR, 1, 1, tzinfo=SHANGHAI).astimezone(UTC)
    last = datetime(YEAR, 12, 15, tzinfo=SHANGHAI).astimezone(UTC)
    span = int((last - first).total_seconds())
    return [
        (
            first + timedelta(seconds=rng.randrange(span)),
            timedelta(seconds=rng.randint(1, 40 * 3600)),
        )
        for _ in range(count)
    ]


def timed(run: Callable[[], object]) -> float:
    began = clock.perf_counter()
    run()
    return clock.perf_counter() - began


def due_dates(calendar: BusinessCalendar, cases: Sequence[Case]) -> list[datetime]:
    add = calendar.add
    return [add(start, duration) for start, duration in cases]


def replan_running_clocks(
    before: BusinessCalendar,
    edit: Callable[[BusinessCalendar], BusinessCalendar],
    clocks: Sequence[Case],
) -> tuple[list[datetime], float]:
    """Re-plan running clocks after a calendar edit: the pure recomputation of their due dates.

    ``clocks`` are (counting from, business time left) pairs; a running clock is due at
    ``calendar.add(counting_from, left)``. The measured time covers the edit (a new calendar, whose
    windows are then built from scratch) and the 100,000 additions. Returns the new due dates and
    the seconds taken. To be wired to the database later: load the running clocks, save the moved
    due dates.
    """
    result: list[datetime] = []

    def run() -> None:
        result.extend(due_dates(edit(before), clocks))

    return result, timed(run)


def businesstimedelta_model() -> tuple[Callable[[Case], datetime], frozenset[date]]:
    """The China 2026 calendar as ``businesstimedelta`` rules, and the dates it cannot express."""
    import businesstimedelta as btd  # type: ignore[import-untyped]
    import pytz  # type: ignore[import-untyped]

    official = official_year(YEAR)
    holidays = {day.day for day in official.holidays}
    # HolidayRule walks day by day (up to 5 years) to the next holiday and fails when none is
    # left; a sentinel after every case ends (2027-01-01) keeps it from running out.
    holidays.add(date(YEAR + 1, 1, 1))
    zone = pytz.timezone(CHINA_TZ)
    workweek = [0, 1, 2, 3, 4]
    rules = btd.Rules(
        [
            btd.WorkDayRule(time(9), time(18), workweek, tz=zone),
            btd.LunchTimeRule(time(12), time(13), workweek, tz=zone),
            btd.HolidayRule(holidays, tz=zone),
        ]
    )

    def add(case: Case) -> datetime:
        start, duration = case
        result: datetime = start + btd.BusinessTimeDelta(rules, timedelta=duration)
        return result

    return add, frozenset(day.day for day in official.working_days)


def expressible(start: datetime, due: datetime, unexpressible_days: frozenset[date]) -> bool:
    first, last = start.astimezone(SHANGHAI).date(), due.astimezone(SHANGHAI).date()
    return not any(first <= day <= last for day in unexpressible_days)


def calendar_edit(calendar: BusinessCalendar) -> BusinessCalendar:
    """A typical edit: the company declares Monday 2026-06-22 a holiday (after Dragon Boat)."""
    exceptions = dict(calendar.exceptions)
    exceptions[date(YEAR, 6, 22)] = HOLIDAY
    return BusinessCalendar(
        calendar.tz, calendar.weekly, exceptions, covered_years=calendar.covered_years
    )


def print_table(rows: Sequence[Row]) -> None:
    print(f"{'measure':<44} {'cases':>8} {'seconds':>9} {'ops/s':>11}  note")
    for row in rows:
        print(
            f"{row.measure:<44} {row.cases:>8,} {row.seconds:>9.3f} {row.ops:>11,.0f}  {row.note}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260213)
    args = parser.parse_args(argv)

    calendar = china_calendar(years=[YEAR])
    cases = random_cases(args.cases, args.seed)
    ours: list[datetime] = []
    our_seconds = timed(lambda: ours.extend(due_dates(calendar, cases)))

    btd_add, unexpressible_days = businesstimedelta_model()
    theirs: list[datetime] = []
    btd_seconds = timed(lambda: theirs.extend(btd_add(case) for case in cases))

    both = [
        (mine, other)
        for (start, _), mine, other in zip(cases, ours, theirs, strict=True)
        if expressible(start, mine, unexpressible_days)
    ]
    agree = sum(1 for mine, other in both if mine == other)
    ratio = btd_seconds / our_seconds

    replanned, replan_seconds = replan_running_clocks(calendar, calendar_edit, cases)
    moved = sum(1 for before, after in zip(ours, replanned, strict=True) if before != after)

    make_up = ", ".join(day.strftime("%m-%d") for day in sorted(unexpressible_days))
    print(
        f"China {YEAR} calendar from chinesecalendar {package_version()}: Mon-Fri 09:00-12:00, "
        f"13:00-18:00; {len(official_year(YEAR).holidays)} holidays, make-up days {make_up}"
    )
    print_table(
        [
            Row("steward timemath add()", len(cases), our_seconds),
            Row("businesstimedelta, same cases", len(cases), btd_seconds),
            Row(
                "re-plan running clocks after a calendar edit",
                len(cases),
                replan_seconds,
                f"{moved:,} due dates moved (2026-06-22 made a holiday)",
            ),
        ]
    )
    print(f"ratio (steward / businesstimedelta throughput): {ratio:,.1f}x (need >= {MIN_RATIO:g}x)")
    print(
        f"agreement: {len(both):,} of {len(cases):,} cases expressible in businesstimedelta, "
        f"{agree:,} agree to the second, {len(both) - agree:,} disagree; "
        f"{len(cases) - len(both):,} not expressible (a make-up working day in the span)"
    )
    django_loaded = "django" in sys.modules
    print(f"django imported: {'yes' if django_loaded else 'no'}")
    if ratio < MIN_RATIO or agree != len(both) or not both or django_loaded:
        print("FAIL")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
