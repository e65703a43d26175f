"""Business-time arithmetic over cached UTC windows, built one local year at a time on demand.

All instants and durations are integer epoch microseconds. ``C(t)`` is the business time from a
fixed origin up to instant ``t``: continuous, non-decreasing, flat outside the windows. Then:
- ``between(a, b) = C(b) - C(a)`` (negative when ``b < a``);
- ``add(a, d)`` is the earliest ``t >= a`` with ``C(t) >= C(a) + d``, so a clock that runs out at
  the end of a window is due at that end, not at the start of the next window.

A ``Span`` holds the windows of consecutive years as sorted lists with cumulative business time at
each window's start and end, so each operation is a binary search. Spans are never changed: growing
builds a new one and swaps it in, so readers in other threads always see a consistent span.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from steward.sla.timemath.errors import NoBusinessTime

_REBUILD_DISTANCE_US = 5 * 366 * 86_400 * 1_000_000
"""A query this far outside the cached years starts a new span instead of growing the old one."""


@dataclass(frozen=True, slots=True)
class YearWindows:
    """One local year: its bounds (local 1 January 00:00 of this and the next year) and windows."""

    year: int
    lo: int
    hi: int
    starts: list[int]
    ends: list[int]


@dataclass(frozen=True, slots=True)
class Span:
    first_year: int
    last_year: int
    lo: int
    hi: int
    base: int  # C(lo)
    starts: list[int]
    ends: list[int]
    cum_start: list[int]  # C(starts[i])
    cum_end: list[int]  # C(ends[i])

    def elapsed_to(self, us: int) -> int:
        """C(us), for ``lo <= us <= hi``."""
        i = bisect_right(self.starts, us) - 1
        if i < 0:
            return self.base
        end = self.ends[i]
        return self.cum_start[i] + (end if us >= end else us) - self.starts[i]


def _cumulative(year: YearWindows, base: int) -> tuple[list[int], list[int]]:
    cum_start: list[int] = []
    cum_end: list[int] = []
    running = base
    for start, end in zip(year.starts, year.ends, strict=True):
        cum_start.append(running)
        running += end - start
        cum_end.append(running)
    return cum_start, cum_end


def _single(year: YearWindows) -> Span:
    cum_start, cum_end = _cumulative(year, 0)
    return Span(
        year.year, year.year, year.lo, year.hi, 0, year.starts, year.ends, cum_start, cum_end
    )


def _append(span: Span, year: YearWindows) -> Span:
    cum_start, cum_end = _cumulative(year, span.cum_end[-1] if span.cum_end else span.base)
    return Span(
        span.first_year,
        year.year,
        span.lo,
        year.hi,
        span.base,
        span.starts + year.starts,
        span.ends + year.ends,
        span.cum_start + cum_start,
        span.cum_end + cum_end,
    )


def _prepend(span: Span, year: YearWindows) -> Span:
    total = sum(end - start for start, end in zip(year.starts, year.ends, strict=True))
    base = span.base - total
    cum_start, cum_end = _cumulative(year, base)
    return Span(
        year.year,
        span.last_year,
        year.lo,
        span.hi,
        base,
        year.starts + span.starts,
        year.ends + span.ends,
        cum_start + span.cum_start,
        cum_end + span.cum_end,
    )


class Timeline:
    """The lazily built windows of one calendar, and the three operations on them."""

    __slots__ = ("_last_possible_year", "_span", "_year_of", "_year_windows")

    def __init__(
        self,
        year_windows: Callable[[int], YearWindows],
        year_of: Callable[[int], int],
        last_possible_year: int | None,
    ) -> None:
        """``last_possible_year``: no working time after it (None: there is always more)."""
        self._year_windows = year_windows
        self._year_of = year_of
        self._last_possible_year = last_possible_year
        self._span: Span | None = None

    def _covering(self, lowest: int, highest: int) -> Span:
        span = self._span
        if (
            span is None
            or lowest < span.lo - _REBUILD_DISTANCE_US
            or highest > span.hi + _REBUILD_DISTANCE_US
        ):
            span = self._span = _single(self._year_windows(self._year_of(lowest)))
        while lowest < span.lo:
            span = self._span = _prepend(span, self._year_windows(span.first_year - 1))
        while highest > span.hi:
            span = self._span = _append(span, self._year_windows(span.last_year + 1))
        return span

    def _grown(self, span: Span) -> Span:
        """``span`` with one more year at the end, for an operation that ran past it."""
        last_possible = self._last_possible_year
        if last_possible is not None and span.last_year >= last_possible:
            raise NoBusinessTime(last_possible)
        grown = _append(span, self._year_windows(span.last_year + 1))
        current = self._span
        if current is None or (current.first_year, current.last_year) == (
            span.first_year,
            span.last_year,
        ):
            self._span = grown
        return grown

    def between(self, start: int, end: int) -> int:
        span = self._span
        if span is None or not (span.lo <= start <= span.hi and span.lo <= end <= span.hi):
            span = self._covering(min(start, end), max(start, end))
        return span.elapsed_to(end) - span.elapsed_to(start)

    def add(self, start: int, duration: int) -> int:
        """``duration >= 0``."""
        span = self._span
        if span is None or not span.lo <= start <= span.hi:
            span = self._covering(start, start)
        if duration == 0:
            return start
        target = span.elapsed_to(start) + duration
        while True:
            cum_end = span.cum_end
            j = bisect_left(cum_end, target)
            if j < len(cum_end):
                return span.ends[j] - (cum_end[j] - target)
            span = self._grown(span)

    def next_business(self, at: int) -> int:
        span = self._span
        if span is None or not span.lo <= at <= span.hi:
            span = self._covering(at, at)
        while True:
            ends = span.ends
            i = bisect_right(ends, at)
            if i < len(ends):
                start = span.starts[i]
                return start if start > at else at
            span = self._grown(span)
