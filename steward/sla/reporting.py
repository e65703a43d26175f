"""SLA compliance reports (read-only selectors): per agreement, metric, priority, service,
customer and month; workload against limits; breached clocks; missed months needing an
improvement action. Definitions are shown next to each figure in the UI (DEFINITIONS)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.identity import permissions
from steward.sla.models import Agreement, ClockState, ImprovementAction, SlaClock

DEFINITIONS = {
    "met": _("Clocks that stopped within their target (business time)."),
    "breached": _("Clocks that stopped after their target, excluding approved exceptions."),
    "compliance": _("Met ÷ (met + breached), for clocks stopped in the period."),
    "mean": _("Mean business time from start to stop, pauses excluded."),
    "p90": _("90th percentile of that business time (nearest-rank)."),
    "workload": _("Records that started a clock in the month, against the agreement's limit."),
}
DIMENSIONS = ("agreement", "metric", "priority", "service", "customer", "month")


@dataclass
class ComplianceRow:
    key: dict[str, str]
    met: int = 0
    breached: int = 0
    elapsed: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.met + self.breached

    @property
    def compliance(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.met) * 100 / Decimal(self.total)).quantize(Decimal("0.01"))

    @property
    def mean_minutes(self) -> Decimal | None:
        if not self.elapsed:
            return None
        return (Decimal(sum(self.elapsed)) / len(self.elapsed) / 60).quantize(Decimal("0.1"))

    @property
    def p90_minutes(self) -> Decimal | None:
        if not self.elapsed:
            return None
        ordered = sorted(self.elapsed)
        rank = max(1, math.ceil(0.9 * len(ordered)))
        return (Decimal(ordered[rank - 1]) / 60).quantize(Decimal("0.1"))


def clocks_visible_to(user: Any) -> QuerySet[SlaClock]:
    """Reports are for staff, auditors and administrators; others see nothing."""
    if not permissions.is_staff_member(user):
        return SlaClock.objects.none()
    return SlaClock.objects.all()


def _customer(agreement: Agreement) -> str:
    if agreement.customer_department_id:
        return agreement.customer_department.code  # type: ignore[union-attr]
    if agreement.customer_site_group_id:
        return agreement.customer_site_group.code  # type: ignore[union-attr]
    return "*"


def compliance(
    *, user: Any, start: dt.date, end: dt.date, by: Iterable[str] = ("agreement", "metric")
) -> list[ComplianceRow]:
    """Met/breached/% and mean/p90 elapsed for clocks stopped in [start, end), grouped ``by``."""
    dims = [d for d in by if d in DIMENSIONS]
    zone = timezone.get_current_timezone()
    clocks = (
        clocks_visible_to(user)
        .filter(
            state__in=[ClockState.MET, ClockState.BREACHED],
            excluded=False,
            stopped_at__gte=dt.datetime.combine(start, dt.time(), zone),
            stopped_at__lt=dt.datetime.combine(end, dt.time(), zone),
        )
        .select_related(
            "agreement__service", "agreement__customer_department", "agreement__customer_site_group"
        )
        .only(
            "state",
            "elapsed_seconds",
            "kind",
            "priority",
            "stopped_at",
            "agreement__code",
            "agreement__service__code",
            "agreement__customer_department__code",
            "agreement__customer_site_group__code",
        )
    )
    rows: dict[tuple[str, ...], ComplianceRow] = {}
    for clock in clocks.iterator(chunk_size=5000):
        assert clock.stopped_at is not None
        values = {
            "agreement": clock.agreement.code,
            "metric": clock.kind,
            "priority": str(clock.priority),
            "service": clock.agreement.service.code,
            "customer": _customer(clock.agreement),
            "month": timezone.localtime(clock.stopped_at, zone).strftime("%Y-%m"),
        }
        key = tuple(values[d] for d in dims)
        row = rows.setdefault(key, ComplianceRow({d: values[d] for d in dims}))
        if clock.state == ClockState.MET:
            row.met += 1
        else:
            row.breached += 1
        row.elapsed.append(clock.elapsed_seconds)
    return [rows[k] for k in sorted(rows)]


@dataclass(frozen=True)
class MissedMonth:
    agreement: Agreement
    metric: str
    month: str
    compliance: Decimal
    action: ImprovementAction | None


def missed_months(*, user: Any, start: dt.date, end: dt.date) -> list[MissedMonth]:
    """Months below the agreement's compliance target, with their improvement action if any."""
    agreements = {a.code: a for a in Agreement.objects.select_related("service__owner")}
    actions = {
        (a.agreement.code, a.metric, a.period): a
        for a in ImprovementAction.objects.select_related("agreement")
    }
    missed = []
    for row in compliance(user=user, start=start, end=end, by=("agreement", "metric", "month")):
        agreement = agreements[row.key["agreement"]]
        if row.compliance is not None and row.compliance < agreement.compliance_target:
            missed.append(
                MissedMonth(
                    agreement,
                    row.key["metric"],
                    row.key["month"],
                    row.compliance,
                    actions.get((agreement.code, row.key["metric"], row.key["month"])),
                )
            )
    return missed


def workload(*, user: Any, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Records per agreement and month against the agreement's monthly limit."""
    zone = timezone.get_current_timezone()
    counted = (
        clocks_visible_to(user)
        .filter(
            started_at__gte=dt.datetime.combine(start, dt.time(), zone),
            started_at__lt=dt.datetime.combine(end, dt.time(), zone),
        )
        .annotate(month=TruncMonth("started_at", tzinfo=zone))
        .values("agreement__code", "agreement__monthly_limit", "month")
        .annotate(records=Count("record_number", distinct=True))
        .order_by("agreement__code", "month")
    )
    return [
        {
            "agreement": row["agreement__code"],
            "month": row["month"].strftime("%Y-%m"),
            "records": row["records"],
            "limit": row["agreement__monthly_limit"],
            "over": row["agreement__monthly_limit"] is not None
            and row["records"] > row["agreement__monthly_limit"],
        }
        for row in counted
    ]


def breached_clocks(*, user: Any, start: dt.date, end: dt.date) -> QuerySet[SlaClock]:
    zone = timezone.get_current_timezone()
    return (
        clocks_visible_to(user)
        .filter(
            state=ClockState.BREACHED,
            stopped_at__gte=dt.datetime.combine(start, dt.time(), zone),
            stopped_at__lt=dt.datetime.combine(end, dt.time(), zone),
        )
        .select_related("agreement")
        .order_by("-stopped_at")
    )


def trend(
    *, user: Any, start: dt.date, end: dt.date
) -> dict[str, list[tuple[str, Decimal | None]]]:
    """Compliance per month for each metric: the data of the trend chart."""
    series: dict[str, list[tuple[str, Decimal | None]]] = defaultdict(list)
    for row in compliance(user=user, start=start, end=end, by=("metric", "month")):
        series[row.key["metric"]].append((row.key["month"], row.compliance))
    return dict(series)
