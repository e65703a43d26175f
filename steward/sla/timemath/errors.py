"""Errors of the due-date core: plain exceptions, which the Django service layer maps to its own."""

from __future__ import annotations

from collections.abc import Iterable


def describe_years(years: Iterable[int]) -> str:
    """``{2004, ..., 2026, 2030}`` -> ``"2004-2026, 2030"``; an empty set -> ``"none"``."""
    runs: list[tuple[int, int]] = []
    for year in sorted(years):
        if runs and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    if not runs:
        return "none"
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


class CalendarNotCovered(Exception):
    """The computation needs a year the calendar has no data for. Never guess a year silently."""

    def __init__(self, year: int, covered_years: frozenset[int]) -> None:
        super().__init__(
            f"the calendar has no data for {year} "
            f"(covered years: {describe_years(covered_years)}); "
            f"enter {year}'s holidays and working days and mark the year as covered"
        )
        self.year = year
        self.covered_years = covered_years


class NoBusinessTime(Exception):
    """An addition can never finish: the calendar has no working time after ``after_year``."""

    def __init__(self, after_year: int) -> None:
        super().__init__(
            f"the calendar has no working time after {after_year}: "
            "it has no weekly hours and no later exception with hours"
        )
        self.after_year = after_year
