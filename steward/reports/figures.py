"""The figures of one report row, and the arithmetic on them (pure: no database)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from steward.sla.reporting import ComplianceRow


@dataclass(frozen=True)
class Stats:
    """Mean and p90 (nearest rank) of durations in whole seconds, over ``count`` incidents."""

    count: int = 0
    mean_seconds: int | None = None
    p90_seconds: int | None = None

    @classmethod
    def of(cls, seconds: Iterable[float]) -> Stats:
        values = sorted(seconds)
        if not values:
            return cls()
        mean = Decimal(str(sum(values))) / len(values)
        rank = max(1, math.ceil(0.9 * len(values)))
        return cls(
            len(values),
            int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP)),
            int(Decimal(str(values[rank - 1])).quantize(Decimal(1), rounding=ROUND_HALF_UP)),
        )


def seconds_between(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds())


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class CsatFigures:
    """The satisfaction app's figures for one group (filled by the CSAT provider, never here)."""

    average: Decimal | None
    satisfied_pct: Decimal | None
    ratings: int
    response_rate: Decimal | None


@dataclass
class MeasureRow:
    """Every measure for one group (a team, an engineer, a site ... or the whole desk)."""

    key: Any
    label: str = ""
    opened: int = 0
    resolved: int = 0
    closed: int = 0
    backlog: int = 0
    on_hold: int = 0
    open_at_end: int = 0
    ages: dict[str, int] = field(default_factory=dict)
    oldest_opened_at: dt.datetime | None = None
    frt_wall: Stats = field(default_factory=Stats)
    frt_business: Stats = field(default_factory=Stats)
    mtta: Stats = field(default_factory=Stats)
    mttr_wall: Stats = field(default_factory=Stats)
    mttr_business: Stats = field(default_factory=Stats)
    first_contact: int = 0
    reopened: int = 0
    reassigned: int = 0
    reassignments: int = 0
    sla_response: ComplianceRow = field(default_factory=lambda: ComplianceRow({}))
    sla_resolution: ComplianceRow = field(default_factory=lambda: ComplianceRow({}))
    # CSAT slot: filled by the satisfaction app's selector through ``steward.reports.csat``.
    csat: CsatFigures | None = None

    @property
    def fcr_pct(self) -> Decimal | None:
        return percent(self.first_contact, self.resolved)

    @property
    def reopen_pct(self) -> Decimal | None:
        return percent(self.reopened, self.resolved)

    @property
    def reassigned_pct(self) -> Decimal | None:
        return percent(self.reassigned, self.resolved)

    @property
    def reassignment_mean(self) -> Decimal | None:
        if not self.resolved:
            return None
        return (Decimal(self.reassignments) / self.resolved).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class TrendPoint:
    """One month of the trend: volumes, backlog change and mean wall time to resolve."""

    month: str
    opened: int
    resolved: int
    mttr_wall: Stats

    @property
    def backlog_change(self) -> int:
        return self.opened - self.resolved
