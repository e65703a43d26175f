"""API output of the reports (durations in seconds, rates in percent)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class StatsOut(Schema):
    count: int
    mean_seconds: int | None
    p90_seconds: int | None


class ReportComplianceOut(Schema):
    met: int
    breached: int
    compliance: Decimal | None


class CsatOut(Schema):
    average: Decimal | None
    satisfied_pct: Decimal | None
    ratings: int
    response_rate: Decimal | None


class MeasureRowOut(Schema):
    key: Any
    label: str
    opened: int
    resolved: int
    closed: int
    backlog: int
    on_hold: int
    open_at_end: int = Field(
        description="Incidents open at the end of the period (now, if it has not ended yet)."
    )
    ages: dict[str, int]
    frt_wall: StatsOut
    frt_business: StatsOut
    mtta: StatsOut
    mttr_wall: StatsOut
    mttr_business: StatsOut
    first_contact: int
    fcr_pct: Decimal | None
    reopened: int
    reopen_pct: Decimal | None
    reassigned: int
    reassigned_pct: Decimal | None
    reassignment_mean: Decimal | None
    sla_response: ReportComplianceOut
    sla_resolution: ReportComplianceOut
    csat: CsatOut | None  # None until the satisfaction app is wired (steward.reports.csat)


class TrendPointOut(Schema):
    month: str
    opened: int
    resolved: int
    backlog_change: int
    mttr_wall: StatsOut


class ScorecardOut(Schema):
    username: str
    name: str
    figures: MeasureRowOut
    trend: list[TrendPointOut]
