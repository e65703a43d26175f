"""API schemas of the SLA app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class CalendarOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    kind: str
    time_zone: str
    version: int
    weekly: dict[str, list[list[int]]]
    years: list[int]

    @staticmethod
    def resolve_weekly(obj: Any) -> dict[str, list[list[int]]]:
        result: dict[str, list[list[int]]] = {}
        for w in obj.windows.all():
            result.setdefault(str(w.weekday), []).append([w.start_minute, w.end_minute])
        return result

    @staticmethod
    def resolve_years(obj: Any) -> list[int]:
        return sorted(y.year for y in obj.years.all())


class CalendarCreateIn(Schema):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    name_en: str = ""
    kind: str = "weekly"
    time_zone: str = "Asia/Shanghai"
    weekly: dict[int, list[tuple[int, int]]] = Field(default_factory=dict)


class WeeklyIn(Schema):
    weekly: dict[int, list[tuple[int, int]]]


class ExceptionIn(Schema):
    date: dt.date
    kind: str
    windows: list[tuple[int, int]] = Field(default_factory=list)
    name: str = Field("", max_length=100)


class ExceptionOut(Schema):
    date: dt.date
    kind: str
    windows: list[list[int]]
    name: str
    source: str
    source_version: str


class YearIn(Schema):
    year: int = Field(ge=2000, le=2100)


class DueIn(Schema):
    start: dt.datetime
    minutes: int = Field(ge=0, le=10_000_000)


class DueOut(Schema):
    start: dt.datetime
    minutes: int
    due: dt.datetime


class AgreementOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    kind: str
    status: str
    service_code: str = Field(alias="service.code")
    customer_department_id: int | None
    customer_site_group_id: int | None
    team_id: int | None
    supplier: str
    valid_from: dt.date
    valid_to: dt.date | None
    version: int
    compliance_target: Decimal
    warning_thresholds: list[int]
    metrics: list[dict[str, Any]]

    @staticmethod
    def resolve_metrics(obj: Any) -> list[dict[str, Any]]:
        return [
            {
                "kind": m.kind,
                "calendar": m.calendar.code,
                "targets": m.targets,
                "start_states": m.start_states,
                "pause_states": m.pause_states,
                "stop_states": m.stop_states,
                "cancel_states": m.cancel_states,
            }
            for m in obj.metrics.all()
        ]


class ClockOut(Schema):
    id: int
    record_number: str
    kind: str
    agreement_code: str = Field(alias="agreement.code")
    state: str
    priority: int
    target_minutes: int
    elapsed_seconds: int
    percent: float
    due_at: dt.datetime | None
    remaining_seconds: int | None
    started_at: dt.datetime
    stopped_at: dt.datetime | None
    breached_at: dt.datetime | None
    calendar_version: int
    agreement_version: int


class ComplianceRowOut(Schema):
    key: dict[str, str]
    met: int
    breached: int
    total: int
    compliance: Decimal | None
    mean_minutes: Decimal | None
    p90_minutes: Decimal | None


class AgreementCreateIn(Schema):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    name_en: str = ""
    kind: str = "sla"
    service: str
    customer_department: str | None = None
    customer_site_group: str | None = None
    team: str | None = None
    supplier: str = ""
    valid_from: dt.date
    valid_to: dt.date | None = None
    priority_change_policy: str = "recompute"
    reopen_window_days: int = Field(7, ge=0, le=365)
    warning_thresholds: list[int] = Field(default_factory=lambda: [50, 75, 90])
    compliance_target: Decimal = Decimal("95.00")
    monthly_limit: int | None = Field(None, ge=1)


class MetricIn(Schema):
    calendar: str
    targets: dict[str, int]
    start_states: list[str]
    stop_states: list[str]
    pause_states: list[str] = Field(default_factory=list)
    cancel_states: list[str] = Field(default_factory=list)


class SlaExceptionIn(Schema):
    kind: str
    reason: str = Field(min_length=1, max_length=300)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    record_number: str = ""


class ImprovementIn(Schema):
    metric: str
    period: str = Field(pattern=r"^\d{4}-\d{2}$")
    description: str = Field(min_length=1)
    owner_id: int
    due_date: dt.date


class ImprovementOut(Schema):
    id: int
    metric: str
    period: str
    description: str
    owner_id: int
    due_date: dt.date
    status: str


class ServiceHoursIn(Schema):
    calendar: str


class ServiceHoursOut(Schema):
    service: str
    calendar: str
